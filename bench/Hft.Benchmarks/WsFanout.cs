using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using HdrHistogram;
using Hft.Configuration;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.Monitoring;
using Hft.Server;
using Hft.Server.MarketData;
using Hft.Server.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Benchmarks;

/// <summary>
/// <c>--ws-fanout [orders] [subscriber counts]</c>: for each subscriber count N (default 0,100,1000) starts an in-process
/// server on loopback, opens N WebSocket clients subscribed to level2 + trades of BTCUSD, submits a fixed number of
/// orders straight into the pipeline at a fixed rate, and reports delivered messages/s, publish latency (the trade
/// message's server timestamp, stamped on the publisher thread, to client receipt) and the pipeline's match-stage
/// latency (LatencyRecorder, the numbers behind /debug/latency) - so the effect of N on matching is visible.
/// Each run is bounded: a fixed order count, a 60 s cap on draining.
/// </summary>
public static class WsFanout
{
    private static int OrdersPerSecond = 1000;
    private static int ConflateMs;

    /// <summary>Arguments: [orders=5000] [subscriber counts=0,100,1000] [orders/s=1000] [level2 conflate_ms=0].</summary>
    public static void Run(string[] args)
    {
        int orders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        var counts = args.Length > 1 ? args[1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : [0, 100, 1000];
        if (args.Length > 2) OrdersPerSecond = int.Parse(args[2], CultureInfo.InvariantCulture);
        if (args.Length > 3) ConflateMs = int.Parse(args[3], CultureInfo.InvariantCulture);
        Console.WriteLine($"ws-fanout: {orders} orders at {OrdersPerSecond}/s per run, level2 conflate_ms {ConflateMs}, send queue limit 1000, "
            + $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine("subscribers | delivered msgs | msgs/s | publish p50 us | publish p99 us | match p50 us | match p99 us | match samples | slow-consumer resyncs");
        foreach (int n in counts) RunOnce(n, orders).GetAwaiter().GetResult();
    }

    private static async Task RunOnce(int subscribers, int orders)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false }, // REST only
            Journal = config.Journal with { Mode = "none" },
            Trading = config.Trading with { MaxOrdersPerSecond = 0 },
            Server = config.Server with { AuditLog = Path.Combine(Path.GetTempPath(), "hft-ws-fanout-audit.log") },
        };
        await using var server = TradingNode.Create(config, logging: _ => { }, new MarketDataOptions { MaxConnections = 100_000 });
        await server.StartAsync();
        var url = server.Urls.First(u => u.StartsWith("http://127.0.0.1:", StringComparison.Ordinal));
        var wsUri = new Uri($"ws://{new Uri(url).Authority}/ws");

        var publish = new LongConcurrentHistogram(1, 600_000_000_000, 3);
        long delivered = 0, lastReceipt = Stopwatch.GetTimestamp();
        int ready = 0;
        using var stop = new CancellationTokenSource();
        var clients = new List<ClientWebSocket>();
        var readers = new List<Task>();
        var subscribe = Encoding.UTF8.GetBytes($"{{\"op\":\"subscribe\",\"channel\":\"level2\",\"symbol\":\"BTCUSD\",\"conflate_ms\":{ConflateMs}}}");
        var subscribeTrades = Encoding.UTF8.GetBytes("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\"}");
        for (int i = 0; i < subscribers; i++)
        {
            var ws = new ClientWebSocket();
            await ws.ConnectAsync(wsUri, CancellationToken.None);
            await ws.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
            await ws.SendAsync(subscribeTrades, WebSocketMessageType.Text, true, CancellationToken.None);
            clients.Add(ws);
            readers.Add(Task.Run(() => Read(ws, publish, stop.Token, () => Interlocked.Increment(ref ready),
                () => { Interlocked.Increment(ref delivered); Volatile.Write(ref lastReceipt, Stopwatch.GetTimestamp()); })));
        }
        for (int i = 0; i < 600 && Volatile.Read(ref ready) < subscribers; i++) await Task.Delay(100); // every level2 snapshot in
        Interlocked.Exchange(ref delivered, 0);
        publish.Reset();

        var pipeline = server.Pipeline;
        pipeline.Accounts.TryGet("A1", out int a1);
        pipeline.Accounts.TryGet("A2", out int a2);
        pipeline.Instruments.TryGet("BTCUSD", out var inst);
        inst!.TryParsePrice("49000"u8, out long mid);
        inst.TryParseQuantity("0.01"u8, out long lot);
        var latency = server.Services.GetRequiredService<PipelineMetrics>().Latency;
        var before = latency.Snapshot().SinceStart.Stages["match"];

