using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Hft.Auth.Guards;
using Hft.Pipeline;

namespace Hft.Gateways.Binary;

/// <summary>
/// One binary order-entry connection: a receive loop that parses frames in place, submits the orders of each read to
/// the pipeline and runs them to completion on its own thread (BinarySession.Receive.cs), then writes the responses
/// the outbox released (BinarySession.Outbound.cs); a send loop writes what becomes releasable later (another
/// client's order filled ours, a slow journal). The session hears its orders' events from the account event hub and
/// maps exchange order ids back to the client's ids.
/// </summary>
/// <remarks>
/// Until its Login succeeds (BinarySession.Login.cs) a connection holds only small buffers - one frame in, two
/// messages out - and an outbound queue of a few entries; the pooled 64 KiB buffers, the full outbound queue and the
/// order maps are taken at login.
/// </remarks>
public sealed partial class BinarySession
{
    private const int ReceiveBufferSize = 64 * 1024;
    private const int SendBufferSize = 64 * 1024;
    private const int LoginSendBufferSize = 2 * BinaryProtocol.MaxServerMessageSize;

    private readonly Socket _socket;
    private Stream _stream; // the socket's, or TLS over it
    private readonly BinaryGateway _gateway;
    private readonly ConnectionGate.Ticket _ticket;
    private readonly TradingPipeline _pipeline;
    private readonly GatewayMetrics _metrics;
    private readonly AsyncSignal _signal = new();
    private byte[] _receiveBuffer = new byte[BinaryProtocol.MaxFrameSize];
    private byte[] _sendBuffer = new byte[LoginSendBufferSize];
    private readonly long _connectedAt = Stopwatch.GetTimestamp();
    private long _lastReceived;
    private long _lastSent;
    private int _closing;
    private DisconnectReason _reason;
    private IDisposable? _subscription;
    private volatile bool _loggedIn;
    private int _account = -1;

    internal BinarySession(Socket socket, ConnectionGate.Ticket ticket, BinaryGateway gateway)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _ticket = ticket;
        _gateway = gateway;
        _pipeline = gateway.Pipeline;
        _metrics = gateway.Metrics;
        _throttle = new SessionThrottle(gateway.Config.BinaryMaxMessagesPerSecond);
        _lastReceived = _lastSent = _connectedAt;
        _queue = new OutboundItem[LoginQueueCapacity];
    }

    /// <summary>The account the session trades for (-1 before login).</summary>
    public int Account => _account;

    public bool LoggedIn => _loggedIn;

    public bool Closing => Volatile.Read(ref _closing) != 0;

    /// <summary>Runs the session until it ends; returns why it ended.</summary>
    internal async Task<DisconnectReason> RunAsync()
    {
        if (_gateway.Tls is { } tls)
        {
            if (await tls.AcceptAsync(_socket) is not { } secured)
            {
                Close(DisconnectReason.TlsHandshake);
                return _reason;
            }
            _stream = secured;
        }
        var sending = SendLoopAsync();
        var receiving = ReceiveGuardedAsync();
        await sending; // ends once closing and the Logout went out (or the connection failed)
        // Linger: give the peer a moment to read the Logout and close, draining what it still sends (a close with
        // unread input would reset the connection and could discard the Logout before the peer reads it).
        await Task.WhenAny(receiving, Task.Delay(500));
        await _stream.DisposeAsync();
        _socket.Dispose();
        await receiving;
        _subscription?.Dispose();
        if (_loggedIn)
        {
            _metrics.Sessions.Dec();
            ArrayPool<byte>.Shared.Return(_receiveBuffer);
            ArrayPool<byte>.Shared.Return(_sendBuffer);
        }
        return _reason;
    }

    private async Task ReceiveGuardedAsync()
    {
        try
        {
            await ReceiveLoopAsync();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(DisconnectReason.ConnectionLost);
        }
    }

    /// <summary>Ends the session: the send loop flushes what may leave, sends Logout with the reason and closes the socket.</summary>
    public void Close(DisconnectReason reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0) return;
        _reason = reason;
        _metrics.Disconnected(reason);
        _signal.Set();
    }

    /// <summary>Gateway timer: the login deadline, the account's kill switch, then heartbeats and timeouts.</summary>
    internal void Tick(long now, long heartbeatTicks, long loginTimeoutTicks)
    {
        if (Closing) return;
        if (!_loggedIn)
        {
            if (now - _connectedAt > loginTimeoutTicks) Close(DisconnectReason.LoginTimeout);
            return;
        }
        if (_risk is { Enabled: false })
        {
            Close(DisconnectReason.AccountDisabled); // the kill switch cancels its orders; its orders would be refused anyway
            return;
        }
        if (now - Volatile.Read(ref _lastReceived) > heartbeatTicks * 3)
        {
            Close(DisconnectReason.HeartbeatTimeout);
            return;
        }
        if (now - Volatile.Read(ref _lastSent) > heartbeatTicks)
        {
            Volatile.Write(ref _lastSent, now);
            EnqueueImmediate(new BinaryMessage { Type = MessageType.ServerHeartbeat });
        }
    }
}
