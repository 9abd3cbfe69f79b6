using System.Diagnostics;
using System.Runtime.InteropServices;
using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;
using Prometheus;

namespace Hft.Pipeline.Monitoring;

/// <summary>
/// The pipeline's Prometheus counters and latency histograms, fed on the processing thread after every command.
/// Cheap there: every labelled child (per symbol, side, reason, shard, op, stage) is resolved once in
/// <see cref="Attach"/> into arrays; per command it is array indexing and lock-free increments, no allocation.
/// Latency is sampled by a per-shard counter against <c>[latency_profiling] sample_rate</c> (none when disabled)
/// and goes both to the Prometheus histograms and to the <see cref="LatencyRecorder"/> behind /debug/latency. The
/// order latency ends when the acknowledgment may leave - the command's journal record durable (<see cref="DurableLatency"/>)
/// - not when it is decided. Counters are never sampled. Also counts the commands refused at admission.
/// </summary>
public sealed class PipelineMetrics : IPipelineObserver, IAdmissionObserver
{
    /// <summary>Latency buckets (seconds): 1 μs … 10 s, so that a slow tail is seen as slow, not clipped at the top bucket.</summary>
    public static readonly double[] LatencyBuckets =
    [
        1e-6, 2e-6, 5e-6, 10e-6, 20e-6, 50e-6, 100e-6, 200e-6, 500e-6, 1e-3, 2e-3, 5e-3, 10e-3, 20e-3, 50e-3, 100e-3, 200e-3, 500e-3,
        1, 2, 5, 10,
    ];

    private static readonly string[] s_ops = ["new", "cancel", "replace", "mass_cancel"];
    private static readonly double s_secondsPerTick = 1.0 / Stopwatch.Frequency;
    private const string UnknownSymbol = "unknown";

    private readonly double _sampleRate;
    private readonly Counter _orders;
    private readonly Counter _trades;
    private readonly Counter _tradedQuantity;
    private readonly Counter _rejects;
    private readonly Counter _cancels;
    private readonly Counter _commands;
    private readonly Histogram _orderLatency;
    private readonly Histogram _stageLatency;

    // Resolved children; symbol slot 0 is "unknown", slot i + 1 is instrument i.
    private Counter.Child[] _ordersBySide = [];      // [symbol * 2 + side - 1]
    private Counter.Child[] _tradesBySymbol = [];
    private Counter.Child[] _quantityBySymbol = [];
    private double[] _lotSize = [];
    private Counter.Child[] _rejectsByReason = [];   // [symbol * reasons + reason]
    private Counter.Child[] _cancelsByReason = [];   // [symbol * reasons + reason]
    private Counter.Child[] _commandsByShard = [];
    private readonly Histogram.Child[] _latencyByOp;
    private readonly Histogram.Child[] _latencyByStage;
    private int _symbols;
    private ShardCounters[] _shards = [];
    private DurableLatency[] _durable = [];
    private long _parseSamples;
    private long _refused;

