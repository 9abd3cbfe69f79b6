using Hft.Configuration;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Server.Api;
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

    /// <summary>Registers the scrape-time gauges of the pipeline's state and of its journal.</summary>
    public static void AttachOperations(this IServiceCollection services, TradingPipeline pipeline)
    {
        services.AddSingleton(sp => new StateMetrics(pipeline, sp.GetRequiredService<PipelineMetrics>(), sp.GetRequiredService<CollectorRegistry>()));
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
