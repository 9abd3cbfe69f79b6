using System.Globalization;
using Hft.Client.Rest;

namespace Hft.Tools.Loadgen;

/// <summary>
/// The server's own receipt → ack histogram, <c>hft_order_latency_seconds</c> (all ops), read from the Prometheus
/// text of /metrics: cumulative bucket counts by upper bound. Two reads are subtracted to get one run's share. The
/// fallback for a server without /debug/latency (<see cref="ServerLatencyWindow"/> reads its exact HdrHistogram).
/// </summary>
public sealed record ServerLatency(IReadOnlyList<(double Le, double Count)> Buckets)
{
    private const string Prefix = "hft_order_latency_seconds_bucket{";

    public double Count => Buckets.Count == 0 ? 0 : Buckets[^1].Count;

    public static ServerLatency Parse(string text)
    {
        var sums = new SortedDictionary<double, double>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (!line.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            int close = line.IndexOf('}', StringComparison.Ordinal);
            if (close < 0) continue;
            string labels = line[Prefix.Length..close];
            int le = labels.IndexOf("le=\"", StringComparison.Ordinal);
            if (le < 0) continue;
            string bound = labels[(le + 4)..labels.IndexOf('"', le + 4)];
            double upper = bound == "+Inf" ? double.PositiveInfinity : double.Parse(bound, CultureInfo.InvariantCulture);
            string value = line[(close + 1)..].Trim().Split(' ')[0];
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double count)) continue;
            sums[upper] = sums.GetValueOrDefault(upper) + count;
        }
        return new ServerLatency(sums.Select(kv => (kv.Key, kv.Value)).ToList());
    }

    public static async Task<ServerLatency?> ReadAsync(HftRestClient api)
    {
        var reply = await api.MetricsAsync();
        return reply.Ok ? Parse(reply.Text) : null;
    }

    public ServerLatency Minus(ServerLatency before)
        => new(Buckets.Select(b => (b.Le, b.Count - before.Buckets.FirstOrDefault(x => x.Le == b.Le).Count)).ToList());

    /// <summary>The quantile in seconds, interpolated linearly inside its bucket (bucket resolution: 1, 2, 5, 10, 20 ... µs); null without samples.</summary>
    public double? Quantile(double q)
    {
        double total = Count;
        if (total <= 0) return null;
        double target = q * total, previousLe = 0, previousCount = 0;
        foreach (var (le, count) in Buckets)
        {
            if (count >= target)
            {
                if (double.IsPositiveInfinity(le)) return previousLe;
                double inBucket = count - previousCount;
                return inBucket <= 0 ? le : previousLe + (le - previousLe) * (target - previousCount) / inBucket;
            }
            previousLe = le;
            previousCount = count;
        }
        return previousLe;
    }
}

/// <summary>
/// The server's receipt → ack percentiles over exactly one run, from its HdrHistogram behind <c>/debug/latency</c>: a
/// read before the run closes the server's interval, the read after returns the run's interval (µs, no bucket
/// interpolation, nothing clipped below 60 s).
/// </summary>
public sealed record ServerLatencyWindow(long Count, double P50Us, double P99Us, double P999Us, double MaxUs)
{
    /// <summary>Reads (and closes) the server's current interval; null when the server has no /debug/latency.</summary>
    public static async Task<ServerLatencyWindow?> ReadAsync(HftRestClient api)
    {
        var reply = await api.LatencyAsync();
        if (!reply.Ok) return null;
        try
        {
            var order = reply.Body.GetProperty("lastInterval").GetProperty("stages").GetProperty("order");
            return new ServerLatencyWindow(order.GetProperty("count").GetInt64(), order.GetProperty("p50").GetDouble(),
                order.GetProperty("p99").GetDouble(), order.GetProperty("p999").GetDouble(), order.GetProperty("max").GetDouble());
        }
        // not the expected JSON (InvalidOperationException: no JSON body at all)
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
