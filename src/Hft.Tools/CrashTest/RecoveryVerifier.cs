namespace Hft.Tools.CrashTest;

/// <summary>
/// The checks after a kill -9 and restart, against what was acknowledged before it. An order whose last request got
/// no answer may or may not have been changed by it; everything else must be exactly as acknowledged, apart from
/// fills by later commands (which move quantity from remaining to filled).
/// </summary>
internal static class RecoveryVerifier
{
    public static List<string> Check(AckLedger ledger, RecoveredState state, string offlineHash, long offlineLastSequence)
    {
        var v = new List<string>();
        while (ledger.AckViolations.TryDequeue(out var ackProblem)) v.Add(ackProblem);

        // (c) the restarted server recovered exactly what an offline replay of the same journal recovers.
        if (state.Hash != offlineHash) v.Add($"state hash {state.Hash} of the restarted server != {offlineHash} from 'replay --journal'");
        if (state.JournalSequence != offlineLastSequence)
            v.Add($"restarted server is at journal sequence {state.JournalSequence}, offline replay at {offlineLastSequence}");

        // (a) every acknowledged order, as its acks imply.
        foreach (var facts in ledger.Orders.Values)
        {
            if (!state.Orders.TryGetValue(facts.Id, out var r))
            {
                v.Add($"acknowledged order {facts.Id} ({facts.ClientOrderId}, {facts.Account}) is missing after recovery");
                continue;
            }
            if (r.ClientOrderId != facts.ClientOrderId || r.Account != facts.Account)
                v.Add($"order {facts.Id}: recovered as {r.ClientOrderId}/{r.Account}, acknowledged as {facts.ClientOrderId}/{facts.Account}");
            string was = $"acknowledged {facts.Status} filled {facts.Filled} remaining {facts.Remaining}";
            string now = $"recovered {r.Status} filled {r.Filled} remaining {r.Remaining}";
            if (!facts.IsOpen)
            {
                // Final states cannot change, whatever came later.
                if (r.Status != facts.Status || r.Filled != facts.Filled || r.Remaining != 0)
                    v.Add($"order {facts.Id} ({facts.ClientOrderId}): {was}, {now}");
                continue;
            }
            bool asAcked = r.Filled >= facts.Filled && r.Status is ("new" or "partially_filled" or "filled")
                && r.Filled + r.Remaining == facts.Filled + facts.Remaining;
            bool ok = facts.Pending switch
            {
                PendingOp.Cancel => asAcked || (r.Status == "canceled" && r.Filled >= facts.Filled && r.Remaining == 0),
                // A replace sets the remaining quantity to the new one; fills may come before and after it.
                PendingOp.Replace => asAcked || (r.Filled >= facts.Filled && r.Status is ("new" or "partially_filled" or "filled")
                    && r.Remaining <= facts.PendingQty && r.Filled + r.Remaining - facts.PendingQty >= facts.Filled),
                _ => asAcked,
            };
            if (!ok) v.Add($"order {facts.Id} ({facts.ClientOrderId}): {was}{(facts.Pending != PendingOp.None ? $" (unanswered {facts.Pending})" : "")}, {now}");
        }

        // No order that was refused, or sent unanswered and already found missing, may appear; nothing unknown at all.
        foreach (var r in state.Orders.Values)
        {
            if (ledger.Orders.ContainsKey(r.Id)) continue;
            if (r.ClientOrderId is { } cid && ledger.UnknownNews.ContainsKey(cid)) continue;
            string why = r.ClientOrderId is { } c && ledger.MustNotExist.ContainsKey(c) ? "refused or lost earlier" : "never sent";
            v.Add($"order {r.Id} ({r.ClientOrderId}, {r.Account}, {r.Status}) exists after recovery but was {why}");
        }

        // Basic consistency of every recovered order.
        foreach (var r in state.Orders.Values)
        {
            bool consistent = r.Status switch
            {
                "new" => r.Filled == 0 && r.Remaining > 0,
                "partially_filled" => r.Filled > 0 && r.Remaining > 0,
                "filled" => r.Remaining == 0 && r.Filled > 0,
                "canceled" => r.Remaining == 0,
                _ => false,
            };
            if (!consistent || r.Filled > r.Qty) v.Add($"order {r.Id}: inconsistent {r.Status} qty {r.Qty} filled {r.Filled} remaining {r.Remaining}");
        }

        // (b) no trade happened twice: the two sides of every fill match, no (taker, maker) pair trades twice, each
        // order's fills add up to its filled quantity, and every fill an acknowledgment reported is there once.
        bool tapeComplete = state.FillCounts.Values.All(n => n < RecoveredState.FillLimit);
        bool ordersComplete = state.OrderCounts.Values.All(n => n < RecoveredState.OrderLimit);
        var trades = new Dictionary<long, (RecoveredFill? Taker, RecoveredFill? Maker)>();
        foreach (var f in state.Fills)
        {
            trades.TryGetValue(f.TradeId, out var t);
            if (f.Liquidity == "taker") { if (t.Taker is not null) v.Add($"trade {f.TradeId} has two takers"); t.Taker = f; }
            else { if (t.Maker is not null) v.Add($"trade {f.TradeId} has two makers"); t.Maker = f; }
            trades[f.TradeId] = t;
        }
        var pairs = new Dictionary<(long Taker, long Maker), (decimal Price, decimal Qty)>();
        var filledByOrder = new Dictionary<long, decimal>();
        foreach (var (id, t) in trades)
        {
            if (t.Taker is null || t.Maker is null)
            {
                if (tapeComplete) v.Add($"trade {id} is listed for one side only");
                continue;
            }
            if (t.Taker.Price != t.Maker.Price || t.Taker.Qty != t.Maker.Qty || t.Taker.Account == t.Maker.Account)
                v.Add($"trade {id}: the sides disagree ({t.Taker} vs {t.Maker})");
            if (!pairs.TryAdd((t.Taker.OrderId, t.Maker.OrderId), (t.Taker.Price, t.Taker.Qty)))
                v.Add($"orders {t.Taker.OrderId} (taker) and {t.Maker.OrderId} (maker) traded twice");
            filledByOrder[t.Taker.OrderId] = filledByOrder.GetValueOrDefault(t.Taker.OrderId) + t.Taker.Qty;
            filledByOrder[t.Maker.OrderId] = filledByOrder.GetValueOrDefault(t.Maker.OrderId) + t.Maker.Qty;
        }
        var ackedPairs = new HashSet<AckedFill>();
        foreach (var fill in ledger.Fills)
        {
            if (!ackedPairs.Add(fill)) continue; // the same fill reported by the taker's ack and nothing else: once
            if (!tapeComplete) continue;
            if (!pairs.TryGetValue((fill.TakerOrderId, fill.MakerOrderId), out var p) || p.Price != fill.Price || p.Qty != fill.Qty)
                v.Add($"acknowledged fill {fill} is missing after recovery");
        }
        if (tapeComplete && ordersComplete)
        {
            foreach (var r in state.Orders.Values)
                if (filledByOrder.GetValueOrDefault(r.Id) != r.Filled)
                    v.Add($"order {r.Id}: filled {r.Filled} but its trades sum to {filledByOrder.GetValueOrDefault(r.Id)}");
        }
        if (ordersComplete)
        {
            // A1 only buys and A2 only sells, and they trade only with each other.
            decimal a1 = state.Orders.Values.Where(o => o.Account == "A1").Sum(o => o.Filled);
            decimal a2 = state.Orders.Values.Where(o => o.Account == "A2").Sum(o => o.Filled);
            if (a1 != a2) v.Add($"A1 bought {a1} in total but A2 sold {a2}");
            if (state.Positions.GetValueOrDefault("A1") != a1) v.Add($"A1 position {state.Positions.GetValueOrDefault("A1")} != its filled buys {a1}");
            if (state.Positions.GetValueOrDefault("A2") != -a2) v.Add($"A2 position {state.Positions.GetValueOrDefault("A2")} != minus its filled sells {a2}");
        }
        return v;
    }

    /// <summary>After a verified recovery the recovered state is the new baseline (unanswered requests are settled).</summary>
    public static void Rebase(AckLedger ledger, RecoveredState state)
    {
        foreach (var r in state.Orders.Values)
        {
            if (!ledger.Orders.TryGetValue(r.Id, out var facts))
            {
                if (r.ClientOrderId is null || !ledger.UnknownNews.TryRemove(r.ClientOrderId, out _)) continue;
                facts = new OrderFacts { Id = r.Id, ClientOrderId = r.ClientOrderId, Account = r.Account };
                ledger.Orders[r.Id] = facts;
            }
            lock (facts)
            {
                facts.Status = r.Status;
                facts.Filled = r.Filled;
                facts.Remaining = r.Remaining;
                facts.Pending = PendingOp.None;
            }
        }
        // Sent, unanswered and not recovered: lost for good; it must never show up later.
        foreach (var (cid, account) in ledger.UnknownNews) ledger.MustNotExist[cid] = account;
        ledger.UnknownNews.Clear();
    }
}
