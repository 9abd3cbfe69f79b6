using System.Globalization;
using System.Text.Json;
using Hft.Gateways.Tests.Support;

namespace Hft.Gateways.Tests.Load;

/// <summary>
/// Flat out, every request gets its answer: the real <c>hft loadgen</c> drives a real server as fast as it can for a
/// bounded count and time, and must report every request answered, no refusal (of any reason) and no disconnect.
/// </summary>
public sealed class NoUnansweredRequestTests
{
    private static async Task<JsonElement> LoadAsync(params string[] args)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["loadgen", .. args, "--json"]);
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }

    private static void AssertEveryRequestAnswered(JsonElement r)
    {
        long requests = r.GetProperty("requests").GetInt64();
        Assert.True(requests > 500, $"only {requests} requests: {r}");
        Assert.True(r.GetProperty("unanswered").GetInt64() == 0, $"unanswered: {r.GetProperty("unansweredByKind")}");
        Assert.Equal(requests, r.GetProperty("answered").GetInt64());
        Assert.True(r.GetProperty("errors").GetInt64() == 0, $"refused: {r.GetProperty("errorsByReason")}");
        Assert.Equal(0, r.GetProperty("disconnects").GetArrayLength());
    }

    private static Func<Hft.Configuration.HftConfig, Hft.Configuration.HftConfig> Unthrottled => c => c with
    {
        Trading = c.Trading with { MaxOrdersPerSecond = 0 },
        Accounts = c.Accounts.Select(a => a with { RequestsPerSecond = 0 }).ToList(),
        Journal = c.Journal with { Mode = "async" },
    };

    [Fact]
    public async Task Binary_flat_out_answers_every_request()
    {
        await using var s = await GatewayFixture.StartAsync(Unthrottled);
        var r = await LoadAsync("--port", s.Port.ToString(CultureInfo.InvariantCulture), "--url", s.Server.Urls[0],
            "--connections", "4", "--window", "256", "--duration", "3", "--count", "100000");
        AssertEveryRequestAnswered(r);
    }

    [Fact]
    public async Task Fix_flat_out_answers_every_request()
    {
        await using var s = await GatewayFixture.StartAsync(c => Unthrottled(c) with
        {
            Gateway = c.Gateway with { FixEnabled = true, FixPort = 0 },
        });
        var r = await LoadAsync("--protocol", "fix", "--fix-port", s.Server.Fix!.EndPoint!.Port.ToString(CultureInfo.InvariantCulture),
            "--url", s.Server.Urls[0], "--connections", "2", "--duration", "3", "--count", "60000");
        AssertEveryRequestAnswered(r);
    }

    [Fact]
    public async Task Rest_flat_out_answers_every_request()
    {
        await using var s = await GatewayFixture.StartAsync(Unthrottled);
        var r = await LoadAsync("--protocol", "rest", "--url", s.Server.Urls[0], "--connections", "8", "--duration", "3", "--count", "8000");
        AssertEveryRequestAnswered(r);
    }
}
