using System.Runtime.CompilerServices;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;

namespace Hft.Risk;

/// <summary>Options of the risk stage.</summary>
public sealed record RiskOptions
{
    /// <summary>
    /// True for a venue (the server): an order of an account that was never declared is rejected
    /// <c>account_disabled</c>. False for replay: undeclared accounts are not risk-checked, only tracked.
    /// </summary>
    public bool RejectUndeclaredAccounts { get; init; }

    /// <summary>Resting orders risk remembers before its table doubles.</summary>
    public int OpenOrderCapacity { get; init; } = 1 << 16;
}

/// <summary>
/// The pre-trade risk stage and post-trade settlement, deterministic like the engine. For every new order and
/// replace, <see cref="Check"/> runs before the matching stage; <see cref="Apply"/> then settles the matching
/// stage's events: fills update positions, PnL and fees, resting orders reserve their open quantity and notional.
/// Single writer; the same thread calls Check, the engine, and Apply, so every decision sees every earlier fill.
/// </summary>
public sealed class RiskStage
{
    private readonly RiskOptions _options;
    private readonly OpenOrderTable _open;
    private readonly RiskBook _book;

    /// <param name="options">Stage options.</param>
    /// <param name="book">Shared instruments and accounts (several shards share one); a new one when null.</param>
    public RiskStage(RiskOptions? options = null, RiskBook? book = null)
    {
        _options = options ?? new RiskOptions();
        _open = new OpenOrderTable(_options.OpenOrderCapacity);
        _book = book ?? new RiskBook();
    }

    public RiskBook Book => _book;

    // ---- set-up and admin (not hot path) ----

    public RiskInstrument AddInstrument(Instrument instrument) => _book.AddInstrument(instrument);

    public RiskInstrument? Instrument(int index) => _book.Instrument(index);

    /// <summary>The account's state, created (undeclared, unlimited) on first sight.</summary>
    public AccountRisk Account(int id) => _book.Account(id);

    public AccountRisk? FindAccount(int id) => _book.FindAccount(id);

    /// <summary>Accounts in id order.</summary>
    public IEnumerable<AccountRisk> Accounts => _book.Accounts;

    /// <summary>Number of resting orders risk holds reservations for.</summary>
    public int OpenOrderCount => _open.Count;

    // ---- snapshot restore ----

    /// <summary>
    /// Snapshot restore only (before any command): reserves a resting order's open quantity and notional exactly as
    /// when it came to rest — the position's open buy/sell, the account's open order count and open notional — and
    /// remembers it for later fills, cancels and replaces. Call it once per resting order restored into the engine,
    /// on the stage of the shard that owns the instrument, after the account's open totals were zeroed.
    /// </summary>
    public void RestoreOpenOrder(long id, int account, int instrument, Side side, long price, long remaining)
    {
        if (Instrument(instrument) is null) throw new InvalidOperationException($"restore: instrument {instrument} is unknown to risk");
        if (!Unsafe.IsNullRef(ref _open.Find(id))) throw new InvalidOperationException($"restore: open order {id} is already reserved");
        Reserve(id, account, instrument, side, price, remaining);
    }

    /// <summary>
    /// The price an open order is reserved at (for snapshots), or 0 when it holds no reservation here. A pending
    /// stop-market without a band is reserved at the reference price of its entry, which its order does not show.
    /// </summary>
    public long ReservedPrice(long id)
    {
        ref var order = ref _open.Find(id);
        return Unsafe.IsNullRef(ref order) ? 0 : order.Price;
    }

    // ---- pre-trade ----

    /// <summary>
    /// The pre-trade step of every pipeline: a new order or replace is first validated by the engine (symbol, grid,
    /// ids — without side effects), and only then checked against risk; the first reason found becomes the command's
    /// <see cref="OrderCommand.EdgeReject"/>, which the engine turns into the rejected event. A command already
    /// carrying an edge reason, and cancels, pass through unchanged.
    /// </summary>
    public void PreTrade(MatchingEngine engine, ref OrderCommand cmd)
    {
        if (cmd.Op is CommandOp.New or CommandOp.Replace && cmd.EdgeReject == RejectReason.None
            && engine.Validate(in cmd) == RejectReason.None)
            cmd.EdgeReject = Check(ref cmd);
    }

