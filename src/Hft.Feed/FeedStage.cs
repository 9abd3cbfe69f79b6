using System.Diagnostics;
using Hft.Configuration;
using Hft.Core.Instruments;
using Hft.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Feed;

/// <summary>
/// The reference price feed stage: runs the configured adapter and turns its prices into mark prices, and watches
/// every mapped symbol for staleness.
/// <list type="number">
/// <item>Marks go through <see cref="Pipeline.Admin.OperatorActions.SetMark"/>, the journaled path of an operator's mark, so a replay
/// makes the same risk decisions. Rate-limited per symbol: applied when at least <c>min_mark_interval_ms</c> passed since
/// the last applied mark AND the price moved by at least <c>min_mark_move_ticks</c>; a price held back is applied
/// by the monitor once due, so the last price always lands. The first price after staleness is applied at once.</item>
/// <item>A symbol with no update for <c>staleness_seconds</c> (counted from start before the first) turns stale:
/// <c>hft_feed_stale</c> = 1, a warning, and on_stale: halt (<see cref="Pipeline.Admin.OperatorActions.SetFeedHalted"/>), widen
/// (<see cref="Pipeline.Admin.OperatorActions.SetBandWiden"/>) or nothing. The next update lifts what the feed did; an operator's
/// halt is separate and stays.</item>
/// </list>
/// All state changes happen under one lock (feeds deliver tens of updates per second, far from the order path).
/// </summary>
public sealed class FeedStage : BackgroundService, IPriceSink
{
    private readonly TradingPipeline _pipeline;
    private readonly FeedConfig _config;
    private readonly IPriceFeedAdapter? _adapter;
    private readonly FeedMetrics _metrics;
    private readonly ILogger _log;
    private readonly FeedSymbolState?[] _byInstrument;
    private readonly List<FeedSymbolState> _symbols = [];
    private readonly object _gate = new();
    private readonly long _staleTicks;
    private readonly long _markIntervalTicks;
    private readonly long _widenPpm;
    private readonly Prometheus.Counter.Child[] _rejected;
    private long _rejectedTotal;
    private volatile bool _connected;

    public FeedStage(TradingPipeline pipeline, FeedConfig config, IPriceFeedAdapter? adapter, IEnumerable<(Instrument Instrument, string Product)> symbols,
        FeedMetrics metrics, ILogger log)
    {
        _pipeline = pipeline;
        _config = config;
        _adapter = config.Enabled ? adapter : null;
        _metrics = metrics;
        _log = log;
        _staleTicks = (long)(config.StalenessSeconds * Stopwatch.Frequency);
        _markIntervalTicks = config.MinMarkIntervalMs * Stopwatch.Frequency / 1000;
        _widenPpm = FeedConfig.WidenPpm(config.WidenFactor);
        _byInstrument = new FeedSymbolState?[pipeline.Instruments.Count];
        string source = _adapter?.Source ?? "none";
        _rejected = new Prometheus.Counter.Child[FeedParseResults.Count];
        for (int i = 0; i < _rejected.Length; i++)
        {
            var reason = (FeedParseResult)i;
            var child = metrics.Rejected.WithLabels(source, reason.Label());
            if (reason is FeedParseResult.Price or FeedParseResult.Ignored) child.Remove(); // never a rejection: not exported
            _rejected[i] = child;
        }
        long now = Stopwatch.GetTimestamp();
        if (_adapter is not null)
        {
            foreach (var (instrument, product) in symbols)
            {
                var state = new FeedSymbolState(instrument, product, now)
                {
                    Staleness = metrics.Staleness.WithLabels(source, instrument.Symbol),
                    StaleFlag = metrics.Stale.WithLabels(instrument.Symbol),
                    UpdateCount = metrics.Updates.WithLabels(source, instrument.Symbol),
                    MarksApplied = metrics.MarksApplied.WithLabels(instrument.Symbol),
                };
                _byInstrument[instrument.Index] = state;
                _symbols.Add(state);
            }
            metrics.Reconnects.WithLabels(source).IncTo(0);
            metrics.Connected.WithLabels(source).Set(0);
        }
        // Exported for every enabled symbol, whatever the feed does, so alert rules can reference it.
        foreach (var symbol in pipeline.Config.Trading.EnabledSymbols) metrics.Stale.WithLabels(symbol).Set(0);
    }

