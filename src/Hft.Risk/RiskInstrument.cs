using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Risk;

/// <summary>What risk knows of an instrument: its grid in <see cref="Amount"/> units, band, reference prices, halt.</summary>
public sealed class RiskInstrument
{
    public RiskInstrument(Instrument instrument)
    {
        Instrument = instrument;
        LotUnit = Amount.UnitOf(instrument.Lot);
        NotionalUnit = (Int128)instrument.Tick.Mantissa * instrument.Lot.Mantissa
            * (Int128)DecimalText.Pow10(Amount.Scale - instrument.Tick.Scale - instrument.Lot.Scale);
    }

    public Instrument Instrument { get; }

    /// <summary>One lot in units of 10^-18 instrument units.</summary>
    public Int128 LotUnit { get; }

    /// <summary>One tick × one lot in units of 10^-18 money: notional = ticks × lots × NotionalUnit.</summary>
    public Int128 NotionalUnit { get; }

    private Amount? _bandPct;
    private long _bandWidenPpm;
    private volatile StrongBandPct? _effectiveBand; // what the shard reads: one reference, never a torn struct

    /// <summary>Price band as a percentage (e.g. 5 = ±5%), or null for none: the configured band, before any widening.</summary>
    public Amount? BandPct
    {
        get => _bandPct;
        set
        {
            _bandPct = value;
            UpdateEffectiveBand();
        }
    }

    /// <summary>
    /// Reference price feed stale with <c>on_stale = "widen"</c>: the band is multiplied by this factor in millionths
    /// (2_000_000 = twice as wide); 0 = as configured. Set by the pipeline (journaled), read by every shard.
    /// </summary>
    public long BandWidenPpm
    {
        get => Volatile.Read(ref _bandWidenPpm);
        set
        {
            Volatile.Write(ref _bandWidenPpm, value);
            UpdateEffectiveBand();
        }
    }

    /// <summary>The band the checks use: <see cref="BandPct"/> × <see cref="BandWidenPpm"/> / 10^6 (floored), or BandPct.</summary>
    public Amount? EffectiveBandPct => _effectiveBand?.Pct;

    private void UpdateEffectiveBand()
    {
        long ppm = Volatile.Read(ref _bandWidenPpm);
        _effectiveBand = _bandPct is not { } pct ? null
            : new StrongBandPct(ppm > 0 ? new Amount(pct.Raw * ppm / 1_000_000) : pct);
    }

    private sealed record StrongBandPct(Amount Pct);

    private long _mark;

    /// <summary>Explicit mark price in ticks (0 = none). Set by an operator or price feed, read by every shard.</summary>
    public long Mark
    {
        get => Volatile.Read(ref _mark);
        set => Volatile.Write(ref _mark, value);
    }

    private long _lastTrade;
    private int _haltedBy; // HaltSource bits

    /// <summary>Last trade price in ticks (0 = none). Written by the instrument's shard, read by every shard.</summary>
    public long LastTrade
    {
        get => Volatile.Read(ref _lastTrade);
        set => Volatile.Write(ref _lastTrade, value);
    }

    /// <summary>
    /// Halted by anyone (operator or reference price feed); read by the instrument's shard. Setting it is the
    /// operator's act: true adds an operator halt, false resumes completely (operator and feed halts both lifted).
    /// </summary>
    public bool Halted
    {
        get => Volatile.Read(ref _haltedBy) != 0;
        set
        {
            if (value) Interlocked.Or(ref _haltedBy, (int)HaltSource.Operator);
            else Volatile.Write(ref _haltedBy, 0);
        }
    }

    /// <summary>Who holds the instrument halted (none, operator, feed, or both).</summary>
    public HaltSource HaltedBy => (HaltSource)Volatile.Read(ref _haltedBy);

