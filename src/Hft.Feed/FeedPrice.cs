using Hft.Core.Instruments;
using Hft.Core.Numerics;

namespace Hft.Feed;

/// <summary>
/// Exact decimal price text → whole ticks of an instrument, never through double. A price off the tick grid is
/// rounded to the NEAREST tick, halves up (away from zero): the feed is a reference, not an order, so it is
/// not refused for precision the venue does not quote. A price that rounds to 0 ticks, is negative or zero is
/// <see cref="FeedParseResult.NotPositive"/>; above <see cref="Instrument.MaxPriceTicks"/> or more digits than
/// <see cref="DecimalText"/> takes, <see cref="FeedParseResult.TooLarge"/>.
/// </summary>
public static class FeedPrice
{
    public static FeedParseResult TryToTicks(ReadOnlySpan<byte> text, ScaledUnit tick, out long ticks)
    {
        ticks = 0;
        var status = DecimalText.TryParse(text, out var mantissa, out int scale);
        if (status != DecimalParseStatus.Ok) return Map(status, text);
        return Round(mantissa, scale, 1, tick, out ticks);
    }

    /// <summary>The midpoint of a bid and an ask (bid ≤ ask, else <see cref="FeedParseResult.Crossed"/>), rounded as above.</summary>
    public static FeedParseResult TryMidToTicks(ReadOnlySpan<byte> bid, ReadOnlySpan<byte> ask, ScaledUnit tick, out long ticks)
    {
        ticks = 0;
        var sb = DecimalText.TryParse(bid, out var b, out int bs);
        if (sb != DecimalParseStatus.Ok) return Map(sb, bid);
        var sa = DecimalText.TryParse(ask, out var a, out int @as);
        if (sa != DecimalParseStatus.Ok) return Map(sa, ask);
        int scale = Math.Max(bs, @as);
        if (!TryScale(b, scale - bs, out var bv) || !TryScale(a, scale - @as, out var av)) return FeedParseResult.TooLarge;
        if (bv > av) return FeedParseResult.Crossed;
        if (av > UInt128.MaxValue - bv) return FeedParseResult.TooLarge;
        return Round(bv + av, scale, 2, tick, out ticks);
    }

    private static FeedParseResult Map(DecimalParseStatus status, ReadOnlySpan<byte> text) => status switch
    {
        DecimalParseStatus.Negative => FeedParseResult.NotPositive,
        DecimalParseStatus.Overflow => FeedParseResult.TooLarge,
        _ => text.Length > 0 && text[0] == (byte)'-' ? FeedParseResult.NotPositive : FeedParseResult.BadPrice,
    };

    private static bool TryScale(UInt128 value, int digits, out UInt128 scaled)
    {
        var factor = DecimalText.Pow10(digits);
        scaled = 0;
        if (value != 0 && value > UInt128.MaxValue / factor) return false;
        scaled = value * factor;
        return true;
    }

    /// <summary>round(value × 10^-scale / (divisor × tick)), halves up.</summary>
    private static FeedParseResult Round(UInt128 value, int scale, int divisor, ScaledUnit tick, out long ticks)
    {
        ticks = 0;
        int common = Math.Max(scale, tick.Scale);
        if (!TryScale(value, common - scale, out var v)) return FeedParseResult.TooLarge;
        UInt128 step = (UInt128)(ulong)tick.Mantissa * DecimalText.Pow10(common - tick.Scale) * (uint)divisor;
        var (q, r) = UInt128.DivRem(v, step);
        if (r >= step - r) q++; // r ≥ step / 2, exactly
        if (q == 0) return FeedParseResult.NotPositive;
        if (q > (ulong)Instrument.MaxPriceTicks) return FeedParseResult.TooLarge;
        ticks = (long)q;
        return FeedParseResult.Price;
    }
}
