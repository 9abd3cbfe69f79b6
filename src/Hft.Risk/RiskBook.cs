using Hft.Core.Instruments;

namespace Hft.Risk;

/// <summary>
/// The risk state shared by every risk stage of a process: instruments (band, mark, last trade, halt) and accounts
/// (limits, positions, open totals). Each account's state is read and written only under its
/// <see cref="AccountRisk.Sync"/> lock by concurrent shards (a single-threaded replay needs no locking).
/// Instruments and accounts are added copy-on-write, so readers never see a half-grown array.
/// </summary>
public sealed class RiskBook
{
    private readonly object _growth = new();
    private volatile RiskInstrument?[] _instruments = new RiskInstrument?[8];
    private volatile AccountRisk?[] _accounts = new AccountRisk?[64];

    public RiskInstrument AddInstrument(Instrument instrument)
    {
        lock (_growth)
        {
            var current = _instruments;
            if (instrument.Index < current.Length && current[instrument.Index] is { } existing) return existing;
            var next = new RiskInstrument?[Math.Max(current.Length, instrument.Index + 1)];
            Array.Copy(current, next, current.Length);
            var created = new RiskInstrument(instrument);
            next[instrument.Index] = created;
            _instruments = next;
            return created;
        }
    }

    public RiskInstrument? Instrument(int index)
    {
        var all = _instruments;
        return (uint)index < (uint)all.Length ? all[index] : null;
    }

    /// <summary>Instrument slots (some may be null); for iteration by index.</summary>
    public int InstrumentSlots => _instruments.Length;

    /// <summary>The account's state, created (undeclared, unlimited) on first sight.</summary>
    public AccountRisk Account(int id)
    {
        var all = _accounts;
        if ((uint)id < (uint)all.Length && all[id] is { } found) return found;
        lock (_growth)
        {
            all = _accounts;
            if ((uint)id < (uint)all.Length && all[id] is { } raced) return raced;
            var next = new AccountRisk?[Math.Max(all.Length, id + 1)];
            Array.Copy(all, next, all.Length);
            var created = new AccountRisk(id, Math.Max(8, _instruments.Length));
            next[id] = created;
            _accounts = next;
            return created;
        }
    }

    public AccountRisk? FindAccount(int id)
    {
        var all = _accounts;
        return (uint)id < (uint)all.Length ? all[id] : null;
    }

    /// <summary>Accounts in id order.</summary>
    public IEnumerable<AccountRisk> Accounts
    {
        get
        {
            foreach (var a in _accounts)
                if (a is not null) yield return a;
        }
    }
}