    /// <summary>The reference price feed's halt (stale prices), independent of an operator's halt.</summary>
    public bool FeedHalted
    {
        get => (Volatile.Read(ref _haltedBy) & (int)HaltSource.Feed) != 0;
        set
        {
            if (value) Interlocked.Or(ref _haltedBy, (int)HaltSource.Feed);
            else Interlocked.And(ref _haltedBy, ~(int)HaltSource.Feed);
        }
    }

    /// <summary>An operator's halt (or a symbol not enabled in the configuration).</summary>
    public bool OperatorHalted => (Volatile.Read(ref _haltedBy) & (int)HaltSource.Operator) != 0;

    /// <summary>Reference for the price band: last trade, else mark; 0 when neither exists.</summary>
    public long ReferencePrice => LastTrade != 0 ? LastTrade : Mark;

    /// <summary>Valuation price for exposure and unrealized PnL: mark, else last trade; 0 when neither exists.</summary>
    public long ValuationPrice => Mark != 0 ? Mark : LastTrade;

    public Amount Notional(long ticks, long lots) => Amount.Product(ticks, lots, NotionalUnit);

    public Amount Quantity(long lots) => Amount.Product(lots, 1, LotUnit);

    /// <summary>True when <paramref name="price"/> lies within the band around the reference (or no band applies).</summary>
    public bool WithinBand(long price) => WithinBand(price, ReferencePrice);

    /// <summary>True when <paramref name="price"/> lies within the band around <paramref name="reference"/> (or no band applies).</summary>
    public bool WithinBand(long price, long reference)
    {
        if (_effectiveBand is not { } band || reference == 0) return true;
        var pct = band.Pct;
        // |price - reference| × 100 ≤ pct × reference, exactly, in 10^-18 units
        Int128 distance = Int128.Abs((Int128)price - reference) * 100 * Amount.One;
        Int128 allowed = pct.Raw * reference;
        return distance <= allowed;
    }

    /// <summary>
    /// The furthest price within the band on the side a market order trades against: the highest tick a buy may
    /// pay, the lowest a sell may receive. False when no band or no reference price applies.
    /// </summary>
    public bool TryGetProtectionPrice(bool buy, out long ticks)
    {
        ticks = 0;
        long reference = ReferencePrice;
        if (_effectiveBand is not { } band || reference == 0) return false;
        var pct = band.Pct;
        // The band's offset changes only with the reference price: computed (one 128-bit division) once per new
        // reference, by the instrument's own shard, the only caller.
        if (reference != _protectionReference || pct.Raw != _protectionPct)
        {
            long off = ProtectionOffset(reference, pct);
            _protectionBuy = Math.Min(reference + off, Instrument.MaxPriceTicks);
            _protectionSell = Math.Max(reference - off, 1);
            _protectionPct = pct.Raw;
            _protectionReference = reference;
        }
        ticks = buy ? _protectionBuy : _protectionSell;
        return true;
    }

    /// <summary>
    /// The protection price around another reference: a stop-market's, around its trigger price, where it will trade.
    /// Not cached (stops are entered far less often than market orders).
    /// </summary>
    public bool TryGetProtectionPrice(long reference, bool buy, out long ticks)
    {
        if (reference == ReferencePrice) return TryGetProtectionPrice(buy, out ticks);
        ticks = 0;
        if (_effectiveBand is not { } band || reference == 0) return false;
        long off = ProtectionOffset(reference, band.Pct);
        ticks = buy ? Math.Min(reference + off, Instrument.MaxPriceTicks) : Math.Max(reference - off, 1);
        return true;
    }

    /// <summary>reference × pct / 100 in ticks, floored: the largest whole-tick distance inside the band.</summary>
    private static long ProtectionOffset(long reference, Amount pct)
        => (long)Int128.Min((Int128)reference * pct.Raw / (100 * Amount.One), Instrument.MaxPriceTicks);

    private long _protectionReference, _protectionBuy, _protectionSell;
    private Int128 _protectionPct;
}

/// <summary>Who halted an instrument (bits).</summary>
[Flags]
public enum HaltSource
{
    None = 0,
    Operator = 1,
    Feed = 2,
}