    /// <summary>
    /// Checks a new order or replace that the engine itself has already validated. Returns the reason to reject
    /// it, or <see cref="RejectReason.None"/>. A market order inside a price band gets its protection limit here
    /// (<see cref="OrderCommand.HasPrice"/>), so matching never trades it beyond the band.
    /// </summary>
    public RejectReason Check(ref OrderCommand cmd)
    {
        var inst = Instrument(cmd.Instrument);
        if (inst is null) return RejectReason.None; // unknown to risk: the engine rejects it
        var account = FindAccount(cmd.Account);
        bool checkAccount = account is { Declared: true };
        if (!checkAccount && _options.RejectUndeclaredAccounts) return RejectReason.AccountDisabled;
        // a disabled account (kill switch) is rejected whether or not it was declared
        if (account is { Enabled: false }) return RejectReason.AccountDisabled;
        if (inst.Halted) return RejectReason.InstrumentHalted;
        return cmd.Op switch
        {
            CommandOp.New => CheckNew(ref cmd, inst, checkAccount ? account : null),
            CommandOp.Replace => CheckReplace(in cmd, inst, checkAccount ? account : null),
            _ => RejectReason.None,
        };
    }

    private RejectReason CheckNew(ref OrderCommand cmd, RiskInstrument inst, AccountRisk? account)
    {
        bool buy = cmd.Side == Side.Buy;
        bool market = !cmd.Type.HasLimitPrice();
        bool stop = cmd.Type.IsTriggered();
        // A stop trades once the price reaches its trigger: its band (and a stop-market's protection) is around the trigger.
        long reference = stop ? cmd.TriggerPrice : inst.ReferencePrice;
        if (market)
        {
            if (inst.TryGetProtectionPrice(reference, buy, out long protection))
            {
                cmd.HasPrice = true;
                cmd.Price = protection;
            }
            else
            {
                cmd.HasPrice = false;
            }
        }
        if (account is null) return !market && !inst.WithinBand(cmd.Price, reference) ? RejectReason.PriceBand : RejectReason.None;

        var limits = account.Limits;
        long qty = cmd.Quantity;
        // The price a fill of this order is valued at for notional and credit: its limit, a market order's
        // protection limit, else the reference price.
        long price = !market || cmd.HasPrice ? cmd.Price : reference;
        if (price == 0 && (limits.MaxOrderNotional is not null || limits.Credit is not null)) return RejectReason.NoReferencePrice;

        if (limits.MaxOrderQty is { } maxQty && inst.Quantity(qty) > maxQty) return RejectReason.MaxQty;
        if (limits.MaxOrderNotional is { } maxNotional && inst.Notional(price, qty) > maxNotional) return RejectReason.MaxNotional;
        if (!market && !inst.WithinBand(cmd.Price, reference)) return RejectReason.PriceBand;
        // Only an order that can rest (GTC / GTD limit) or wait for a trigger becomes an open order; IOC, FOK and market
        // orders never do. Stops and icebergs count with their full quantity.
        bool canRest = stop || (!market && cmd.Tif.Rests());
        if (canRest && limits.MaxOpenOrders is { } maxOpen && account.OpenOrders + 1 > maxOpen) return RejectReason.MaxOpenOrders;
        ref var pos = ref account.Position(inst.Instrument.Index);
        if (limits.MaxPosition is { } maxPos && WorstPosition(ref pos, buy, qty, inst) > maxPos) return RejectReason.MaxPosition;
        if (limits.Credit is { } credit && WorstExposure(account, inst, ref pos, buy, qty, price, Amount.Zero) > credit)
            return RejectReason.CreditLimit;
        return RejectReason.None;
    }

    private RejectReason CheckReplace(in OrderCommand cmd, RiskInstrument inst, AccountRisk? account)
    {
        ref var order = ref _open.Find(cmd.OrderId);
        if (Unsafe.IsNullRef(ref order)) return RejectReason.None; // not live: the engine rejects it
        long price = cmd.HasPrice ? cmd.Price : order.Price;
        long qty = cmd.Quantity;
        if (price == order.Price && qty <= order.Remaining) return RejectReason.None; // a reduction only lowers risk
        if (account is null) return inst.WithinBand(price) ? RejectReason.None : RejectReason.PriceBand;

        var limits = account.Limits;
        bool buy = order.Side == Side.Buy;
        if (limits.MaxOrderQty is { } maxQty && inst.Quantity(qty) > maxQty) return RejectReason.MaxQty;
        if (limits.MaxOrderNotional is { } maxNotional && inst.Notional(price, qty) > maxNotional) return RejectReason.MaxNotional;
        if (!inst.WithinBand(price)) return RejectReason.PriceBand;
        ref var pos = ref account.Position(inst.Instrument.Index);
        // the order's current reservation is replaced by the new one
        long openSide = buy ? pos.OpenBuy : pos.OpenSell;
        if (limits.MaxPosition is { } maxPos)
        {
            long worst = buy ? pos.Position + openSide - order.Remaining + qty : -(pos.Position - openSide + order.Remaining - qty);
            if (inst.Quantity(Math.Max(worst, 0)) > maxPos) return RejectReason.MaxPosition;
        }
        if (limits.Credit is { } credit
            && WorstExposure(account, inst, ref pos, buy, qty, price, inst.Notional(order.Price, order.Remaining)) > credit)
            return RejectReason.CreditLimit;
        return RejectReason.None;
    }

