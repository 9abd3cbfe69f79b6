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
/// The operations endpoints, served on the operations listener only (<see cref="Listeners.ServedOn.Operations"/>) and
/// behind <see cref="OpsAccess"/>: <c>/metrics</c> (Prometheus text, only with <c>[monitoring] enable_prometheus</c>;
/// the per-account series for an operator), <c>/debug/latency</c> (per-stage percentiles) and
/// <c>/debug/orderbook/{symbol}</c> (L2; L3 with <c>?level=3</c>, which names the owner of every order, for an
/// operator). Also the REST API's description, <c>/openapi.json</c>, which the API listener serves.
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

    /// <summary>Registers the scrape-time gauges of the pipeline's state, of its accounts and of its journal.</summary>
    public static void AttachOperations(this IServiceCollection services, TradingPipeline pipeline)
    {
        services.AddSingleton(sp => new StateMetrics(pipeline, sp.GetRequiredService<PipelineMetrics>(), sp.GetRequiredService<CollectorRegistry>()));
        services.AddSingleton(_ => new AccountMetrics(pipeline));
        services.AddSingleton(sp => new JournalMetrics(pipeline.Journal, sp.GetRequiredService<CollectorRegistry>()));
    }

    public static void MapOperationsEndpoints(this IEndpointRouteBuilder app, HftConfig config)
    {
        if (config.Monitoring.EnablePrometheus)
        {
            _ = app.ServiceProvider.GetRequiredService<StateMetrics>(); // registers the scrape-time callback
            _ = app.ServiceProvider.GetRequiredService<JournalMetrics>(); // and the journal's (before the first append)
            var server = app.ServiceProvider.GetRequiredService<CollectorRegistry>();
            var accounts = app.ServiceProvider.GetRequiredService<AccountMetrics>();
            app.MapGet("/metrics", (HttpContext http) => MetricsExposition.WriteAsync(http, server, accounts));
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
        app.MapGet("/debug/orderbook/{symbol}", (string symbol, TradingPipeline pipeline, int? depth, int? level, HttpContext http)
            => level == 3 && OpsAccess.ViewOf(http) != OpsView.Operator
                ? Task.FromResult(OpsAccess.OperatorOnly("level 3 names the owner of every order"))
                : MarketEndpoints.Book(symbol, pipeline, depth, level));
    }

    /// <summary><c>/openapi.json</c>: the REST API's description (an endpoint of the API listener).</summary>
    public static void MapOpenApiDocument(this IEndpointRouteBuilder app)
        => app.MapGet("/openapi.json", () => Results.Bytes(s_openApi.Value, "application/json"));
}
