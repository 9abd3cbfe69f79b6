using Hft.Server.Api;
using Hft.Server.Configuration;
using Hft.Server.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// The operations side of the server: <c>/metrics</c> (Prometheus text, the server's own registry, only with
/// <c>[monitoring] enable_prometheus</c>), <c>/debug/latency</c> (per-stage percentiles), <c>/debug/orderbook/{symbol}</c>
/// (L2, L3 with <c>?level=3</c>) and <c>/openapi.json</c> (the REST API's description).
/// </summary>
public static class OperationsEndpoints
{
    public const string OpenApiResource = "Hft.Server.Api.openapi.json";

    private static readonly Lazy<byte[]> s_openApi = new(() =>
    {
        using var stream = typeof(OperationsEndpoints).Assembly.GetManifestResourceStream(OpenApiResource)
            ?? throw new InvalidOperationException($"embedded resource {OpenApiResource} missing");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    /// <summary>The OpenAPI document of the REST API (UTF-8 JSON).</summary>
    public static ReadOnlySpan<byte> OpenApiDocument => s_openApi.Value;

    /// <summary>
    /// Creates the server's metrics on a registry of its own (several servers may share a process) and registers them.
    /// Returns the pipeline observer to hand to <see cref="TradingPipeline"/>; call <see cref="AttachOperations"/> once
    /// the pipeline exists.
    /// </summary>
    public static PipelineMetrics AddOperations(this IServiceCollection services, HftConfig config)
    {
        var registry = Metrics.NewCustomRegistry();
        var metrics = new PipelineMetrics(config, registry, new LatencyRecorder());
        services.AddSingleton(registry);
        services.AddSingleton(metrics);
        services.AddSingleton(metrics.Latency);
        return metrics;
    }

    /// <summary>Binds the metrics to the pipeline's instruments and shards and starts the scrape-time gauges.</summary>
    public static void AttachOperations(this IServiceCollection services, PipelineMetrics metrics, TradingPipeline pipeline)
    {
        metrics.Attach(pipeline);
        services.AddSingleton(sp => new StateMetrics(pipeline, metrics, sp.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton(sp => new JournalMetrics(pipeline.Journal, sp.GetRequiredService<CollectorRegistry>()));
    }

    public static void MapOperationsEndpoints(this IEndpointRouteBuilder app, HftConfig config)
    {
        if (config.Monitoring.EnablePrometheus)
        {
            _ = app.ServiceProvider.GetRequiredService<StateMetrics>(); // registers the scrape-time callback
            _ = app.ServiceProvider.GetRequiredService<JournalMetrics>(); // and the journal's (before the first append)
            app.MapMetrics("/metrics", app.ServiceProvider.GetRequiredService<CollectorRegistry>());
        }
        else
        {
            app.MapGet("/metrics", () => ApiError.NotFound("metrics_disabled", "Prometheus metrics are disabled ([monitoring] enable_prometheus = false)"));
        }

        app.MapGet("/debug/latency", (PipelineMetrics metrics) =>
        {
            var report = metrics.Latency.Snapshot();
            return Results.Json(new
            {
                unit = "microseconds",
                enabled = config.LatencyProfiling.Enabled,
                sampleRate = metrics.SampleRate,
                stages = LatencyRecorder.StageNames,
                sinceStart = report.SinceStart,
                lastInterval = report.LastInterval,
            });
        });
        app.MapGet("/debug/orderbook/{symbol}", MarketEndpoints.Book);
        app.MapGet("/openapi.json", () => Results.Bytes(s_openApi.Value, "application/json"));
    }
}
