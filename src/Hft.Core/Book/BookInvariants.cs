using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Core.Book;

/// <summary>
/// Checks the structural invariants of an engine's books. Used by tests and by the replay debug mode
/// (<c>./hft replay --check</c>); walks everything, so it is for checking, not for the hot path.
/// <list type="bullet">
/// <item>no book is crossed (best bid &lt; best ask);</item>
/// <item>levels are strictly ordered best first and non-empty; each level's count and total match its orders;</item>
/// <item>orders in a level have the level's price and side, positive remaining, consistent links and strictly
/// increasing arrival sequence (FIFO);</item>
/// <item>no order is in two places: every live slot is reachable exactly once and the id index points at it;</item>
/// <item>every live order is on its account's list (used by mass cancel) exactly once;</item>
/// <item>an iceberg's hidden reserve is not negative, and only icebergs have one;</item>
/// <item>pending stops are in their instrument's stop book in firing order, flagged pending, reached by no trade yet;</item>
/// <item>quantity is conserved: entered = 2 × traded + canceled + withdrawn + resting (displayed and hidden) + pending.</item>
/// </list>
/// </summary>
public static class BookInvariants
{
    /// <summary>Returns null when every invariant holds, else a description of the first violation.</summary>
    public static string? Check(MatchingEngine engine)
    {
        var seen = new HashSet<int>();
        long resting = 0;
        foreach (var book in engine.Books)
        {
            string symbol = book.Instrument.Symbol;
            int bookOrders = 0;
            foreach (var side in new[] { Side.Buy, Side.Sell })
            {
                var bs = book.SideOf(side);
                long prevPrice = 0;
                for (int rank = 0; rank < bs.LevelCount; rank++)
                {
                    int levelSlot = bs.AtRank(rank);
                    ref var level = ref book.Level(levelSlot);
                    if (rank > 0 && !bs.IsBetter(prevPrice, level.Price))
                        return $"{symbol} {side}: level {rank} price {level.Price} is not worse than the level before ({prevPrice})";
                    prevPrice = level.Price;
                    if (level.Count <= 0) return $"{symbol} {side}: empty level at price {level.Price}";
                    int count = 0;
                    long total = 0;
                    long lastSeq = long.MinValue;
                    int prev = -1;
                    for (int s = level.Head; s >= 0; s = engine.Orders[s].Next)
                    {
                        ref var o = ref engine.Orders[s];
                        if (!seen.Add(s)) return $"{symbol}: order slot {s} (id {o.Id}) appears twice";
                        if (o.Prev != prev) return $"{symbol}: order {o.Id} has a broken back link";
                        if (o.Level != levelSlot) return $"{symbol}: order {o.Id} points at the wrong level";
                        if (o.Price != level.Price) return $"{symbol}: order {o.Id} price {o.Price} in level {level.Price}";
                        if (o.Side != side) return $"{symbol}: order {o.Id} of side {o.Side} rests on the {side} side";
                        if (o.Instrument != book.Instrument.Index) return $"{symbol}: order {o.Id} belongs to another instrument";
                        if (o.Remaining <= 0) return $"{symbol}: order {o.Id} rests with remaining {o.Remaining}";
                        if (o.Sequence <= lastSeq) return $"{symbol}: order {o.Id} breaks FIFO at price {level.Price}";
                        if (engine.Ids.Find(o.Id) != s) return $"{symbol}: id index does not point at order {o.Id}";
                        if ((o.Flags & OrderFlags.Pending) != 0) return $"{symbol}: order {o.Id} rests but is flagged pending";
                        long hidden = engine.Orders.Terms(s).Hidden;
                        if (hidden < 0 || (hidden > 0 && (o.Flags & OrderFlags.Iceberg) == 0))
                            return $"{symbol}: order {o.Id} hides {hidden}";
                        lastSeq = o.Sequence;
                        count++;
                        total += o.Remaining;
                        resting += hidden;
                        prev = s;
                    }
                    if (prev != level.Tail) return $"{symbol} {side}: tail of level {level.Price} is wrong";
                    if (count != level.Count) return $"{symbol} {side}: level {level.Price} counts {level.Count} orders, holds {count}";
                    if (total != level.TotalQuantity) return $"{symbol} {side}: level {level.Price} totals {level.TotalQuantity}, holds {total}";
                    bookOrders += count;
                    resting += total;
                }
            }
            if (CheckStops(engine, book, seen, ref resting) is { } stopError) return stopError;
            if (bookOrders != book.OrderCount) return $"{symbol}: book counts {book.OrderCount} orders, holds {bookOrders}";
            if (book.TryGetBest(Side.Buy, out var bid) && book.TryGetBest(Side.Sell, out var ask) && bid.Price >= ask.Price)
                return $"{symbol}: book crossed, best bid {bid.Price} >= best ask {ask.Price}";
        }
        if (seen.Count != engine.Orders.Live) return $"{engine.Orders.Live} live order slots, {seen.Count} reachable from the books";
        if (engine.CheckAccountLists() is { } accountError) return accountError;
        ref readonly var c = ref engine.Counters;
        long accounted = 2 * c.TradedQuantity + c.CanceledQuantity + c.WithdrawnQuantity + resting;
        if (c.EnteredQuantity != accounted)
            return $"quantity not conserved: entered {c.EnteredQuantity} != 2x traded {c.TradedQuantity} + canceled {c.CanceledQuantity} + withdrawn {c.WithdrawnQuantity} + resting {resting}";
        return null;
    }

    private static string? CheckStops(MatchingEngine engine, OrderBook book, HashSet<int> seen, ref long pending)
    {
        var stops = engine.Stops(book.Instrument.Index)!;
        var slots = new int[stops.Count];
        foreach (bool onRise in new[] { true, false })
        {
            int n = stops.CopySlots(onRise, slots);
            long prevTrigger = 0, prevSeq = 0;
            for (int i = 0; i < n; i++)
            {
                int s = slots[i];
                ref var o = ref engine.Orders[s];
                ref var terms = ref engine.Orders.Terms(s);
                string what = $"{book.Instrument.Symbol}: pending order {o.Id}";
                if (!seen.Add(s)) return $"{what} (slot {s}) appears twice";
                if ((o.Flags & OrderFlags.Pending) == 0 || o.Level != -1) return $"{what} is not flagged pending";
                if (engine.Ids.Find(o.Id) != s) return $"{what}: id index does not point at it";
                if (!terms.Type.IsTriggered() || terms.Type.TriggersOnRise(o.Side) != onRise) return $"{what} is in the wrong direction";
                if (o.Remaining <= 0) return $"{what} has remaining {o.Remaining}";
                if (stops.LastTrade > 0 && OrderTypeRules.Fires(onRise, terms.TriggerPrice, stops.LastTrade))
                    return $"{what} at trigger {terms.TriggerPrice} was reached by the last trade {stops.LastTrade}";
                if (i > 0 && (terms.TriggerPrice == prevTrigger ? o.Sequence <= prevSeq
                        : onRise ? terms.TriggerPrice < prevTrigger : terms.TriggerPrice > prevTrigger))
                    return $"{what} is out of firing order";
                prevTrigger = terms.TriggerPrice;
                prevSeq = o.Sequence;
                pending += o.Remaining;
            }
        }
        return null;
    }
}
