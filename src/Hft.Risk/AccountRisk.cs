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

    public AccountLimits Limits { get; set; } = AccountLimits.Unlimited;

    /// <summary>Number of open (resting) orders.</summary>
    public int OpenOrders { get; internal set; }

    /// <summary>Σ open quantity × limit price over the account's resting orders.</summary>
    public Amount OpenNotional { get; internal set; }

    public int InstrumentCapacity => _positions.Length;

    public ref PositionState Position(int instrument)
    {
        if (instrument >= _positions.Length) Array.Resize(ref _positions, Math.Max(instrument + 1, _positions.Length * 2));
        return ref _positions[instrument];
    }

    internal void AddOpenNotional(Amount delta) => OpenNotional += delta;
}
