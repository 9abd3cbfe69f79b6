using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using HdrHistogram;
using Hft.Client.MarketData;
using Hft.Configuration;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.MarketData;
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
/// orders straight into the pipeline at a fixed rate, and reports delivered messages/s, publish latency (from the
/// submission of the order that caused a trade to the client's receipt of that trade; the older figure from the
/// publisher's own timestamp in the message is printed too, as "stamp") and the pipeline's match-stage
/// latency (LatencyRecorder, the numbers behind /debug/latency) - so the effect of N on matching is visible - and the
/// process's CPU time (server and clients) per delivered message, which foreign load on the machine disturbs far less
/// than the latencies.
/// With <c>feed</c> as fifth argument the binary UDP feed is on too, received by one <see cref="FeedClient"/> on loopback:
/// its trade messages give the feed's publish latency the same way (submission → decode) and from the message's own
/// publish time ("stamp": the publisher's encoding → the client's decode).
/// Each run is bounded: a fixed order count, a 60 s cap on draining.
/// </summary>
public static class WsFanout
{
    private static int OrdersPerSecond = 1000;
    private static int ConflateMs;
    private static bool BinaryFeed;

    /// <summary>Arguments: [orders=5000] [subscriber counts=0,100,1000] [orders/s=1000] [level2 conflate_ms=0] [feed].</summary>
    public static void Run(string[] args)
    {
        int orders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        var counts = args.Length > 1 ? args[1].Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray() : [0, 100, 1000];
        if (args.Length > 2) OrdersPerSecond = int.Parse(args[2], CultureInfo.InvariantCulture);
        if (args.Length > 3) ConflateMs = int.Parse(args[3], CultureInfo.InvariantCulture);
        BinaryFeed = args.Length > 4 && args[4] == "feed";
        Console.WriteLine($"ws-fanout: {orders} orders at {OrdersPerSecond}/s per run, level2 conflate_ms {ConflateMs}, send queue limit 1000, "
            + $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        Console.WriteLine("subscribers | delivered msgs | msgs/s | publish p50 us | publish p99 us | stamp p50 us | stamp p99 us | match p50 us | match p99 us | match samples | slow-consumer resyncs | moved to conflated | cpu us per msg");
        foreach (int n in counts) RunOnce(n, orders).GetAwaiter().GetResult();
    }

    private static async Task RunOnce(int subscribers, int orders)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        // every fourth order is an IOC that takes exactly one resting lot: trade seq k is the k-th IOC, order 4k-1
        var submitted = new long[orders / 4 + 2];
        var measuring = new StrongBox<bool>();
        using var feed = BinaryFeed ? new FeedSubscriber(submitted, measuring) : null;
        if (feed is not null)
            config = config with
            {
                MarketData = config.MarketData with
                {
                    BinaryFeedEnabled = true, BinaryFeedTargets = [$"127.0.0.1:{feed.Client.Port}"], BinaryFeedRecoveryPort = 0,
                },
            };
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

        var clients = new List<ClientWebSocket>();
        var readers = new List<Reader>();
        var tasks = new List<Task>();
        var subscribe = Encoding.UTF8.GetBytes($"{{\"op\":\"subscribe\",\"channel\":\"level2\",\"symbol\":\"BTCUSD\",\"conflate_ms\":{ConflateMs}}}");
        var subscribeTrades = Encoding.UTF8.GetBytes("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\"}");
        for (int i = 0; i < subscribers; i++)
        {
            var ws = new ClientWebSocket();
            await ws.ConnectAsync(wsUri, CancellationToken.None);
            await ws.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
            await ws.SendAsync(subscribeTrades, WebSocketMessageType.Text, true, CancellationToken.None);
            clients.Add(ws);
            var reader = new Reader(ws, submitted, measuring);
            readers.Add(reader);
            tasks.Add(Task.Run(reader.Run));
        }
        for (int i = 0; i < 600 && readers.Count(r => Volatile.Read(ref r.Ready)) < subscribers; i++) await Task.Delay(100); // every level2 snapshot in
        Volatile.Write(ref measuring.Value, true);

        var pipeline = server.Pipeline;
        pipeline.Accounts.TryGet("A1", out int a1);
        pipeline.Accounts.TryGet("A2", out int a2);
        pipeline.Instruments.TryGet("BTCUSD", out var inst);
        inst!.TryParsePrice("49000"u8, out long mid);
        inst.TryParseQuantity("0.01"u8, out long lot);
        var latency = server.Services.GetRequiredService<PipelineMetrics>().Latency;
        var before = latency.Snapshot().SinceStart.Stages["match"];

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        // the driver sleeps between orders: on its own thread, never blocking a thread-pool thread the sockets need
        var driver = new Thread(() => Drive(pipeline, inst, a1, a2, mid, lot, orders, started, submitted)) { Name = "ws-fanout-driver" };
        driver.Start();
        while (driver.IsAlive) await Task.Delay(50);
        // drain: until no message arrived for 1 s (at most 60 s)
        var drain = Stopwatch.StartNew();
        long LastReceipt() => readers.Count == 0 ? started : readers.Max(r => Volatile.Read(ref r.LastReceipt));
        while (subscribers > 0 && drain.Elapsed < TimeSpan.FromSeconds(60)
               && Stopwatch.GetElapsedTime(Math.Max(started, LastReceipt())) < TimeSpan.FromSeconds(1))
            await Task.Delay(100);
        double seconds = subscribers > 0 ? Stopwatch.GetElapsedTime(started, LastReceipt()).TotalSeconds : Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var match = latency.Snapshot().SinceStart.Stages["match"];
        var publisher = server.Services.GetRequiredService<MarketDataPublisher>();

        Volatile.Write(ref measuring.Value, false);
        long d = readers.Sum(r => Volatile.Read(ref r.Delivered));
        var publish = Reader.NewHistogram();
        var stamp = Reader.NewHistogram();
        foreach (var r in readers)
        {
            lock (r.Publish) publish.Add(r.Publish);
            lock (r.Stamp) stamp.Add(r.Stamp);
        }
        static string P(LongHistogram h, double q) => h.TotalCount == 0 ? "-" : h.GetValueAtPercentile(q).ToString(CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{subscribers,11} | {d,14} | {d / seconds,6:F0} | {P(publish, 50),14} | {P(publish, 99),14} | {P(stamp, 50),12} | {P(stamp, 99),12} | {match.P50,12:F2} | {match.P99,12:F2} | {match.Count - before.Count,13} | {publisher.OverflowNotices,21} | {publisher.SlowConsumerConflations,18} | {(d == 0 ? "-" : (cpu.TotalMicroseconds / d).ToString("F2", CultureInfo.InvariantCulture)),14}"));

        if (feed is not null)
            lock (feed.Publish)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{"",11} | binary feed: {feed.Publish.TotalCount} trades decoded, publish p50 {P(feed.Publish, 50)} us, p99 {P(feed.Publish, 99)} us; stamp p50 {P(feed.Stamp, 50)} us, p99 {P(feed.Stamp, 99)} us; {feed.Client.Messages} messages, {feed.Client.Gaps} gaps"));

        foreach (var ws in clients) ws.Abort();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var ws in clients) ws.Dispose();
        await server.StopAsync();
    }

