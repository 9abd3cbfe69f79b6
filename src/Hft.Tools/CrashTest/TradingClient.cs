using System.Globalization;
using System.Text.Json;
using Hft.Client.Rest;

namespace Hft.Tools.CrashTest;

/// <summary>
/// One concurrent client of one account: places limit orders around 50000 (A1 buys, A2 sells, so they trade with
/// each other), cancels and replaces its own open orders, one request at a time, recording every answer in the
/// ledger. It stops at its first unanswered request (the server was killed), after <c>maxOps</c>, or at the deadline.
/// </summary>
internal sealed class TradingClient(string account, string side, HftRestClient api, AckLedger ledger, Random rng, string idPrefix)
{
    private readonly List<long> _open = new();
    private int _next;

    /// <summary>Orders of this client believed open when it starts (its share of the recovered open orders).</summary>
    public void Adopt(long id) => _open.Add(id);

    public async Task RunAsync(int maxOps, DateTime deadline)
    {
        for (int op = 0; op < maxOps && DateTime.UtcNow < deadline; op++)
        {
            int roll = rng.Next(100);
            bool answered;
            if (_open.Count > 0 && roll < 15) answered = await CancelAsync();
            else if (_open.Count > 0 && roll < 30) answered = await ReplaceAsync();
            else answered = await PlaceAsync();
            if (!answered) return;
        }
    }

    private static string Price(int p) => p.ToString(CultureInfo.InvariantCulture) + ".00";

    private static string Qty(int hundredths) => (hundredths / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private async Task<bool> PlaceAsync()
    {
        string cid = $"{idPrefix}-{_next++}";
        int price = 49_950 + 5 * rng.Next(21);
        int qty = rng.Next(1, 51);
        ledger.UnknownNews[cid] = account; // until answered
        var reply = await api.PlaceOrderAsync(new RestOrder("BTCUSD", side, "limit", "gtc", Price(price), Qty(qty), cid));
        if (reply.Status == 201)
        {
            ledger.UnknownNews.TryRemove(cid, out _);
            Interlocked.Increment(ref ledger.Acks);
            Interlocked.Increment(ref ledger.News);
            long id = reply.Body.GetProperty("id").GetInt64();
            var facts = new OrderFacts
            {
                Id = id, ClientOrderId = cid, Account = account, Status = reply.Str("status"),
                Filled = reply.Dec("filledQty"), Remaining = reply.Dec("remainingQty"),
            };
            decimal ownFills = RecordFills(reply, id);
            decimal ordered = qty / 100m;
            if (facts.Status is not ("new" or "partially_filled" or "filled"))
                ledger.AckViolations.Enqueue($"ack of new order {id} ({cid}) has status '{facts.Status}'");
            if (facts.Filled + facts.Remaining != ordered)
                ledger.AckViolations.Enqueue($"ack of new order {id} ({cid}): filled {facts.Filled} + remaining {facts.Remaining} != qty {ordered}");
            if (facts.Filled != ownFills)
                ledger.AckViolations.Enqueue($"ack of new order {id} ({cid}) says filled {facts.Filled} (status {facts.Status}) but its own fills sum to {ownFills}: the ack shows a later command's effect");
            ledger.Orders[id] = facts;
            if (facts.IsOpen) _open.Add(id);
            return true;
        }
        if (reply.Refused)
        {
            ledger.UnknownNews.TryRemove(cid, out _);
            ledger.MustNotExist[cid] = account;
            Interlocked.Increment(ref ledger.Refusals);
            return true;
        }
        Interlocked.Increment(ref ledger.Unanswered);
        return reply.Answered; // a 5xx leaves the outcome unknown; no answer means the server is gone
    }

    private async Task<bool> CancelAsync()
    {
        int at = rng.Next(_open.Count);
        long id = _open[at];
        var facts = ledger.Orders[id];
        lock (facts) facts.Pending = PendingOp.Cancel;
        var reply = await api.CancelOrderAsync(id);
        if (reply.Ok)
        {
            Interlocked.Increment(ref ledger.Acks);
            Interlocked.Increment(ref ledger.Cancels);
            lock (facts)
            {
                facts.Pending = PendingOp.None;
                facts.Status = reply.Str("status");
                facts.Filled = reply.Dec("filledQty");
                facts.Remaining = reply.Dec("remainingQty");
                if (facts.Status != "canceled" || facts.Remaining != 0)
                    ledger.AckViolations.Enqueue($"ack of cancel of order {id}: status {facts.Status}, remaining {facts.Remaining}");
            }
            _open.RemoveAt(at);
            return true;
        }
        if (reply.Refused)
        {
            // Not open any more (filled meanwhile): nothing changed.
            lock (facts) facts.Pending = PendingOp.None;
            Interlocked.Increment(ref ledger.Refusals);
            _open.RemoveAt(at);
            return true;
        }
        Interlocked.Increment(ref ledger.Unanswered);
        return reply.Answered;
    }

    private async Task<bool> ReplaceAsync()
    {
        int at = rng.Next(_open.Count);
        long id = _open[at];
        var facts = ledger.Orders[id];
        int qty = rng.Next(1, 51);
        int price = 49_950 + 5 * rng.Next(21);
        lock (facts)
        {
            facts.Pending = PendingOp.Replace;
            facts.PendingQty = qty / 100m;
        }
        var reply = await api.ReplaceOrderAsync(id, Qty(qty), Price(price));
        if (reply.Ok)
        {
            Interlocked.Increment(ref ledger.Acks);
            Interlocked.Increment(ref ledger.Replaces);
            RecordFills(reply, id);
            lock (facts)
            {
                facts.Pending = PendingOp.None;
                facts.Status = reply.Str("status");
                facts.Filled = reply.Dec("filledQty");
                facts.Remaining = reply.Dec("remainingQty");
                if (!facts.IsOpen) _open.RemoveAt(at);
            }
            return true;
        }
        if (reply.Refused)
        {
            lock (facts) facts.Pending = PendingOp.None;
            Interlocked.Increment(ref ledger.Refusals);
            if (reply.Status == 404) _open.RemoveAt(at);
            return true;
        }
        Interlocked.Increment(ref ledger.Unanswered);
        return reply.Answered;
    }

    /// <summary>Adds the ack's fills to the ledger; returns the quantity this order filled as taker in them.</summary>
    private decimal RecordFills(RestReply reply, long id)
    {
        decimal own = 0;
        if (!reply.Body.TryGetProperty("fills", out var fills) || fills.ValueKind != JsonValueKind.Array) return 0;
        foreach (var f in fills.EnumerateArray())
        {
            var fill = new AckedFill(f.GetProperty("takerOrderId").GetInt64(), f.GetProperty("makerOrderId").GetInt64(),
                decimal.Parse(f.GetProperty("price").GetString()!, CultureInfo.InvariantCulture),
                decimal.Parse(f.GetProperty("qty").GetString()!, CultureInfo.InvariantCulture));
            ledger.Fills.Add(fill);
            if (fill.TakerOrderId == id || fill.MakerOrderId == id) own += fill.Qty;
        }
        return own;
    }
}