    /// <summary>Position if this order and every open order on its side filled, as a positive quantity.</summary>
    private static Amount WorstPosition(ref PositionState pos, bool buy, long qty, RiskInstrument inst)
    {
        long worst = buy ? pos.Position + pos.OpenBuy + qty : -(pos.Position - pos.OpenSell - qty);
        return inst.Quantity(Math.Max(worst, 0));
    }

    /// <summary>
    /// The larger of the account's exposure with the order resting whole and with it filled whole (valued at the
    /// mark); exposure is convex in the filled part, so no partial fill can exceed both.
    /// <paramref name="released"/> is the notional of a reservation the order replaces.
    /// </summary>
    private Amount WorstExposure(AccountRisk account, RiskInstrument inst, ref PositionState pos, bool buy, long qty,
        long price, Amount released)
    {
        Amount current = Exposure(account) - released;
        Amount resting = current + inst.Notional(price, qty);
        long mark = inst.ValuationPrice != 0 ? inst.ValuationPrice : price;
        long after = pos.Position + (buy ? qty : -qty);
        Amount filled = current
            - inst.Notional(mark, Math.Abs(pos.Position)) + inst.Notional(mark, Math.Abs(after));
        return resting > filled ? resting : filled;
    }

    /// <summary>Exposure = Σ |position| × mark + Σ open quantity × limit price, across instruments.</summary>
    public Amount Exposure(AccountRisk account)
    {
        Amount total = account.OpenNotional;
        int n = Math.Min(account.InstrumentCapacity, _book.InstrumentSlots);
        for (int i = 0; i < n; i++)
        {
            ref var pos = ref account.Position(i);
            if (pos.Position == 0) continue;
            var inst = _book.Instrument(i)!;
            total += inst.Notional(inst.ValuationPrice, Math.Abs(pos.Position));
        }
        return total;
    }

    /// <summary>Exposure / credit rounded to 6 decimals ("0" when the account has no credit limit).</summary>
    public string Utilization(AccountRisk account)
        => account.Limits.Credit is { } credit && credit.Raw > 0
            ? Amount.FormatRatio(Exposure(account).Raw, credit.Raw, 6)
            : "0";

    // ---- settlement ----