    private static void Drive(TradingPipeline pipeline, Hft.Core.Instruments.Instrument inst, int a1, int a2, long mid, long lot, int orders, long started, long[] submitted)
    {
        for (int i = 0; i < orders; i++)
        {
            // resting orders on 10 levels each side, every fourth order an IOC that crosses: trades and level2 changes
            bool buy = i % 2 == 0;
            bool ioc = i % 4 == 3;
            long price = buy ? mid - (i % 10) * 100 + (ioc ? 2000 : 0) : mid + 100 + (i % 10) * 100 - (ioc ? 2000 : 0);
            var cmd = OrderCommand.NewLimit(pipeline.NextOrderId(), buy ? a1 : a2, inst.Index, buy ? Side.Buy : Side.Sell, price, lot,
                ioc ? TimeInForce.Ioc : TimeInForce.Gtc);
            long at = Stopwatch.GetTimestamp();
            if (ioc) Volatile.Write(ref submitted[(i + 1) / 4], at);
            while (pipeline.Submit(in cmd, null, at) != AdmitResult.Accepted) Thread.Sleep(1);
            // paced by sleeping (not spinning): on a small machine a spinning driver would steal the publisher's core
            long due = started + (long)((i + 1) * (double)Stopwatch.Frequency / OrdersPerSecond);
            if (Stopwatch.GetTimestamp() < due) Thread.Sleep(1);
        }
    }

