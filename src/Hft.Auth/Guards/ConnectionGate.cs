using System.Net;

namespace Hft.Auth.Guards;

/// <summary>
/// What one listener lets in before a login: at most <c>maxPerAddress</c> open connections per remote address and at
/// most <c>maxUnauthenticated</c> connections that have not logged on yet. A listener asks <see cref="TryAdmit"/> as it
/// accepts (before it allocates anything for the connection) and closes the socket when refused; the ticket it gets
/// is marked <see cref="Ticket.LoggedOn"/> after a successful login and disposed when the connection ends.
/// </summary>
public sealed class ConnectionGate
{
    private readonly object _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly int _maxPerAddress;
    private readonly int _maxUnauthenticated;
    private int _unauthenticated;

    public ConnectionGate(int maxPerAddress, int maxUnauthenticated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerAddress, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxUnauthenticated, 1);
        _maxPerAddress = maxPerAddress;
        _maxUnauthenticated = maxUnauthenticated;
    }

    public static ConnectionGate From(Hft.Configuration.SecurityConfig security)
        => new(security.MaxConnectionsPerAddress, security.MaxUnauthenticated);

    /// <summary>Connections admitted that have not logged on yet.</summary>
    public int Unauthenticated
    {
        get { lock (_gate) return _unauthenticated; }
    }

    /// <summary>Open connections of <paramref name="address"/>.</summary>
    public int OpenFrom(IPAddress address)
    {
        lock (_gate) return _perAddress.GetValueOrDefault(Normalize(address));
    }

    /// <summary>Admits a new connection from <paramref name="remote"/>, or says why not ("too many connections from this address", ...).</summary>
    public bool TryAdmit(IPAddress? remote, out Ticket? ticket, out string refusal)
    {
        var address = Normalize(remote ?? IPAddress.None);
        lock (_gate)
        {
            int open = _perAddress.GetValueOrDefault(address);
            if (open >= _maxPerAddress)
            {
                ticket = null;
                refusal = $"too many connections from this address (limit {_maxPerAddress})";
                return false;
            }
            if (_unauthenticated >= _maxUnauthenticated)
            {
                ticket = null;
                refusal = $"too many connections waiting to log on (limit {_maxUnauthenticated})";
                return false;
            }
            _perAddress[address] = open + 1;
            _unauthenticated++;
        }
        ticket = new Ticket(this, address);
        refusal = "";
        return true;
    }

    // An IPv4 client on a dual-stack socket arrives as ::ffff:a.b.c.d: count it as a.b.c.d.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void LoggedOn()
    {
        lock (_gate) _unauthenticated--;
    }

    private void Release(IPAddress address, bool loggedOn)
    {
        lock (_gate)
        {
            if (!loggedOn) _unauthenticated--;
            int open = _perAddress[address] - 1;
            if (open == 0) _perAddress.Remove(address);
            else _perAddress[address] = open;
        }
    }

    /// <summary>One admitted connection's place; dispose exactly when the connection ends.</summary>
    public sealed class Ticket : IDisposable
    {
        private readonly ConnectionGate _gate;
        private bool _loggedOn;
        private bool _released;

        internal Ticket(ConnectionGate gate, IPAddress address)
        {
            _gate = gate;
            Address = address;
        }

        public IPAddress Address { get; }

        /// <summary>The connection logged on: it no longer counts as waiting (idempotent).</summary>
        public void LoggedOn()
        {
            lock (this)
            {
                if (_loggedOn || _released) return;
                _loggedOn = true;
                _gate.LoggedOn();
            }
        }

        public void Dispose()
        {
            lock (this)
            {
                if (_released) return;
                _released = true;
                _gate.Release(Address, _loggedOn);
            }
        }
    }
}
