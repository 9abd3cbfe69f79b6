namespace Hft.Gateways.Binary;

/// <summary>
/// The places of logged-on binary sessions: at most <c>[gateway] binary_max_sessions</c> in all and
/// <c>binary_max_sessions_per_account</c> per account, so neither idle connections (they hold no place: the
/// <c>[security]</c> connection gate bounds them) nor one account can lock everyone else out. Thread-safe.
/// </summary>
internal sealed class SessionSlots(int maxSessions, int maxPerAccount)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, int> _byAccount = new();
    private int _total;

    /// <summary>Logged-on sessions.</summary>
    public int LoggedOn
    {
        get
        {
            lock (_gate) return _total;
        }
    }

    /// <summary>Takes a place for a session of <paramref name="account"/>: null when taken, else why not.</summary>
    public LoginRejectReason? TryClaim(int account)
    {
        lock (_gate)
        {
            int held = _byAccount.GetValueOrDefault(account);
            if (held >= maxPerAccount) return LoginRejectReason.AccountSessionLimit;
            if (_total >= maxSessions) return LoginRejectReason.SessionLimit;
            _byAccount[account] = held + 1;
            _total++;
            return null;
        }
    }

    /// <summary>Gives back the place a session of <paramref name="account"/> took (once, when it ends).</summary>
    public void Release(int account)
    {
        lock (_gate)
        {
            int held = _byAccount[account] - 1;
            if (held == 0) _byAccount.Remove(account);
            else _byAccount[account] = held;
            _total--;
        }
    }
}
