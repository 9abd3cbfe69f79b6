using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Hft.Core.Book;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Risk;

namespace Hft.Journal;

/// <summary>
/// A deterministic SHA-256 over the whole trading state, independent of how instruments are spread over shards:
/// per instrument (index order) its grid, every book level and every resting order in queue order (id, account
/// name, price, remaining, flags, an iceberg's hidden reserve and slice, a good-till-date expire time), its pending
/// stops in firing order (id, account name, type, trigger, price, quantity, terms), its band, mark, last trade and halt; per account (name order) whether it is
/// declared and enabled, its limits, open totals and every position (quantity, open quantities, cost basis,
/// realized PnL, fees). Internal bookkeeping that does not change behaviour (slot numbers, arrival counters, the
/// ids of finished orders) is left out, so a recovered server, an offline replay of its journal and the server
/// before the crash all hash alike.
/// </summary>
public sealed class StateHash : IDisposable
{
    private readonly IncrementalHash _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buf = new byte[16];

    public static string Compute(InstrumentRegistry instruments, IEnumerable<MatchingEngine> engines, RiskBook risk,
        Func<int, string> accountName)
    {
        using var h = new StateHash();
        h.Text("hft-state-v1");
        var books = new Dictionary<int, OrderBook>();
        var owners = new Dictionary<int, MatchingEngine>();
        foreach (var engine in engines)
            foreach (var book in engine.Books)
            {
                books[book.Instrument.Index] = book;
                owners[book.Instrument.Index] = engine;
            }
        foreach (var inst in instruments.All)
        {
            h.Text(inst.Symbol);
            h.Text(inst.Tick.ToString());
            h.Text(inst.Lot.ToString());
            if (books.TryGetValue(inst.Index, out var book))
            {
                var engine = owners[inst.Index];
                foreach (var side in new[] { Side.Buy, Side.Sell })
                {
                    var orders = book.OrdersInPriority(side);
                    h.Long(orders.Count);
                    foreach (var o in orders)
                    {
                        h.Long(o.Id);
                        h.Text(accountName(o.Account));
                        h.Long(o.Price);
                        h.Long(o.Remaining);
                        h.Long(((long)o.Flags << 16) | ((long)o.Stp << 8) | (o.PostOnly ? 1L : 0L));
                        if (o.Flags != OrderFlags.None) h.Terms(engine.Orders.Terms(engine.SlotOf(o.Id)));
                    }
                }
                h.PendingStops(engine, inst.Index, accountName);
            }
            else
            {
                h.Long(-1);
            }
            if (risk.Instrument(inst.Index) is { } ri)
            {
                h.Int128(ri.BandPct?.Raw ?? -1);
                h.Long(ri.Mark);
                h.Long(ri.LastTrade);
                h.Long((long)ri.HaltedBy);
                h.Long(ri.BandWidenPpm);
            }
        }
        var accounts = new List<(string Name, AccountRisk Account)>();
        foreach (var a in risk.Accounts) accounts.Add((accountName(a.Id), a));
        accounts.Sort((x, y) => string.CompareOrdinal(x.Name, y.Name));
        foreach (var (name, a) in accounts)
        {
            lock (a.Sync)
            {
                h.Text(name);
                h.Long((a.Declared ? 1 : 0) | (a.Enabled ? 2 : 0));
                var l = a.Limits;
                h.Int128(l.Credit?.Raw ?? -1);
                h.Int128(l.MaxOrderQty?.Raw ?? -1);
                h.Int128(l.MaxOrderNotional?.Raw ?? -1);
                h.Int128(l.MaxPosition?.Raw ?? -1);
                h.Long(l.MaxOpenOrders ?? -1);
                h.Int128(l.MakerFeeBps.Raw);
                h.Int128(l.TakerFeeBps.Raw);
                h.Long(a.OpenOrders);
                h.Int128(a.OpenNotional.Raw);
                for (int i = 0; i < Math.Min(a.InstrumentCapacity, instruments.Count); i++)
                {
                    ref var p = ref a.Position(i);
                    if (!p.Active && p.Position == 0 && p.Realized.Raw == 0) continue;
                    h.Long(i);
                    h.Long(p.Position);
                    h.Long(p.OpenBuy);
                    h.Long(p.OpenSell);
                    h.Int128(p.Cost.Raw);
                    h.Int128(p.Realized.Raw);
                    h.Int128(p.Fees.Raw);
                }
                h.Long(-1);
            }
        }
        return Convert.ToHexStringLower(h._sha.GetHashAndReset());
    }

    /// <summary>Pending stops, only when there are any: a state without them hashes as before they existed.</summary>
    private void PendingStops(MatchingEngine engine, int instrument, Func<int, string> accountName)
    {
        var stops = engine.Stops(instrument)!;
        if (stops.Count == 0) return;
        Long(-2);
        var slots = new int[stops.Count];
        foreach (bool onRise in new[] { true, false })
        {
            int n = stops.CopySlots(onRise, slots);
            Long(n);
            for (int i = 0; i < n; i++)
            {
                ref var o = ref engine.Orders[slots[i]];
                Long(o.Id);
                Text(accountName(o.Account));
                Long(o.Price);
                Long(o.Remaining);
                Long(((long)o.Flags << 16) | ((long)o.Stp << 8) | (o.PostOnly ? 1L : 0L));
                Terms(engine.Orders.Terms(slots[i]));
            }
        }
    }

    private void Terms(in OrderTerms t)
    {
        Long(t.Hidden);
        Long(t.DisplayQuantity);
        Long(t.ExpireTime);
        Long(t.TriggerPrice);
        Long(((long)t.Type << 8) | (long)t.Tif);
    }

    private void Text(string s)
    {
        Long(s.Length);
        _sha.AppendData(Encoding.UTF8.GetBytes(s));
    }

    private void Long(long v)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buf, v);
        _sha.AppendData(_buf, 0, 8);
    }

    private void Int128(Int128 v)
    {
        BinaryPrimitives.WriteInt128LittleEndian(_buf, v);
        _sha.AppendData(_buf, 0, 16);
    }

    public void Dispose() => _sha.Dispose();
}
