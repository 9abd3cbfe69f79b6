using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hft.Auth.Audit;
using Hft.Auth.Guards;
using Hft.Auth.Tls;
using Hft.Configuration;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Gateways.Binary;

/// <summary>
/// The binary order-entry listener on <c>[server] bind</c> : <c>[gateway] binary_port</c> (docs/protocol/binary.md):
/// accepts TCP connections (TCP_NODELAY) as far as the <c>[security]</c> connection gate admits them, runs a
/// <see cref="BinarySession"/> for each, lets at most <c>binary_max_sessions</c> of them log on (and
/// <c>binary_max_sessions_per_account</c> per account), and drives their login deadlines and heartbeats from one timer.
/// </summary>
public sealed class BinaryGateway : IHostedService
{
    private readonly HftConfig _config;
    private readonly ILogger _log;
    private readonly ConnectionGate _connections;
    private readonly object _sessionsGate = new();
    private readonly Dictionary<BinarySession, Task> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listener;
    private Task? _accepting;
    private Timer? _timer;

    public BinaryGateway(HftConfig config, TradingPipeline pipeline, AccountEventHub accountEvents, SessionAuthenticator authenticator,
        GatewayMetrics metrics, AuditLog audit, LoginThrottle logins, GatewayTls? tls, ILogger log)
    {
        Tls = tls;
        _config = config;
        Pipeline = pipeline;
        AccountEvents = accountEvents;
        Authenticator = authenticator;
        Metrics = metrics;
        Audit = audit;
        Logins = logins;
        _log = log;
        _connections = ConnectionGate.From(config.Security);
        Slots = new SessionSlots(config.Gateway.BinaryMaxSessions, config.Gateway.BinaryMaxSessionsPerAccount);
    }

    internal TradingPipeline Pipeline { get; }

    internal AccountEventHub AccountEvents { get; }

    internal GatewayConfig Config => _config.Gateway;

    internal GatewayMetrics Metrics { get; }

    internal SessionAuthenticator Authenticator { get; }

    internal AuditLog Audit { get; }

    internal LoginThrottle Logins { get; }

    /// <summary>TLS on this listener ([tls] binary), or null for plain TCP.</summary>
    internal GatewayTls? Tls { get; }

    internal SessionSlots Slots { get; }

    /// <summary>Where the gateway listens (known after start; with binary_port 0 the port the OS chose).</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Connections open (logged on or not).</summary>
    public int SessionCount
    {
        get
        {
            lock (_sessionsGate) return _sessions.Count;
        }
    }

    /// <summary>Sessions logged on.</summary>
    public int LoggedOnCount => Slots.LoggedOn;

    /// <summary>Connections admitted that have not logged on yet.</summary>
    public int WaitingForLogin => _connections.Unauthenticated;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(_config.Server.Bind);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        SocketBuffers.Apply(listener, Config); // inherited by every accepted connection
        listener.Bind(new IPEndPoint(address, Config.BinaryPort));
        listener.Listen(256);
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _log.LogInformation("binary gateway: listening on {EndPoint} ({Transport}, protocol v{Version}, at most {Sessions} sessions, {PerAccount} per account)",
            EndPoint, Tls is null ? "plain TCP" : "TLS", BinaryProtocol.Version, Config.BinaryMaxSessions, Config.BinaryMaxSessionsPerAccount);
        _accepting = AcceptLoopAsync(listener);
        _timer = new Timer(_ => OnTimer(), null, 50, 50);
        return Task.CompletedTask;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                continue;
            }
            // Admitted (or not) before anything is allocated for the connection.
            IPAddress? remote;
            try
            {
                remote = (socket.RemoteEndPoint as IPEndPoint)?.Address;
                socket.NoDelay = true;
            }
            catch (SocketException)
            {
                socket.Dispose(); // reset before we got to it: nothing to serve, and the loop must go on
                continue;
            }
            if (!_connections.TryAdmit(remote, out var ticket, out string refusal))
            {
                Refuse(socket, remote, refusal);
                continue;
            }
            var session = new BinarySession(socket, ticket!, this);
            lock (_sessionsGate) _sessions.Add(session, RunSessionAsync(session, ticket!));
        }
    }

    /// <summary>
    /// A connection the gate refused: told why in one LogoutNotice when the socket takes it at once, then closed.
    /// Nothing waits for the peer (a flood must cost nothing), so a peer that already sent its Login may see a reset instead.
    /// </summary>
    private void Refuse(Socket socket, IPAddress? remote, string refusal)
    {
        Metrics.Disconnected(DisconnectReason.ConnectionLimit);
        _log.LogDebug("binary gateway: refused a connection from {Remote}: {Refusal}", remote, refusal);
        if (Tls is not null)
        {
            socket.Dispose(); // no plain notice on a TLS port: the client would read it as a broken handshake anyway
            return;
        }
        Span<byte> notice = stackalloc byte[BinaryProtocol.MaxServerMessageSize];
        int n = BinaryCodec.Write(new BinaryMessage { Type = MessageType.LogoutNotice, Reason = (byte)DisconnectReason.ConnectionLimit }, 1, notice);
        try
        {
            socket.Blocking = false;
            socket.Send(notice[..n], SocketFlags.None, out _);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        socket.Dispose();
    }

    private async Task RunSessionAsync(BinarySession session, ConnectionGate.Ticket ticket)
    {
        await Task.Yield();
        var reason = await session.RunAsync();
        if (session.LoggedIn) Slots.Release(session.Account);
        ticket.Dispose();
        if (reason is not (DisconnectReason.ClientLogout or DisconnectReason.ConnectionLost or DisconnectReason.LoginTimeout or DisconnectReason.LoginFailed or DisconnectReason.TlsHandshake))
            _log.LogInformation("binary gateway: session of account {Account} ended: {Reason}",
                session.Account >= 0 ? Pipeline.Accounts.Name(session.Account) : "-", GatewayMetrics.ReasonName(reason));
        lock (_sessionsGate) _sessions.Remove(session);
    }

    /// <summary>Every 50 ms: login deadlines, heartbeats and timeouts (responses held for durability are released by the outbox).</summary>
    private void OnTimer()
    {
        long now = Stopwatch.GetTimestamp();
        long heartbeat = Stopwatch.Frequency * Config.BinaryHeartbeatMs / 1000;
        long loginTimeout = Stopwatch.Frequency * _config.Security.LoginTimeoutSeconds;
        lock (_sessionsGate)
            foreach (var s in _sessions.Keys) s.Tick(now, heartbeat, loginTimeout);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _listener?.Dispose();
        if (_accepting is not null) await _accepting;
        Task[] running;
        lock (_sessionsGate)
        {
            foreach (var s in _sessions.Keys) s.Close(DisconnectReason.ServerShutdown);
            running = _sessions.Values.ToArray();
        }
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        if (_timer is not null) await _timer.DisposeAsync();
    }
}
