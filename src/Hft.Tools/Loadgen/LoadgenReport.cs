using System.Text.Json;
using HdrHistogram;

namespace Hft.Tools.Loadgen;

/// <summary>What a loadgen run achieved: throughput, round-trip latency (µs), errors, and the server's own receipt → ack latency.</summary>
public sealed record LoadgenReport
{
    public required string Protocol { get; init; }
    public required int Connections { get; init; }
    public required double TargetRate { get; init; }
    public required double Seconds { get; init; }
    public required long Requests { get; init; }
    public required long NewOrders { get; init; }
    public required long Answered { get; init; }
    public required double RequestsPerSecond { get; init; }
    public required double OrdersPerSecond { get; init; }
    public required long Errors { get; init; }
    public required double ErrorRate { get; init; }
    public required long TooLate { get; init; }
    public required long Unanswered { get; init; }
    public required double RoundTripP50Us { get; init; }
    public required double RoundTripP99Us { get; init; }
    public required double RoundTripP999Us { get; init; }
    public required double RoundTripMaxUs { get; init; }
    public required bool CoordinatedOmissionCorrected { get; init; }
    public double? ServerSamples { get; init; }
    public double? ServerP50Us { get; init; }
    public double? ServerP99Us { get; init; }
    public double? ServerP999Us { get; init; }
    public double? ServerMaxUs { get; init; }

    /// <summary>Where the server figures come from: "hdr" (its exact histogram of this run) or "buckets" (interpolated).</summary>
    public string? ServerSource { get; init; }

    /// <summary>Refused requests by the server's reason (rate_limited, max_open_orders, ...).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByReason { get; init; } = new Dictionary<string, long>();

    /// <summary>Requests never answered, by kind (new, cancel, replace).</summary>
    public IReadOnlyDictionary<string, long> UnansweredByKind { get; init; } = new Dictionary<string, long>();
    public IReadOnlyList<string> Disconnects { get; init; } = [];

    public static double Us(LongHistogram h, double percentile) => h.TotalCount == 0 ? 0 : h.GetValueAtPercentile(percentile) / 1000.0;

    public void WriteText(TextWriter w)
    {
        w.WriteLine($"loadgen: {Protocol}, {Connections} connection(s), {(TargetRate > 0 ? $"target {TargetRate:N0} req/s" : "flat out")}, {Seconds:N1} s");
        w.WriteLine($"  requests     {Requests:N0} sent, {Answered:N0} answered ({NewOrders:N0} new orders)");
        w.WriteLine($"  throughput   {RequestsPerSecond:N0} requests/s, {OrdersPerSecond:N0} new orders/s");
        w.WriteLine($"  errors       {Errors:N0} ({ErrorRate:P3}); cancel/replace too late (order already gone): {TooLate:N0}; unanswered: {Unanswered:N0}");
        if (ErrorsByReason.Count > 0)
            w.WriteLine($"  refused by   {string.Join(", ", ErrorsByReason.Select(kv => $"{kv.Key} {kv.Value:N0}"))}");
        if (UnansweredByKind.Count > 0)
            w.WriteLine($"  unanswered   {string.Join(", ", UnansweredByKind.Select(kv => $"{kv.Key} {kv.Value:N0}"))}");
        w.WriteLine($"  round trip   p50 {RoundTripP50Us:N1} us, p99 {RoundTripP99Us:N1} us, p99.9 {RoundTripP999Us:N1} us, max {RoundTripMaxUs:N1} us"
            + (CoordinatedOmissionCorrected ? " (coordinated-omission corrected)" : ""));
        if (ServerSamples is { } n)
            w.WriteLine($"  server       receipt->ack p50 {ServerP50Us:N1} us, p99 {ServerP99Us:N1} us, p99.9 {ServerP999Us:N1} us"
                + (ServerMaxUs is { } max ? $", max {max:N1} us" : "")
                + $" ({n:N0} samples, {(ServerSource == "hdr" ? "exact histogram of this run" : "bucket-interpolated")})");
        else
            w.WriteLine("  server       neither /debug/latency nor /metrics reachable: no server-side latency");
        foreach (var d in Disconnects) w.WriteLine($"  disconnected {d}");
    }

    public void WriteJson(TextWriter w) => w.WriteLine(JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
}
