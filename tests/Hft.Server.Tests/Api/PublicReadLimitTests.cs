using System.Globalization;
using System.Net;
using System.Text.Json;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Api;

/// <summary>
/// Public market-data reads are limited per client address ([server] public_read_burst at once, public_reads_per_second
/// sustained): beyond that a 429 <c>rate_limited</c> with a Retry-After, while order entry (its own per-account limit)
/// goes on.
/// </summary>
public sealed class PublicReadLimitTests
{
    [Fact]
    public async Task Reads_beyond_the_burst_are_429_with_retry_after_and_order_entry_still_works()
    {
        const int burst = 3;
        await using var s = await ServerFixture.StartAsync(c => c with { Server = c.Server with { PublicReadsPerSecond = 1, PublicReadBurst = burst } });
        string[] paths = ["/api/v1/book/BTCUSD?depth=1000", "/api/v1/ticker/BTCUSD", "/api/v1/trades/BTCUSD", "/api/v1/instruments"];

        // one refill per second: 40 reads cannot all be answered unless they take over 35 s
        int ok = 0;
        HttpResponseMessage? limited = null;
        for (int i = 0; i < 40 && limited is null; i++)
        {
            var response = await s.Client.GetAsync(paths[i % paths.Length]);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited = response;
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                ok++;
                response.Dispose();
            }
        }
        Assert.NotNull(limited);
        using (limited)
        {
            Assert.True(ok >= burst, $"only {ok} reads before the first 429");
            int retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 60);
            using var body = JsonDocument.Parse(await limited.Content.ReadAsStringAsync());
            Assert.Equal("rate_limited", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        }

        // order entry is not a public read: accepted while reads are refused
        await s.PlaceRestingAsync(s.Token("A1"), "BTCUSD", "buy", "45000", "0.01");
    }
}