    /// <summary>
    /// Settles the events the matching stage produced for one command. With <paramref name="onlyAccount"/> set, only
    /// that account's part is applied (its fills, reservations and releases) — a concurrent shard calls this once per
    /// affected account while holding that account's lock; the last-trade price is set in the taker's pass.
    /// </summary>
    public void Apply(ReadOnlySpan<EngineEvent> events, int onlyAccount = -1)
    {
        long takerId = 0, takerRemaining = 0, takerPrice = 0;
        int takerAccount = 0, takerInstrument = 0;
        var takerSide = Side.Buy;
        bool takerDone = true;
        foreach (ref readonly var e in events)
        {
            bool mine = onlyAccount < 0 || e.Account == onlyAccount;
            switch (e.Kind)
            {
                case EventKind.Accepted:
                    SettleTaker();
                    BeginTaker(in e, e.Quantity);
                    break;
                case EventKind.Replaced:
                {
                    // Events name the taker first: whether this replace re-enters is known from the replaced order's
                    // reservation, which only the owner's pass may touch.
                    ref var order = ref _open.Find(e.OrderId);
                    bool inPlace = !Unsafe.IsNullRef(ref order) && e.Price == order.Price && e.Quantity <= order.Remaining;
                    if (mine && !Unsafe.IsNullRef(ref order)) Release(ref order, inPlace ? order.Remaining - e.Quantity : order.Remaining);
                    if (inPlace) break;
                    SettleTaker();
                    BeginTaker(in e, e.Quantity);
                    break;
                }
                case EventKind.Triggered:
                {
                    // A fired stop stops being a pending open order and enters matching as this command's next taker.
                    SettleTaker();
                    ref var stop = ref _open.Find(e.OrderId);
                    if (mine && !Unsafe.IsNullRef(ref stop)) Release(ref stop, stop.Remaining);
                    BeginTaker(in e, e.Quantity);
                    break;
                }
                case EventKind.Trade:
                    Fill(in e, onlyAccount);
                    if (e.OrderId == takerId) takerRemaining -= e.Quantity;
                    break;
                case EventKind.Canceled:
                    if (e.OrderId == takerId && !takerDone)
                    {
                        takerDone = true;
                        break;
                    }
                    if (!mine) break;
                    ref var canceled = ref _open.Find(e.OrderId);
                    if (!Unsafe.IsNullRef(ref canceled)) Release(ref canceled, canceled.Remaining);
                    break;
            }
        }
        SettleTaker();

        // A taker's remainder that neither traded nor was canceled rests (or waits for its trigger): an open order.
        void SettleTaker()
        {
            if (!takerDone && takerRemaining > 0 && (onlyAccount < 0 || onlyAccount == takerAccount))
                Reserve(takerId, takerAccount, takerInstrument, takerSide, takerPrice, takerRemaining);
            takerDone = true;
        }

        // A pending stop-market shows price 0: it is reserved at the reference price (its full size counts).
        void BeginTaker(in EngineEvent e, long quantity)
        {
            takerId = e.OrderId; takerRemaining = quantity; takerAccount = e.Account; takerInstrument = e.Instrument; takerSide = e.Side;
            takerPrice = e.Price != 0 ? e.Price : _book.Instrument(e.Instrument)!.ReferencePrice;
            takerDone = false;
        }
    }

    private void Fill(in EngineEvent trade, int onlyAccount)
    {
        var inst = _book.Instrument(trade.Instrument)!;
        if (onlyAccount < 0 || onlyAccount == trade.Account)
        {
            inst.LastTrade = trade.Price;
            var taker = _book.Account(trade.Account);
            taker.Position(trade.Instrument).ApplyFill(trade.Side == Side.Buy, trade.Quantity, trade.Price, inst.NotionalUnit,
                taker.Fee(maker: false, trade.Price, trade.Quantity, inst));
        }
        if (onlyAccount < 0 || onlyAccount == trade.MakerAccount)
        {
            var maker = _book.Account(trade.MakerAccount);
            maker.Position(trade.Instrument).ApplyFill(trade.Side != Side.Buy, trade.Quantity, trade.Price, inst.NotionalUnit,
                maker.Fee(maker: true, trade.Price, trade.Quantity, inst));
            ref var resting = ref _open.Find(trade.MakerOrderId);
            if (!Unsafe.IsNullRef(ref resting)) Release(ref resting, trade.Quantity);
        }
    }

    private void Reserve(long id, int accountId, int instrument, Side side, long price, long qty)
    {
        var account = Account(accountId);
        ref var pos = ref account.Position(instrument);
        pos.Active = true;
        if (side == Side.Buy) pos.OpenBuy += qty;
        else pos.OpenSell += qty;
        account.OpenOrders++;
        var notional = _book.Instrument(instrument)!.Notional(price, qty);
        // A notional beyond Amount's range cannot be summed and later subtracted exactly: such an order is counted
        // apart, and while it rests the account's open notional reads as saturated.
        bool saturated = notional.IsSaturated;
        if (saturated) account.SaturatedOpenOrders++;
        else account.AddOpenNotional(notional);
        _open.Add(new OpenOrder
        {
            Id = id, Account = accountId, Instrument = instrument, Side = side, Price = price, Remaining = qty, Saturated = saturated,
        });
    }

    private void Release(ref OpenOrder order, long qty)
    {
        var account = _book.FindAccount(order.Account)!;
        ref var pos = ref account.Position(order.Instrument);
        if (order.Side == Side.Buy) pos.OpenBuy -= qty;
        else pos.OpenSell -= qty;
        if (!order.Saturated) account.AddOpenNotional(-_book.Instrument(order.Instrument)!.Notional(order.Price, qty));
        order.Remaining -= qty;
        if (order.Remaining == 0)
        {
            account.OpenOrders--;
            if (order.Saturated) account.SaturatedOpenOrders--;
            _open.Remove(order.Id);
        }
    }
}
