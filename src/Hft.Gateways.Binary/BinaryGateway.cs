using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hft.Configuration;
using Hft.Pipeline;
using Hft.Pipeline.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Gateways.Binary;

/// <summary>
/// The binary order-entry listener on <c>[server] bind</c> : <c>[gateway] binary_port</c> (docs/protocol/binary.md):
/// accepts TCP connections (TCP_NODELAY), runs a <see cref="BinarySession"/> for each up to
/// <c>binary_max_sessions</c>, and drives their heartbeats from one timer.
/// </summary>
public sealed class BinaryGateway : IHostedService
{
    private readonly HftConfig _config;
    private readonly ILogger _log;
    private readonly object _sessionsGate = new();
    private readonly CancellationTokenSource _stopping = new();
    private BinarySession[] _sessions = [];
    private readonly List<Task> _running = new();
    private Socket? _listener;
    private Task? _accepting;
    private Timer? _timer;

    public BinaryGateway(HftConfig config, TradingPipeline pipeline, AccountEventHub accountEvents, SessionAuthenticator authenticator,
        GatewayMetrics metrics, ILogger log)
    {
        _config = config;
        Pipeline = pipeline;
        AccountEvents = accountEvents;
        Authenticator = authenticator;
        Metrics = metrics;
        _log = log;
    }

    internal TradingPipeline Pipeline { get; }

    internal AccountEventHub AccountEvents { get; }

    internal GatewayConfig Config => _config.Gateway;

    internal GatewayMetrics Metrics { get; }

    internal SessionAuthenticator Authenticator { get; }

    /// <summary>Where the gateway listens (known after start; with binary_port 0 the port the OS chose).</summary>
    public IPEndPoint? EndPoint { get; private set; }

    /// <summary>Sessions currently open (logged in or not).</summary>
    public int SessionCount => Volatile.Read(ref _sessions).Length;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var address = IPAddress.Parse(_config.Server.Bind);
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(address, Config.BinaryPort));
        listener.Listen(256);
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _log.LogInformation("binary gateway: listening on {EndPoint} (protocol v{Version}, at most {Sessions} sessions)",
            EndPoint, BinaryProtocol.Version, Config.BinaryMaxSessions);
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
            socket.NoDelay = true;
            var session = new BinarySession(socket, this);
            lock (_sessionsGate)
            {
                if (_sessions.Length >= Config.BinaryMaxSessions) session.Close(DisconnectReason.SessionLimit);
                Volatile.Write(ref _sessions, [.. _sessions, session]);
                _running.Add(RunSessionAsync(session));
            }
        }
    }

    private async Task RunSessionAsync(BinarySession session)
    {
        await Task.Yield();
        var reason = await session.RunAsync();
        if (reason is not (DisconnectReason.ClientLogout or DisconnectReason.ConnectionLost))
            _log.LogInformation("binary gateway: session of account {Account} ended: {Reason}",
                session.Account >= 0 ? Pipeline.Accounts.Name(session.Account) : "-", GatewayMetrics.ReasonName(reason));
        lock (_sessionsGate)
        {
            Volatile.Write(ref _sessions, _sessions.Where(s => s != session).ToArray());
            _running.RemoveAll(t => t.IsCompleted);
        }
    }

    /// <summary>Every 50 ms: heartbeats and timeouts (responses held for durability are released by the outbox).</summary>
    private void OnTimer()
    {
        long now = Stopwatch.GetTimestamp();
        long heartbeat = Stopwatch.Frequency * Config.BinaryHeartbeatMs / 1000;
        foreach (var s in Volatile.Read(ref _sessions)) s.Tick(now, heartbeat);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _listener?.Dispose();
        if (_accepting is not null) await _accepting;
        foreach (var s in Volatile.Read(ref _sessions)) s.Close(DisconnectReason.ServerShutdown);
        Task[] running;
        lock (_sessionsGate) running = _running.ToArray();
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
        if (_timer is not null) await _timer.DisposeAsync();
    }
}
