using System.Net.Http.Headers;
using Hft.Routing.Configuration;

namespace Hft.Routing.Tests.Support;

/// <summary>A real <see cref="RoutingGateway"/> on a free loopback port in front of the given groups.</summary>
public sealed class Gateway : IAsyncDisposable
{
    private Gateway(RoutingGateway router)
    {
        Router = router;
        BaseUrl = router.Urls.First();
    }

    public RoutingGateway Router { get; }

    public string BaseUrl { get; }

    public static RoutingConfig Config(IEnumerable<(int Id, string[] Symbols, string[] Nodes)> groups, int pollMs = 100, int timeoutMs = 5000)
        => new()
        {
            Listen = new ListenAddress(System.Net.IPAddress.Loopback, 0),
            LeaderPollMs = pollMs,
            RequestTimeoutMs = timeoutMs,
            Groups = groups.Select(g => new GroupConfig { Id = g.Id, Symbols = g.Symbols, Nodes = g.Nodes.Select(n => new Uri(n.TrimEnd('/') + "/")).ToList() }).ToList(),
        };

    public static async Task<Gateway> StartAsync(RoutingConfig config)
    {
        var router = RoutingGateway.Create(config, logging: Environment.GetEnvironmentVariable("HFT_TEST_ROUTER_LOG") is null ? _ => { } : null);
        try
        {
            await router.StartAsync();
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
        return new Gateway(router);
    }

    /// <summary>A client to the gateway, with a bearer token when given.</summary>
    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl + "/"), Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>The value of one sample of /metrics (exact label text, e.g. <c>hft_router_requests_total{group="0",outcome="forwarded"}</c>), 0 when absent.</summary>
    public async Task<double> MetricAsync(string sample)
    {
        using var client = Client();
        var text = await client.GetStringAsync("metrics");
        foreach (var line in text.Split('\n'))
            if (line.StartsWith(sample + " ", StringComparison.Ordinal))
                return double.Parse(line[(sample.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Router.StopAsync(cts.Token);
        await Router.DisposeAsync();
    }
}
