using System.Diagnostics;
using HdrHistogram;
using Hft.Client.Rest;

namespace Hft.Tools.Loadgen;

/// <summary>
/// Runs a load: connects the targets, then one sending thread drives every connection - paced (the k-th request is
/// due at start + k / rate, connections in turn; the round trip of each is measured from that due time, not from when
/// it was actually sent, which corrects for coordinated omission) or flat out (each connection keeps
/// up to --window requests in flight). Stops at --duration or --count, waits briefly for the last answers, reports.
/// </summary>
public sealed class LoadgenRunner(LoadgenOptions options)
{
    private ConnectionLoad[] _loads = [];
    private long _started;

    /// <summary>Progress for the display: seconds elapsed and requests sent so far.</summary>
    public (double Seconds, long Sent, long Answered, long Errors) Progress()
    {
        if (_started == 0) return (0, 0, 0, 0);
        long sent = 0, answered = 0, errors = 0;
        foreach (var l in _loads)
        {
            sent += l.Sent;
            answered += l.Answered;
            errors += l.Errors;
        }
        return (Stopwatch.GetElapsedTime(_started).TotalSeconds, sent, answered, errors);
    }

    public async Task<LoadgenReport> RunAsync(CancellationToken cancel)
    {
        using var http = new HftRestClient(new HftRestClientOptions(new Uri(options.Url)) { Timeout = TimeSpan.FromSeconds(10) });
        _loads = new ConnectionLoad[options.Connections];
        var tls = LoadgenTls.Client(options);
        try
        {
            for (int i = 0; i < options.Connections; i++)
            {
                var load = new ConnectionLoad(i + 1);
                string key = options.Keys[i % options.Keys.Count];
                load.Target = options.Protocol switch
                {
                    "rest" => await RestTarget.ConnectAsync(options.Url, key, options.Instrument, load),
                    "fix" => await FixTarget.ConnectAsync(options.Host, options.FixPort, options.Url, options.FixSessions[i], options.Instrument, load, tls),
                    _ => await BinaryTarget.ConnectAsync(options.Host, options.Port, key, options.Instrument, load, tls),
                };
                _loads[i] = load;
            }
            var before = await ServerLatency.ReadAsync(http);
            await ServerLatencyWindow.ReadAsync(http); // closes the server's interval: the next read is this run
            var sending = new Thread(() => Drive(cancel)) { IsBackground = true, Name = "loadgen-send", Priority = ThreadPriority.AboveNormal };
            _started = Stopwatch.GetTimestamp();
            sending.Start();
            await Task.Run(() => sending.Join(), CancellationToken.None);
            double seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
            var drainUntil = Stopwatch.StartNew();
            while (_loads.Sum(l => l.InFlight) > 0 && drainUntil.Elapsed < TimeSpan.FromSeconds(3)) await Task.Delay(10, CancellationToken.None);
            var window = await ServerLatencyWindow.ReadAsync(http);
            var after = await ServerLatency.ReadAsync(http);
            return Report(seconds, before is not null && after is not null ? after.Minus(before) : null, window);
        }
        finally
        {
            foreach (var l in _loads) l?.Target?.Dispose();
        }
    }