    public PipelineMetrics(HftConfig config, CollectorRegistry registry, LatencyRecorder latency)
    {
        Latency = latency;
        _sampleRate = config.LatencyProfiling.Enabled ? Math.Clamp(config.LatencyProfiling.SampleRate, 0, 1) : 0;
        var factory = Metrics.WithCustomRegistry(registry);
        // No exemplars: nothing to look up (Activity.Current) on the shard thread.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = static (_, _) => Exemplar.None };

        // Children are resolved up front for every symbol and reason, but only exported once touched (or published):
        // the configured symbols start at 0, the many (symbol, reason) pairs that never occur stay out of the scrape.
        var sparse = new CounterConfiguration { SuppressInitialValue = true };
        _orders = factory.CreateCounter("hft_orders_total", "New orders accepted by the matching engine.", ["symbol", "side"], sparse);
        _trades = factory.CreateCounter("hft_trades_total", "Trades (fills) executed.", ["symbol"], sparse);
        _tradedQuantity = factory.CreateCounter("hft_traded_quantity_total", "Quantity traded, in instrument units.", ["symbol"], sparse);
        _rejects = factory.CreateCounter("hft_rejects_total",
            "Commands rejected, by reason (engine and risk rejects, and admission refusals: rate_limited, overloaded, shutting_down).",
            ["symbol", "reason"], sparse);
        _cancels = factory.CreateCounter("hft_cancels_total", "Orders canceled (whole or remainder), by reason.", ["symbol", "reason"], sparse);
        _commands = factory.CreateCounter("hft_commands_total", "Order commands (new, cancel, replace, mass cancel) processed, by matching shard.", "shard");
        _orderLatency = factory.CreateHistogram("hft_order_latency_seconds",
            "Latency from gateway receipt (request parsed) to the acknowledgment's release (its command durable in the journal), sampled by [latency_profiling] sample_rate.",
            ["op"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _stageLatency = factory.CreateHistogram("hft_stage_latency_seconds",
            "Latency per pipeline stage: parse (gateway), queue (receipt to dequeue), risk, match, settle (to decided), journal (decided to durable); sampled.",
            ["stage"], new HistogramConfiguration { Buckets = LatencyBuckets });

        _latencyByOp = new Histogram.Child[s_ops.Length];
        for (int i = 0; i < s_ops.Length; i++) _latencyByOp[i] = _orderLatency.WithLabels(s_ops[i]);
        _latencyByStage = new Histogram.Child[(int)LatencyStage.Journal + 1];
        for (int i = 0; i < _latencyByStage.Length; i++) _latencyByStage[i] = _stageLatency.WithLabels(LatencyRecorder.StageNames[i]);
    }

    public LatencyRecorder Latency { get; }

    /// <summary>Share of commands whose latency is recorded (0 when profiling is disabled).</summary>
    public double SampleRate => _sampleRate;

    /// <summary>Resolves the labelled children for the pipeline's instruments and shards. Call before the shards start.</summary>
    public void Attach(TradingPipeline pipeline)
    {
        var instruments = pipeline.Instruments.All;
        int symbols = instruments.Count + 1;
        var names = new string[symbols];
        names[0] = UnknownSymbol;
        _lotSize = new double[symbols];
        foreach (var inst in instruments)
        {
            names[inst.Index + 1] = inst.Symbol;
            _lotSize[inst.Index + 1] = inst.Lot.Mantissa / Math.Pow(10, inst.Lot.Scale);
        }

        var rejectNames = RejectReasonNames.All;
        var cancelNames = CancelReasonNames.All;
        _ordersBySide = new Counter.Child[symbols * 2];
        _tradesBySymbol = new Counter.Child[symbols];
        _quantityBySymbol = new Counter.Child[symbols];
        _rejectsByReason = new Counter.Child[symbols * rejectNames.Count];
        _cancelsByReason = new Counter.Child[symbols * cancelNames.Count];
        for (int s = 0; s < symbols; s++)
        {
            _ordersBySide[s * 2] = _orders.WithLabels(names[s], "buy");
            _ordersBySide[s * 2 + 1] = _orders.WithLabels(names[s], "sell");
            _tradesBySymbol[s] = _trades.WithLabels(names[s]);
            _quantityBySymbol[s] = _tradedQuantity.WithLabels(names[s]);
            for (int r = 0; r < rejectNames.Count; r++) _rejectsByReason[s * rejectNames.Count + r] = _rejects.WithLabels(names[s], rejectNames[r]);
            for (int r = 0; r < cancelNames.Count; r++) _cancelsByReason[s * cancelNames.Count + r] = _cancels.WithLabels(names[s], cancelNames[r]);
            if (s == 0) continue;
            _ordersBySide[s * 2].Publish();
            _ordersBySide[s * 2 + 1].Publish();
            _tradesBySymbol[s].Publish();
            _quantityBySymbol[s].Publish();
        }
        _shards = new ShardCounters[pipeline.Shards.Count];
        _durable = new DurableLatency[pipeline.Shards.Count];
        for (int i = 0; i < _durable.Length; i++) _durable[i] = new DurableLatency(pipeline.Outbox, RecordDurable);
        _commandsByShard = new Counter.Child[pipeline.Shards.Count];
        for (int i = 0; i < _commandsByShard.Length; i++) _commandsByShard[i] = _commands.WithLabels(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _symbols = symbols;
    }

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps)
    {
        ref var counters = ref _shards[shard];
        counters.Commands++;
        if (command.Op == CommandOp.New) counters.NewOrders++;
        _commandsByShard[shard].Inc();

        foreach (ref readonly var e in events)
        {
            int symbol = SymbolSlot(e.Instrument);
            switch (e.Kind)
            {
                case EventKind.Accepted when e.Op == CommandOp.New:
                    _ordersBySide[symbol * 2 + (e.Side == Side.Sell ? 1 : 0)].Inc();
                    break;
                case EventKind.Trade:
                    _tradesBySymbol[symbol].Inc();
                    _quantityBySymbol[symbol].Inc(e.Quantity * _lotSize[symbol]);
                    break;
                case EventKind.Rejected:
                    counters.Rejects++;
                    _rejectsByReason[symbol * RejectReasonNames.All.Count + Math.Min((int)e.RejectReason, RejectReasonNames.All.Count - 1)].Inc();
                    break;
                case EventKind.Canceled:
                    _cancelsByReason[symbol * CancelReasonNames.All.Count + Math.Min((int)e.CancelReason, CancelReasonNames.All.Count - 1)].Inc();
                    break;
            }
        }

        if (_sampleRate <= 0 || timestamps.Received == 0) return;
        long n = ++counters.Sampled;
        if ((long)(n * _sampleRate) == (long)((n - 1) * _sampleRate)) return;
        Stage(LatencyStage.Queue, timestamps.Received, timestamps.Dequeued);
        Stage(LatencyStage.Risk, timestamps.Dequeued, timestamps.Risked);
        Stage(LatencyStage.Match, timestamps.Risked, timestamps.Matched);
        Stage(LatencyStage.Settle, timestamps.Matched, timestamps.Decided);
        int op = (int)command.Op - 1;
        if (sequence > 0) _durable[shard].Add(op, sequence, timestamps.Received, timestamps.Decided);
        else RecordDurable(op, timestamps.Received, timestamps.Decided, Stopwatch.GetTimestamp()); // nothing journaled: its answer leaves now
    }

    /// <summary>A sampled command's acknowledgment may leave: receipt → now (order), decided → now (journal).</summary>
    private void RecordDurable(int op, long received, long decided, long now)
    {
        if ((uint)op < (uint)_latencyByOp.Length) _latencyByOp[op].Observe((now - received) * s_secondsPerTick);
        Stage(LatencyStage.Journal, decided, now);
        Latency.Record(LatencyStage.Order, received, now);
    }

    /// <summary>Samples dropped because a shard's durability ring was full (the journal far behind).</summary>
    public long DroppedSamples
    {
        get
        {
            long n = 0;
            foreach (var d in _durable) n += d.Dropped;
            return n;
        }
    }

    /// <summary>Gateway threads: the request was read and parsed between the two Stopwatch timestamps (sampled).</summary>
    public void RecordParse(long start, long parsed)
    {
        if (_sampleRate <= 0) return;
        long n = Interlocked.Increment(ref _parseSamples);
        if ((long)(n * _sampleRate) == (long)((n - 1) * _sampleRate)) return;
        Stage(LatencyStage.Parse, start, parsed);
    }

    public void OnRefused(in OrderCommand command, AdmitResult result)
    {
        Interlocked.Increment(ref _refused);
        if (_symbols == 0) return;
        _rejectsByReason[SymbolSlot(command.Instrument) * RejectReasonNames.All.Count + (int)result.ToRejectReason()].Inc();
    }

    /// <summary>Totals since start (for rates): commands (processed or refused), new orders processed, rejects and refusals.</summary>
    public PipelineTotals Totals()
    {
        long commands = 0, newOrders = 0, rejects = 0;
        var shards = _shards;
        for (int i = 0; i < shards.Length; i++)
        {
            commands += Volatile.Read(ref shards[i].Commands);
            newOrders += Volatile.Read(ref shards[i].NewOrders);
            rejects += Volatile.Read(ref shards[i].Rejects);
        }
        long refused = Interlocked.Read(ref _refused);
        return new PipelineTotals(commands + refused, newOrders, rejects + refused);
    }

    private int SymbolSlot(int instrument) => (uint)instrument < (uint)(_symbols - 1) ? instrument + 1 : 0;

    private void Stage(LatencyStage stage, long from, long to)
    {
        if (from == 0 || to < from) return;
        _latencyByStage[(int)stage].Observe((to - from) * s_secondsPerTick);
        Latency.Record(stage, from, to);
    }

    /// <summary>One shard's counters, written only by its thread; padded against false sharing with its neighbours.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct ShardCounters
    {
        [FieldOffset(64)] public long Commands;
        [FieldOffset(72)] public long NewOrders;
        [FieldOffset(80)] public long Rejects;
        [FieldOffset(88)] public long Sampled;
    }
}

/// <summary>Commands submitted (processed or refused at admission), new orders processed, and commands rejected or refused.</summary>
public readonly record struct PipelineTotals(long Commands, long NewOrders, long Rejects);
