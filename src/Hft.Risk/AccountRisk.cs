using Hft.Core.Numerics;

namespace Hft.Risk;

/// <summary>
/// Risk state of one account: whether it is declared (limits apply) and enabled, its limits, its positions per
/// instrument, and the totals the checks need (open order count, open-order notional).
/// </summary>
public sealed class AccountRisk
{
    private PositionState[] _positions;

    public AccountRisk(int id, int instrumentCount)
    {
        Id = id;
        _positions = new PositionState[Math.Max(4, instrumentCount)];
    }

    public int Id { get; }

    /// <summary>Held by concurrent shards while they read or change this account's risk state.</summary>
    public object Sync { get; } = new();

    /// <summary>Declared accounts are risk-checked; others (replay streams without account commands) are only tracked.</summary>
    public bool Declared { get; set; }

    public bool Enabled { get; set; } = true;

    private AccountLimits _limits = AccountLimits.Unlimited;
    private FeeUnit[] _feeUnits = new FeeUnit[8];

    public AccountLimits Limits
    {
        get => _limits;
        set
        {
            _limits = value;
            Array.Clear(_feeUnits); // fee rates may have changed
        }
    }

    /// <summary>
    /// The fee of a fill: notional × bps / 10,000, rounded half away from zero at 10^-18 (bps have at most 6
    /// decimals). For the usual grids the fee per tick × lot is an exact <see cref="Amount"/>; it is computed once
    /// per instrument and side and the fee becomes one multiplication instead of two 128-bit divisions.
    /// </summary>
    public Amount Fee(bool maker, long ticks, long lots, RiskInstrument inst)
    {
        var bps = maker ? _limits.MakerFeeBps : _limits.TakerFeeBps;
        if (bps.Raw == 0) return Amount.Zero;
        int slot = inst.Instrument.Index * 2 + (maker ? 1 : 0);
        if (slot >= _feeUnits.Length) Array.Resize(ref _feeUnits, Math.Max(slot + 1, _feeUnits.Length * 2));
        ref var unit = ref _feeUnits[slot];
        if (unit.State == 0)
        {
            Int128 perLot = inst.NotionalUnit * (long)(bps.Raw / 1_000_000_000_000); // notional unit × micro-bps
            unit.State = perLot % 10_000_000_000 == 0 ? (byte)1 : (byte)2;
            unit.Unit = perLot / 10_000_000_000;
        }
        if (unit.State == 1) return Amount.Product(ticks, lots, unit.Unit);
        long microBps = (long)(bps.Raw / 1_000_000_000_000);
        return inst.Notional(ticks, lots).MulDiv(microBps, 10_000_000_000);
    }

    private struct FeeUnit
    {
        public byte State; // 0 not computed, 1 exact, 2 needs the dividing path
        public Int128 Unit;
    }

    /// <summary>Number of open (resting) orders.</summary>
    public int OpenOrders { get; internal set; }

    /// <summary>Σ open quantity × limit price over the account's resting orders.</summary>
    public Amount OpenNotional => SaturatedOpenOrders > 0 ? Amount.Max : _openNotional;

    /// <summary>Resting orders whose own notional is beyond <see cref="Amount"/>'s range (they make the open notional read as saturated).</summary>
    public int SaturatedOpenOrders { get; internal set; }

    private Amount _openNotional;

    public int InstrumentCapacity => _positions.Length;

    public ref PositionState Position(int instrument)
    {
        if (instrument >= _positions.Length) Array.Resize(ref _positions, Math.Max(instrument + 1, _positions.Length * 2));
        return ref _positions[instrument];
    }

    internal void AddOpenNotional(Amount delta) => _openNotional += delta;

    /// <summary>
    /// Snapshot restore only: clears the open totals (order count, notional, every position's open buy and sell) so
    /// that <see cref="RiskStage.RestoreOpenOrder"/> can rebuild them from the restored resting orders.
    /// </summary>
    public void ClearOpenTotals()
    {
        OpenOrders = 0;
        SaturatedOpenOrders = 0;
        _openNotional = Amount.Zero;
        for (int i = 0; i < _positions.Length; i++)
        {
            _positions[i].OpenBuy = 0;
            _positions[i].OpenSell = 0;
        }
    }
}
