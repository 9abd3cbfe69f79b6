using System.Collections.Concurrent;
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

namespace Hft.Gateways.Fix;

/// <summary>
/// The FIX 4.4 acceptor on <c>[gateway] fix_port</c>: one session per <c>[[gateway.fix_sessions]]</c> entry
/// (sequence numbers persisted in <c>fix_store_dir</c>, subscribed to its account's events for its whole life), a
/// TCP listener (TCP_NODELAY) whose connections become sessions by Logon. What a connection may cost before its Logon
/// is bounded by <c>[security]</c>: a <see cref="ConnectionGate"/> admits it at accept (per address, and in total
/// while waiting to log on), then a <see cref="FixLogonReader"/> (no thread, no buffer while idle) waits at most
/// <c>login_timeout_seconds</c> for its Logon, which <see cref="FixLogonPolicy"/> decides; only a logged-on connection
/// gets a <see cref="FixConnection"/> and its reader thread. With [tls] fix every connection completes a TLS
/// handshake (within the same login timeout) before its Logon is read; a refused connection gets no plain bytes. Stops before the pipeline drains: each logged-on
/// connection gets a Logout.
/// </summary>
public sealed class FixAcceptor : IHostedService, IAsyncDisposable
{
    private readonly HftConfig _config;
    private readonly TradingPipeline _pipeline;
    private readonly AccountEventHub _hub;
    private readonly OrderDirectory _directory;
    private readonly ILogger _log;
    private readonly Dictionary<(string Sender, string Target), FixSession> _sessions = new();
    private readonly List<IDisposable> _subscriptions = new();
    private readonly ConcurrentDictionary<FixConnection, Task> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConnectionGate _gate;
    private Socket? _listener;
    private Task? _acceptLoop;

    /// <param name="audit">The node's audit log (logons, refused and failed logons).</param>
    /// <param name="logins">The node's failed-login throttle, shared with the other gateways.</param>
    /// <param name="clock">Time of the login timeout (tests pass a manual clock).</param>
    /// <param name="tls">TLS for every connection ([tls] fix), or null for plain TCP.</param>
    public FixAcceptor(HftConfig config, TradingPipeline pipeline, AccountEventHub hub, OrderDirectory directory, FixMetrics metrics, ILogger log,
        AuditLog audit, LoginThrottle logins, TimeProvider? clock = null, GatewayTls? tls = null)
    {
        Tls = tls;
        _config = config;
        _pipeline = pipeline;
        _hub = hub;
        _directory = directory;
        Metrics = metrics;
        _log = log;
        _gate = ConnectionGate.From(config.Security);
        Clock = clock ?? TimeProvider.System;
        Logons = new FixLogonPolicy(this, config.Gateway, pipeline, logins, audit);
    }

    internal FixMetrics Metrics { get; }

    internal HftConfig Config => _config;

    internal TimeProvider Clock { get; }

    /// <summary>The server side of TLS when [tls] fix is on: each connection's handshake precedes its Logon.</summary>
    internal GatewayTls? Tls { get; }

    internal FixLogonPolicy Logons { get; }

    /// <summary>Connections admitted that have not logged on (yet).</summary>
    public int WaitingForLogon => _gate.Unauthenticated;

    /// <summary>Where the acceptor listens (after start).</summary>
    public IPEndPoint? EndPoint { get; private set; }

    internal bool TryFindSession(string sender, string target, out FixSession session) => _sessions.TryGetValue((sender, target), out session!);

    internal FixSession? SessionOf(string sender) => _sessions.Values.FirstOrDefault(s => s.Config.SenderCompId == sender);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var g = _config.Gateway;
        _log.LogInformation("fix: data dictionary loaded ({Messages} message types)", FixDictionary.Messages.Count); // now, not on the first message
        foreach (var sc in g.FixSessions)
        {
            int account = _pipeline.Accounts.GetOrAdd(sc.Account);
            var session = new FixSession(sc, account, g, _pipeline, _directory, Metrics, _log);
            _sessions[(sc.SenderCompId, sc.TargetCompId)] = session;
            _subscriptions.Add(_hub.Subscribe(account, session));
            session.Start();
        }
        var address = IPAddress.Parse(_config.Server.Bind);
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        SocketBuffers.Apply(_listener, g); // inherited by every accepted connection
        _listener.Bind(new IPEndPoint(address, g.FixPort));
        _listener.Listen(128);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _log.LogInformation("fix: FIX 4.4 acceptor listening on {EndPoint}{Tls} ({Sessions} session(s), sequence numbers in {Dir})", EndPoint,
            Tls is null ? "" : " over TLS", _sessions.Count, Path.GetFullPath(g.FixStoreDir));
        _acceptLoop = AcceptLoop();
        return Task.CompletedTask;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            var remote = (socket.RemoteEndPoint as IPEndPoint)?.Address;
            if (!_gate.TryAdmit(remote, out var ticket, out string refusal))
            {
                // Before anything is allocated for it; debug only, a flood must not flood the log (the metric counts it).
                _log.LogDebug("fix {Remote}: connection refused: {Refusal}", remote, refusal);
                Metrics.Disconnected("connection_limit");
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            socket.SendTimeout = 5000;
            _ = new FixLogonReader(socket, ticket!, this, _log)
                .RunAsync(TimeSpan.FromSeconds(_config.Security.LoginTimeoutSeconds), _config.Gateway.FixMaxMessageBytes, _stop.Token);
        }
    }

    /// <summary>A connection that logged on, until it ends (stopping waits for it).</summary>
    internal void Track(FixConnection connection, Task reading)
    {
        _connections[connection] = reading;
        if (connection.IsClosed) Forget(connection); // it ended before it was tracked
    }

    internal void Forget(FixConnection connection) => _connections.TryRemove(connection, out _);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null) return;
        await Task.WhenAll(_connections.Keys.Select(c => c.LogoutAsync(TimeSpan.FromSeconds(2))));
        _stop.Cancel();
        _listener.Dispose();
        if (_acceptLoop is not null) await _acceptLoop;
        await Task.WhenAll(_connections.Values.ToArray()).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var s in _subscriptions) s.Dispose();
        foreach (var session in _sessions.Values)
        {
            session.Stop();
            session.Dispose();
        }
        _listener = null;
        _log.LogInformation("fix: acceptor stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stop.Dispose();
    }
}