    /// <summary>
    /// One subscriber's receive loop. Its counters and histograms are its own (no shared cache line written per message
    /// by every client) and merged after the run; latencies are in microseconds, 2 significant digits.
    /// </summary>
    private sealed class Reader(ClientWebSocket ws, long[] submitted, StrongBox<bool> measuring)
    {
        private static readonly byte[] TimeField = Encoding.UTF8.GetBytes("\"time\":\"");
        private static readonly byte[] TradesChannel = Encoding.UTF8.GetBytes("\"channel\":\"trades\"");
        private static readonly byte[] Snapshot = Encoding.UTF8.GetBytes("\"type\":\"snapshot\"");
        private static readonly byte[] SeqField = Encoding.UTF8.GetBytes("\"seq\":");

        public bool Ready;
        public long Delivered;
        public long LastReceipt;
        public readonly LongHistogram Publish = NewHistogram();
        public readonly LongHistogram Stamp = NewHistogram();

        public static LongHistogram NewHistogram() => new(1, 3_600_000_000, 2);

        public async Task Run()
        {
            var buffer = new byte[1 << 16];
            try
            {
                while (true)
                {
                    int length = 0;
                    ValueWebSocketReceiveResult r;
                    do
                    {
                        // no cancellation token: a per-call registration costs; the run ends the loop with Abort
                        r = await ws.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                        if (r.MessageType == WebSocketMessageType.Close) return;
                        length += r.Count;
                        if (length == buffer.Length) length = 0; // a huge snapshot: only counted
                    }
                    while (!r.EndOfMessage);
                    long receipt = Stopwatch.GetTimestamp();
                    var m = buffer.AsSpan(0, length);
                    if (!Ready)
                    {
                        if (m.IndexOf(Snapshot) >= 0) Volatile.Write(ref Ready, true);
                        continue;
                    }
                    if (!Volatile.Read(ref measuring.Value)) continue;
                    Volatile.Write(ref Delivered, Delivered + 1);
                    Volatile.Write(ref LastReceipt, receipt);
                    if (m.IndexOf(TradesChannel) < 0) continue;
                    Record(m, receipt);
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }

        private void Record(ReadOnlySpan<byte> m, long receipt)
        {
            int seqAt = m.IndexOf(SeqField);
            if (seqAt >= 0 && System.Buffers.Text.Utf8Parser.TryParse(m[(seqAt + SeqField.Length)..], out long seq, out _)
                && seq > 0 && seq < submitted.Length && Volatile.Read(ref submitted[seq]) is > 0 and var sentAt)
                lock (Publish) Publish.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sentAt, receipt).TotalMicroseconds));
            int at = m.IndexOf(TimeField);
            if (at < 0) return;
            var rest = m[(at + TimeField.Length)..];
            int end = rest.IndexOf((byte)'"');
            if (end <= 0) return;
            // the writer trims trailing zero digits of the fraction, which the exact 'O' parser refuses
            if (System.Buffers.Text.Utf8Parser.TryParse(rest[..end], out DateTimeOffset sent, out _, 'O')
                || DateTimeOffset.TryParse(Encoding.ASCII.GetString(rest[..end]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out sent))
                lock (Stamp) Stamp.RecordValue(Math.Clamp((DateTime.UtcNow.Ticks - sent.UtcTicks) / 10, 1, 3_600_000_000)); // ticks (100 ns) to µs
        }
    }

    /// <summary>The binary feed's one subscriber: trade messages' latencies, in microseconds, as the WebSocket readers'.</summary>
    private sealed class FeedSubscriber : IDisposable
    {
        public readonly FeedClient Client = new(new FeedClientOptions());
        public readonly LongHistogram Publish = Reader.NewHistogram();
        public readonly LongHistogram Stamp = Reader.NewHistogram();

        public FeedSubscriber(long[] submitted, StrongBox<bool> measuring)
        {
            Client.OnMessage = (in FeedMessage m, long decoded, bool recovered) =>
            {
                if (m.Type != FeedMessageType.Trade || !Volatile.Read(ref measuring.Value)) return;
                long now = Stopwatch.GetTimestamp();
                lock (Publish)
                {
                    if (m.TradeId > 0 && m.TradeId < submitted.Length && Volatile.Read(ref submitted[m.TradeId]) is > 0 and var sentAt)
                        Publish.RecordValue(Math.Max(1, (long)Stopwatch.GetElapsedTime(sentAt, now).TotalMicroseconds));
                    Stamp.RecordValue(Math.Clamp((decoded - m.Timestamp) / 1000, 1, 3_600_000_000));
                }
            };
            Client.Start();
        }

        public void Dispose() => Client.Dispose();
    }
}