        var started = Stopwatch.GetTimestamp();
        // the driver sleeps between orders: on its own thread, never blocking a thread-pool thread the sockets need
        var driver = new Thread(() => Drive(pipeline, inst, a1, a2, mid, lot, orders, started)) { Name = "ws-fanout-driver" };
        driver.Start();
        while (driver.IsAlive) await Task.Delay(50);
        // drain: until no message arrived for 1 s (at most 60 s)
        var drain = Stopwatch.StartNew();
        while (subscribers > 0 && drain.Elapsed < TimeSpan.FromSeconds(60)
               && Stopwatch.GetElapsedTime(Volatile.Read(ref lastReceipt)) < TimeSpan.FromSeconds(1))
            await Task.Delay(100);
        double seconds = subscribers > 0 ? Stopwatch.GetElapsedTime(started, Volatile.Read(ref lastReceipt)).TotalSeconds : Stopwatch.GetElapsedTime(started).TotalSeconds;
        var match = latency.Snapshot().SinceStart.Stages["match"];
        var publisher = server.Services.GetRequiredService<MarketDataPublisher>();

        long d = Interlocked.Read(ref delivered);
        string P(double q) => publish.TotalCount == 0 ? "-" : (publish.GetValueAtPercentile(q) / 1000.0).ToString("F0", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{subscribers,11} | {d,14} | {d / seconds,6:F0} | {P(50),14} | {P(99),14} | {match.P50,12:F2} | {match.P99,12:F2} | {match.Count - before.Count,13} | {publisher.OverflowNotices}"));

        stop.Cancel();
        foreach (var ws in clients) ws.Abort();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var ws in clients) ws.Dispose();
        await server.StopAsync();
    }

    private static void Drive(TradingPipeline pipeline, Hft.Core.Instruments.Instrument inst, int a1, int a2, long mid, long lot, int orders, long started)
    {
        for (int i = 0; i < orders; i++)
        {
            // resting orders on 10 levels each side, every fourth order an IOC that crosses: trades and level2 changes
            bool buy = i % 2 == 0;
            bool ioc = i % 4 == 3;
            long price = buy ? mid - (i % 10) * 100 + (ioc ? 2000 : 0) : mid + 100 + (i % 10) * 100 - (ioc ? 2000 : 0);
            var cmd = OrderCommand.NewLimit(pipeline.NextOrderId(), buy ? a1 : a2, inst.Index, buy ? Side.Buy : Side.Sell, price, lot,
                ioc ? TimeInForce.Ioc : TimeInForce.Gtc);
            while (pipeline.Submit(in cmd, null, Stopwatch.GetTimestamp()) != AdmitResult.Accepted) Thread.Sleep(1);
            // paced by sleeping (not spinning): on a small machine a spinning driver would steal the publisher's core
            long due = started + (long)((i + 1) * (double)Stopwatch.Frequency / OrdersPerSecond);
            if (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
        }
    }

    private static readonly byte[] TimeField = Encoding.UTF8.GetBytes("\"time\":\"");
    private static readonly byte[] TradesChannel = Encoding.UTF8.GetBytes("\"channel\":\"trades\"");
    private static readonly byte[] Snapshot = Encoding.UTF8.GetBytes("\"type\":\"snapshot\"");

    private static async Task Read(ClientWebSocket ws, LongConcurrentHistogram publish, CancellationToken stop, Action ready, Action received)
    {
        var buffer = new byte[1 << 16];
        bool gotSnapshot = false;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(length), stop);
                    if (r.MessageType == WebSocketMessageType.Close) return;
                    length += r.Count;
                    if (length == buffer.Length) length = 0; // a huge snapshot: only counted
                }
                while (!r.EndOfMessage);
                long now = DateTime.UtcNow.Ticks;
                var m = buffer.AsSpan(0, length);
                if (!gotSnapshot && m.IndexOf(Snapshot) >= 0)
                {
                    gotSnapshot = true;
                    ready();
                    continue;
                }
                received();
                if (m.IndexOf(TradesChannel) < 0) continue;
                int at = m.IndexOf(TimeField);
                if (at < 0) continue;
                var rest = m[(at + TimeField.Length)..];
                int end = rest.IndexOf((byte)'"');
                if (end <= 0) continue;
                var text = Encoding.ASCII.GetString(rest[..end]);
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
                    publish.RecordValue(Math.Clamp((now - sent.UtcTicks) * 100, 1, 600_000_000_000)); // ticks (100 ns) to ns
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