    private void Drive(CancellationToken cancel)
    {
        var mix = new OrderMix(options.Mid, options.Seed);
        long start = _started;
        long deadline = start + (long)(options.Duration * Stopwatch.Frequency);
        long limit = options.Count > 0 ? options.Count : long.MaxValue;
        long k = 0;
        var dirty = new bool[_loads.Length];
        if (options.Rate > 0)
        {
            double interval = Stopwatch.Frequency / options.Rate;
            PreciseSleep.TightenTimerSlack();
            while (k < limit && !cancel.IsCancellationRequested)
            {
                long now = Stopwatch.GetTimestamp();
                if (now >= deadline) break;
                long due = start + (long)(k * interval);
                if (now < due)
                {
                    PreciseSleep.Until(Math.Min(due, deadline)); // not spinning: the cores belong to the server meanwhile
                    continue;
                }
                while (k < limit && start + (long)(k * interval) <= now)
                {
                    int c = (int)(k % _loads.Length);
                    if (_loads[c].Closed is null) mix.Next(_loads[c], start + (long)(k * interval)); // latency from the intended send time
                    dirty[c] = true;
                    k++;
                }
                for (int c = 0; c < dirty.Length; c++)
                {
                    if (!dirty[c]) continue;
                    dirty[c] = false;
                    Flush(_loads[c]);
                }
            }
            return;
        }
        while (k < limit && !cancel.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline)
        {
            bool any = false;
            foreach (var load in _loads)
            {
                if (load.Closed is not null) continue;
                int burst = 0;
                while (k < limit && load.InFlight < options.Window && burst < options.Window)
                {
                    mix.Next(load, Stopwatch.GetTimestamp());
                    k++;
                    burst++;
                }
                if (burst == 0) continue;
                any = true;
                Flush(load);
            }
            if (!any) Thread.Yield();
            if (_loads.All(l => l.Closed is not null)) return;
        }
    }

    private static void Flush(ConnectionLoad load)
    {
        try
        {
            load.Target!.Flush();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            load.OnClosed(e.Message);
        }
    }

    private LoadgenReport Report(double seconds, ServerLatency? server, ServerLatencyWindow? window)
    {
        var errorsByReason = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var unansweredByKind = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var l in _loads)
        {
            foreach (var (reason, n) in l.ErrorsByReason()) errorsByReason[reason] = errorsByReason.GetValueOrDefault(reason) + n;
            foreach (var (kind, n) in l.Unanswered())
            {
                string name = kind.ToString().ToLowerInvariant();
                unansweredByKind[name] = unansweredByKind.GetValueOrDefault(name) + n;
            }
        }
        var histogram = new LongHistogram(1, 60_000_000_000L, 3);
        foreach (var l in _loads) histogram.Add(l.Histogram);
        long sent = _loads.Sum(l => l.Sent), answered = _loads.Sum(l => l.Answered), errors = _loads.Sum(l => l.Errors);
        long unanswered = sent - answered;
        return new LoadgenReport
        {
            Protocol = options.Protocol, Connections = options.Connections, TargetRate = options.Rate, Seconds = seconds,
            Requests = sent, NewOrders = _loads.Sum(l => l.NewOrders), Answered = answered, RequestsPerSecond = answered / seconds,
            OrdersPerSecond = _loads.Sum(l => l.NewOrders) / seconds, Errors = errors + unanswered,
            ErrorRate = sent == 0 ? 0 : (double)(errors + unanswered) / sent, TooLate = _loads.Sum(l => l.TooLate), Unanswered = unanswered,
            RoundTripP50Us = LoadgenReport.Us(histogram, 50), RoundTripP99Us = LoadgenReport.Us(histogram, 99),
            RoundTripP999Us = LoadgenReport.Us(histogram, 99.9), RoundTripMaxUs = histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1000.0,
            CoordinatedOmissionCorrected = options.Rate > 0,
            ServerSamples = window?.Count ?? server?.Count,
            ServerP50Us = window?.P50Us ?? server?.Quantile(0.50) * 1e6,
            ServerP99Us = window?.P99Us ?? server?.Quantile(0.99) * 1e6,
            ServerP999Us = window?.P999Us ?? server?.Quantile(0.999) * 1e6,
            ServerMaxUs = window?.MaxUs,
            ServerSource = window is not null ? "hdr" : server is not null ? "buckets" : null,
            ErrorsByReason = errorsByReason,
            UnansweredByKind = unansweredByKind,
            Disconnects = _loads.Where(l => l.Closed is not null).Select(l => l.Closed!).ToList(),
        };
    }
}
