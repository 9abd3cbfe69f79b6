using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Risk.Tests.Property;

/// <summary>
/// The test's own bookkeeping, from scratch and in decimals: open orders and positions rebuilt from the engine's
/// events, reference prices, and the risk rules written out plainly. Shares nothing with RiskStage.
/// </summary>
public sealed class RiskModel
{
    public sealed class Order
    {
        public long Id;
        public int Account;
        public int Instrument;
        public Side Side;
        public long Price;
        public long Remaining;
    }

    private readonly Scenario _s;
    public readonly Dictionary<long, Order> Open = new();
    public readonly Dictionary<(int Account, int Instrument), long> Positions = new();
    public readonly long[] Marks;
    public readonly long[] LastTrade = new long[Scenario.Grids.Length];
    public readonly bool[] Halted = new bool[Scenario.Grids.Length];
    public readonly bool[] Enabled = Enumerable.Repeat(true, Scenario.Accounts + 1).ToArray();

    public RiskModel(Scenario s)
    {
        _s = s;
        Marks = (long[])s.Marks.Clone();
    }

    public long Position(int account, int instrument) => Positions.GetValueOrDefault((account, instrument));

    public long Reference(int i) => LastTrade[i] != 0 ? LastTrade[i] : Marks[i];

    public long Valuation(int i) => Marks[i] != 0 ? Marks[i] : LastTrade[i];

    public static decimal Notional(int i, long ticks, long lots) => ticks * Scenario.Grids[i].TickD * lots * Scenario.Grids[i].LotD;

    public static decimal Quantity(int i, long lots) => lots * Scenario.Grids[i].LotD;

    public int OpenCount(int account) => Open.Values.Count(o => o.Account == account);

    public long OpenQty(int account, int instrument, Side side)
        => Open.Values.Where(o => o.Account == account && o.Instrument == instrument && o.Side == side).Sum(o => o.Remaining);

    /// <summary>Σ |position| × valuation price + Σ open quantity × limit price.</summary>
    public decimal Exposure(int account)
    {
        decimal total = Open.Values.Where(o => o.Account == account).Sum(o => Notional(o.Instrument, o.Price, o.Remaining));
        for (int i = 0; i < Scenario.Grids.Length; i++) total += Notional(i, Valuation(i), Math.Abs(Position(account, i)));
        return total;
    }

    public bool WithinBand(int i, long price)
    {
        long reference = Reference(i);
        if (_s.Bands[i] is not { } pct || reference == 0) return true;
        return Math.Abs(price - reference) * 100m <= pct * reference;
    }

    /// <summary>Furthest whole tick inside the band on the side a market order takes, or null without band/reference.</summary>
    public long? Protection(int i, Side side)
    {
        long reference = Reference(i);
        if (_s.Bands[i] is not { } pct || reference == 0) return null;
        long off = (long)decimal.Floor(reference * pct / 100m);
        return side == Side.Buy ? reference + off : Math.Max(reference - off, 1);
    }

    /// <summary>
    /// Every limit the command breaks at decision time, in the order the checks are documented; empty when risk
    /// must accept it. Covers new orders and replaces the engine itself has validated.
    /// </summary>
    public List<RejectReason> Violations(in OrderCommand cmd)
    {
        var v = new List<RejectReason>();
        int a = cmd.Account, i = cmd.Instrument;
        var limits = _s.Limits[a];
        if (!Enabled[a]) v.Add(RejectReason.AccountDisabled);
        if (Halted[i]) v.Add(RejectReason.InstrumentHalted);

        Side side;
        long price, qty = cmd.Quantity;
        decimal released = 0;
        long replacedRemaining = 0;
        bool market = false;
        if (cmd.Op == CommandOp.New)
        {
            side = cmd.Side;
            market = cmd.Type == OrderType.Market;
            price = !market ? cmd.Price : Protection(i, side) ?? Reference(i);
            if (price == 0 && (limits.MaxNotional is not null || limits.Credit is not null)) v.Add(RejectReason.NoReferencePrice);
        }
        else
        {
            var o = Open[cmd.OrderId];
            side = o.Side;
            price = cmd.HasPrice ? cmd.Price : o.Price;
            if (price == o.Price && qty <= o.Remaining) return v; // a reduction in place only lowers risk
            released = Notional(i, o.Price, o.Remaining);
            replacedRemaining = o.Remaining;
        }
        if (Quantity(i, qty) > limits.MaxQty) v.Add(RejectReason.MaxQty);
        if (Notional(i, price, qty) > limits.MaxNotional) v.Add(RejectReason.MaxNotional);
        if (!market && !WithinBand(i, price)) v.Add(RejectReason.PriceBand);
        // Only an order that can rest (GTC limit) can become an open order.
        bool canRest = cmd.Op == CommandOp.New && cmd.Type == OrderType.Limit && cmd.Tif == TimeInForce.Gtc;
        if (canRest && OpenCount(a) + 1 > limits.MaxOpen) v.Add(RejectReason.MaxOpenOrders);

        long pos = Position(a, i);
        long worst = side == Side.Buy
            ? pos + OpenQty(a, i, Side.Buy) - replacedRemaining + qty
            : -pos + OpenQty(a, i, Side.Sell) - replacedRemaining + qty;
        if (Quantity(i, Math.Max(worst, 0)) > limits.MaxPosition) v.Add(RejectReason.MaxPosition);

        decimal current = Exposure(a) - released;
        decimal resting = current + Notional(i, price, qty);
        long mark = Valuation(i) != 0 ? Valuation(i) : price;
        long after = pos + (side == Side.Buy ? qty : -qty);
        decimal filled = current - Notional(i, mark, Math.Abs(pos)) + Notional(i, mark, Math.Abs(after));
        if (Math.Max(resting, filled) > limits.Credit) v.Add(RejectReason.CreditLimit);
        return v;
    }

    /// <summary>Books a command's events: orders that rest, fills, cancels, replaces.</summary>
    public void Apply(ReadOnlySpan<EngineEvent> events)
    {
        Order? taker = null;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Accepted:
                    taker = new Order { Id = e.OrderId, Account = e.Account, Instrument = e.Instrument, Side = e.Side, Price = e.Price, Remaining = e.Quantity };
                    break;
                case EventKind.Replaced:
                {
                    var o = Open[e.OrderId];
                    if (e.Price == o.Price && e.Quantity <= o.Remaining) { o.Remaining = e.Quantity; break; }
                    Open.Remove(e.OrderId);
                    taker = new Order { Id = e.OrderId, Account = e.Account, Instrument = e.Instrument, Side = e.Side, Price = e.Price, Remaining = e.Quantity };
                    break;
                }
                case EventKind.Trade:
                {
                    long signed = e.Side == Side.Buy ? e.Quantity : -e.Quantity;
                    Positions[(e.Account, e.Instrument)] = Position(e.Account, e.Instrument) + signed;
                    Positions[(e.MakerAccount, e.Instrument)] = Position(e.MakerAccount, e.Instrument) - signed;
                    LastTrade[e.Instrument] = e.Price;
                    taker!.Remaining -= e.Quantity;
                    var maker = Open[e.MakerOrderId];
                    maker.Remaining -= e.Quantity;
                    if (maker.Remaining == 0) Open.Remove(maker.Id);
                    break;
                }
                case EventKind.Canceled:
                    if (taker is not null && e.OrderId == taker.Id) taker = null;
                    else Open.Remove(e.OrderId);
                    break;
            }
        }
        if (taker is { Remaining: > 0 }) Open.Add(taker.Id, taker);
    }
}
