using Hft.Routing.Api;
using Hft.Routing.Configuration;
using Hft.Routing.Forwarding;
using Hft.Routing.Leadership;
using Hft.Routing.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Hft.Routing;

/// <summary>
/// The routing gateway: a stateless HTTP front for several replicated hft groups, each owning some symbols. It sends
/// each REST request to the leader of the group that owns it (or to every group, merging the answers), tracking the
/// leaders by polling the nodes. Composition root, read top to bottom.
/// </summary>
public sealed class RoutingGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly LeaderTracker _tracker;
    private readonly UpstreamClient _upstream;

    private RoutingGateway(WebApplication app, RoutingConfig config, LeaderTracker tracker, UpstreamClient upstream, RouterMetrics metrics)
    {
        _app = app;
        Config = config;
        _tracker = tracker;
        _upstream = upstream;
        Metrics = metrics;
    }

    public RoutingConfig Config { get; }

    public RouterMetrics Metrics { get; }

    public IReadOnlyList<GroupState> Groups => _tracker.Groups;

    /// <summary>The addresses Kestrel listens on (port 0 in the config picks a free port).</summary>
    public IReadOnlyList<string> Urls => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    public static RoutingGateway Create(RoutingConfig config, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logging is null) builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        else logging(builder.Logging);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // 1. Kestrel on [routing] listen.
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = ClientBody.KestrelLimit(config.MaxBodyBytes); // the handlers enforce max_body_bytes
            if (config.Listen.Address is { } address) k.Listen(address, config.Listen.Port);
            else k.ListenLocalhost(config.Listen.Port);
        });
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("hft.router");

        // 2. Metrics on a registry of the gateway's own; 3. the leader of every group, polled; 4. the upstream client.
        var metrics = new RouterMetrics(Prometheus.Metrics.NewCustomRegistry());
        var tracker = new LeaderTracker(config, metrics, log);
        var upstream = new UpstreamClient(TimeSpan.FromMilliseconds(config.RequestTimeoutMs));
        var router = new RequestRouter(config, tracker, upstream);

        // 5. Routes: bare error statuses (405, Kestrel's 400/413) get the API's error shape.
        app.UseStatusCodePages(context => RouterError.WriteBare(context.HttpContext));
        app.MapRouterOperations(tracker, metrics);
        app.MapRoutingEndpoints(new RouteHandlers(config, router, metrics));
        return new RoutingGateway(app, config, tracker, upstream, metrics);
    }

    /// <summary>Polls every node once, then listens.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _tracker.StartAsync();
        await _app.StartAsync(ct);
    }

    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public Task StopAsync(CancellationToken ct = default) => _app.StopAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _tracker.DisposeAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