    /// <summary>Builds the stage and its adapter from [feed] (adapter none or enabled = false: a stage that only lifts leftovers).</summary>
    public static FeedStage Create(TradingPipeline pipeline, HftConfig config, FeedMetrics metrics, ILogger log)
    {
        var f = config.Feed;
        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(f.ReconnectMinMs), TimeSpan.FromMilliseconds(f.ReconnectMaxMs));
        Instrument Find(string symbol) => pipeline.Instruments.TryGet(symbol, out var i) ? i : throw new InvalidOperationException($"feed: unknown symbol {symbol}");
        var mapped = f.Symbols.Select(s => (Instrument: Find(s.Symbol), s.Product)).ToList();
        IPriceFeedAdapter? adapter = null;
        switch (f.Enabled ? f.Adapter : "none")
        {
            case "mock":
                // The walk starts from the mark in force (configured mark_price, or the last one recovered from the journal).
                var symbols = ConfigValidator.MockSymbols(config).Select(Find).Where(i => pipeline.RiskBook.Instrument(i.Index)!.Mark > 0).ToList();
                mapped = symbols.Select(i => (i, i.Symbol)).ToList();
                var starts = symbols.Select(i => (i.Index, pipeline.RiskBook.Instrument(i.Index)!.Mark)).ToList();
                adapter = new MockRandomWalkFeed(starts, f.MockSeed, f.MockVolatilityBps, TimeSpan.FromMilliseconds(f.MockIntervalMs));
                break;
            case "coinbase":
                adapter = new CoinbaseTickerAdapter(new Uri(f.Url!), new FeedSymbolMap(mapped.Select(m => (m.Product, m.Instrument))), backoff);
                break;
            case "binance":
                adapter = new BinanceBookTickerAdapter(new Uri(f.Url!), new FeedSymbolMap(mapped.Select(m => (m.Product, m.Instrument)), ignoreCase: true),
                    backoff);
                break;
        }
        return new FeedStage(pipeline, f, adapter, mapped, metrics, log);
    }

    public bool Enabled => _adapter is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        lock (_gate)
        {
            // Feed halts and widening recovered from the journal: a feed that no longer watches the symbol lifts them
            // now; a watched symbol starts stale so that its first fresh price lifts them.
            foreach (var inst in _pipeline.Instruments.All)
            {
                var ri = _pipeline.RiskBook.Instrument(inst.Index)!;
                if (!ri.FeedHalted && ri.BandWidenPpm == 0) continue;
                if (_byInstrument[inst.Index] is { } watched)
                {
                    watched.Stale = true;
                    watched.StaleFlag.Set(1);
                }
                else
                {
                    _log.LogInformation("feed: {Symbol} is not watched by the feed (any more): lifting its feed halt/band widening", inst.Symbol);
                    Lift(inst.Index);
                }
            }
        }
        if (_adapter is null) return;
        _log.LogInformation("feed: {Source} for {Symbols}; stale after {Seconds} s -> {Action}", _adapter.Source,
            string.Join(",", _symbols.Select(s => s.Instrument.Symbol)), _config.StalenessSeconds, _config.OnStale);
        var run = _adapter.RunAsync(this, stoppingToken);
        var period = TimeSpan.FromSeconds(Math.Clamp(_config.StalenessSeconds / 5, 0.02, 1));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) Check();
        }
        catch (OperationCanceledException)
        {
        }
        try
        {
            await run;
        }
        catch (OperationCanceledException)
        {
        }
    }

    // ---- from the adapter ----

    public void OnPrice(int instrument, long ticks)
    {
        if ((uint)instrument >= (uint)_byInstrument.Length || _byInstrument[instrument] is not { } s) return;
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            s.LastPrice = ticks;
            s.LastUpdate = now;
            s.Received = true;
            s.Updates++;
            s.UpdateCount.Inc();
            s.Staleness.Set(0);
            if (s.Stale)
            {
                // Back from stale: the fresh mark first (whatever the interval), then trading resumes on it.
                if (s.LastPrice != s.AppliedMark) ApplyMark(s, now);
                Fresh(s);
            }
            else if (MarkDue(s, now))
            {
                ApplyMark(s, now);
            }
        }
    }

    public void OnRejected(FeedParseResult reason)
    {
        if (reason is FeedParseResult.Price or FeedParseResult.Ignored) return;
        Interlocked.Increment(ref _rejectedTotal);
        _rejected[(int)reason].Inc();
    }

    public void OnConnection(bool connected)
    {
        if (_adapter is null) return;
        _connected = connected;
        _metrics.Connected.WithLabels(_adapter.Source).Set(connected ? 1 : 0);
        if (!connected)
        {
            _metrics.Reconnects.WithLabels(_adapter.Source).Inc();
            _log.LogWarning("feed: {Source} connection lost; reconnecting with backoff", _adapter.Source);
        }
        else
        {
            _log.LogInformation("feed: {Source} connected", _adapter.Source);
        }
    }

    // ---- monitor ----

    /// <summary>Ages, stale transitions and held-back marks; runs on the monitor timer (tests call it directly).</summary>
    public void Check()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            foreach (var s in _symbols)
            {
                long age = now - s.LastUpdate;
                s.Staleness.Set((double)age / Stopwatch.Frequency);
                if (!s.Stale && age > _staleTicks) Stale(s, age);
                if (s.Received && MarkDue(s, now)) ApplyMark(s, now);
            }
        }
    }

    private bool MarkDue(FeedSymbolState s, long now)
        => Math.Abs(s.LastPrice - s.AppliedMark) >= _config.MinMarkMoveTicks
           && (s.AppliedAt == 0 || now - s.AppliedAt >= _markIntervalTicks);

    private void ApplyMark(FeedSymbolState s, long now)
    {
        if (!_pipeline.OrderEntryEnabled) return; // a follower of a replicated group: the leader's feed marks, followers apply its records
        try
        {
            _pipeline.Operators.SetMark(s.Instrument.Index, s.LastPrice);
            s.AppliedMark = s.LastPrice;
            s.AppliedAt = now;
            s.MarksApplied.Inc();
        }
        catch (Exception e) when (e is IOException or JournalFailedException or ObjectDisposedException or InvalidOperationException)
        {
            s.AppliedAt = now; // retried after the interval
            _log.LogError("feed: could not apply mark {Price} to {Symbol}: {Error}", s.Instrument.FormatPrice(s.LastPrice), s.Instrument.Symbol, e.Message);
        }
    }

    private void Stale(FeedSymbolState s, long age)
    {
        s.Stale = true;
        s.StaleFlag.Set(1);
        _log.LogWarning("feed: {Symbol} STALE: no reference price from {Source} for {Age:N1} s (limit {Limit} s); on_stale={Action}",
            s.Instrument.Symbol, _adapter!.Source, (double)age / Stopwatch.Frequency, _config.StalenessSeconds, _config.OnStale);
        if (!_pipeline.OrderEntryEnabled) return;
        try
        {
            if (_config.OnStale == "halt") _pipeline.Operators.SetFeedHalted(s.Instrument.Index, true);
            else if (_config.OnStale == "widen") _pipeline.Operators.SetBandWiden(s.Instrument.Index, _widenPpm);
        }
        catch (Exception e) when (e is IOException or JournalFailedException or ObjectDisposedException or InvalidOperationException)
        {
            _log.LogError("feed: could not apply on_stale={Action} to {Symbol}: {Error}", _config.OnStale, s.Instrument.Symbol, e.Message);
        }
    }

    private void Fresh(FeedSymbolState s)
    {
        s.Stale = false;
        s.StaleFlag.Set(0);
        var ri = _pipeline.RiskBook.Instrument(s.Instrument.Index)!;
        _log.LogInformation("feed: {Symbol} fresh again{Lift}", s.Instrument.Symbol,
            ri.OperatorHalted ? " (an operator's halt stays in force)" : "");
        Lift(s.Instrument.Index);
    }

    private void Lift(int instrument)
    {
        var ri = _pipeline.RiskBook.Instrument(instrument)!;
        if (!_pipeline.OrderEntryEnabled) return;
        try
        {
            if (ri.FeedHalted) _pipeline.Operators.SetFeedHalted(instrument, false);
            if (ri.BandWidenPpm != 0) _pipeline.Operators.SetBandWiden(instrument, 0);
        }
        catch (Exception e) when (e is IOException or JournalFailedException or ObjectDisposedException or InvalidOperationException)
        {
            _log.LogError("feed: could not lift the feed's halt/widening of {Symbol}: {Error}", ri.Instrument.Symbol, e.Message);
        }
    }

    // ---- status ----

    /// <summary>A consistent copy of the feed's state for GET /api/v1/feed/status.</summary>
    public FeedStatus Status()
    {
        long now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            var symbols = _symbols.Select(s =>
            {
                var ri = _pipeline.RiskBook.Instrument(s.Instrument.Index)!;
                return new FeedSymbolStatus(s.Instrument.Symbol, s.Product, s.Received ? s.Instrument.FormatPrice(s.LastPrice) : null,
                    ri.Mark != 0 ? s.Instrument.FormatPrice(ri.Mark) : null, Math.Round((double)(now - s.LastUpdate) / Stopwatch.Frequency, 3),
                    s.Stale, s.Updates, ri.FeedHalted, ri.OperatorHalted, ri.BandWidenPpm != 0);
            }).ToList();
            return new FeedStatus(_adapter is not null, _adapter?.Source ?? "none", _connected, _config.StalenessSeconds, _config.OnStale,
                _config.WidenFactor, Interlocked.Read(ref _rejectedTotal), symbols);
        }
    }
}

/// <summary>GET /api/v1/feed/status.</summary>
public sealed record FeedStatus(bool Enabled, string Source, bool Connected, double StalenessSeconds, string OnStale, string WidenFactor,
    long Rejected, IReadOnlyList<FeedSymbolStatus> Symbols);

public sealed record FeedSymbolStatus(string Symbol, string Product, string? LastPrice, string? Mark, double AgeSeconds, bool Stale, long Updates,
    bool FeedHalted, bool OperatorHalted, bool BandWidened);
