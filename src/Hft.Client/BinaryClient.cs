using System.Net.Security;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Hft.Core.Orders;
using Hft.Gateways.Binary;

namespace Hft.Client;

/// <summary>
/// A client of the binary order-entry protocol (docs/protocol/binary.md): connect, log in with an API key or a JWT,
/// send orders, receive responses (all but the login's answer, which <see cref="LoginAsync"/> returns) either through an <see cref="IBinaryClientHandler"/> (on the client's receive
/// thread, allocation-free) or, without one, from <see cref="Messages"/>. Sends heartbeats while idle. Sends are
/// buffered and written with one syscall per <see cref="Flush"/> (or per message with <c>flush: true</c>).
/// Thread-safe for senders; one receive thread.
/// </summary>
public sealed class BinaryClient : IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream; // the socket's, or TLS over it
    private readonly IBinaryClientHandler? _handler;
    private readonly Channel<BinaryMessage> _messages = Channel.CreateUnbounded<BinaryMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _sendGate = new();
    private readonly byte[] _sendBuffer = new byte[64 * 1024];
    private int _buffered;
    private uint _nextOut = 1;
    private uint _expectedIn = 1;
    private readonly Thread _receiver;
    private readonly TaskCompletionSource<BinaryMessage> _login = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DisconnectReason?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DisconnectReason? _logoutReason;
    private Timer? _heartbeat;
    private long _lastSentTicks = Environment.TickCount64;
    private volatile bool _disposed;

    private BinaryClient(Socket socket, Stream stream, IBinaryClientHandler? handler)
    {
        _socket = socket;
        _stream = stream;
        _handler = handler;
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "hft-binary-client" };
        _receiver.Start();
    }

    /// <summary>Connects (TCP_NODELAY). With a handler, messages go to it; without, to <see cref="Messages"/>.</summary>
    public static Task<BinaryClient> ConnectAsync(string host, int port, IBinaryClientHandler? handler = null,
        CancellationToken cancellationToken = default)
        => ConnectAsync(host, port, tls: null, handler, cancellationToken);

    /// <summary>Connects over TLS when <paramref name="tls"/> is given (the server's [tls] binary = true), else plain TCP.</summary>
    public static async Task<BinaryClient> ConnectAsync(string host, int port, SslClientAuthenticationOptions? tls, IBinaryClientHandler? handler = null,
        CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            if (IPAddress.TryParse(host, out var ip)) await socket.ConnectAsync(new IPEndPoint(ip, port), cancellationToken);
            else await socket.ConnectAsync(host, port, cancellationToken);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (tls is not null)
            {
                var secured = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = secured;
                await secured.AuthenticateAsClientAsync(tls, cancellationToken);
            }
        }
        catch
        {
            if (stream is not null) await stream.DisposeAsync();
            socket.Dispose();
            throw;
        }
        return new BinaryClient(socket, stream, handler);
    }

    /// <summary>Server messages, in order (only without a handler).</summary>
    public ChannelReader<BinaryMessage> Messages => _messages.Reader;

    /// <summary>Completes when the connection ends, with the server's Logout reason (null: closed without one).</summary>
    public Task<DisconnectReason?> Closed => _closed.Task;

    /// <summary>What the handler threw, if it did (the connection was closed then).</summary>
    public Exception? Failure { get; private set; }

    /// <summary>The sequence number the next message sent will carry (tests craft raw frames with it).</summary>
    public uint NextSequence
    {
        get
        {
            lock (_sendGate) return _nextOut;
        }
    }

    /// <summary>Logs in; returns LoginAccepted or LoginRejected. Starts heartbeats at the interval the server names.</summary>
    public async Task<BinaryMessage> LoginAsync(AuthKind kind, string credential, TimeSpan? timeout = null, ushort version = BinaryProtocol.Version)
    {
        var bytes = Encoding.UTF8.GetBytes(credential);
        lock (_sendGate)
        {
            Reserve(BinaryCodec.LoginFixedSize + bytes.Length);
            int n = BinaryCodec.WriteLogin(version, kind, bytes, _nextOut, _sendBuffer.AsSpan(_buffered));
            if (n == 0) throw new ArgumentException("credential empty or too long", nameof(credential));
            _nextOut++;
            _buffered += n;
            FlushLocked();
        }
        var reply = await _login.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        if (reply.Type == MessageType.LoginAccepted && reply.HeartbeatMs > 0)
        {
            int period = (int)Math.Max(50, reply.HeartbeatMs / 2);
            _heartbeat = new Timer(_ => HeartbeatIfIdle(reply.HeartbeatMs), null, period, period);
        }
        return reply;
    }

    public void SendNewOrder(ulong clientOrderId, int instrument, Side side, OrderType type, TimeInForce tif, long price, long quantity,
        bool postOnly = false, SelfTradePrevention stp = SelfTradePrevention.None, bool flush = true)
        => Send(new BinaryMessage
        {
            Type = MessageType.NewOrder, ClientOrderId = clientOrderId, Instrument = instrument, Side = side, OrderType = type, Tif = tif,
            Price = price, Quantity = quantity, Stp = stp, Flags = postOnly ? BinaryMessage.PostOnlyFlag : (byte)0,
        }, flush);

    /// <summary>
    /// A NewOrderV2 (a session logged on with version 2): any order type and time in force, with the trigger price of a
    /// stop / take-profit, the display quantity of an iceberg and the expire time (Unix nanoseconds) of a GTD order.
    /// </summary>
    public void SendNewOrderV2(ulong clientOrderId, int instrument, Side side, OrderType type, TimeInForce tif, long price, long quantity,
        long triggerPrice = 0, long displayQuantity = 0, long expireTime = 0, bool postOnly = false,
        SelfTradePrevention stp = SelfTradePrevention.None, bool flush = true)
        => Send(new BinaryMessage
        {
            Type = MessageType.NewOrderV2, ClientOrderId = clientOrderId, Instrument = instrument, Side = side, OrderType = type, Tif = tif,
            Price = price, Quantity = quantity, Stp = stp, Flags = postOnly ? BinaryMessage.PostOnlyFlag : (byte)0,
            TriggerPrice = triggerPrice, DisplayQuantity = displayQuantity, ExpireTime = expireTime,
        }, flush);

    /// <summary>Cancels the session's order <paramref name="clientOrderId"/>; or, with <paramref name="orderId"/>, the account's order of that exchange id (adopted under <paramref name="clientOrderId"/>).</summary>
    public void SendCancel(ulong clientOrderId, long orderId = 0, int instrument = 0, bool flush = true)
        => Send(new BinaryMessage { Type = MessageType.CancelOrder, ClientOrderId = clientOrderId, OrderId = orderId, Instrument = instrument }, flush);

    /// <summary>
    /// Sets the order's remaining quantity and, when given, its price (a price change loses time priority) and a pending
    /// stop / take-profit order's trigger price (a ReplaceOrderV2: a session logged on with version 2).
    /// </summary>
    public void SendReplace(ulong clientOrderId, long quantity, long? price = null, long orderId = 0, int instrument = 0, bool flush = true,
        long? triggerPrice = null)
        => Send(new BinaryMessage
        {
            Type = triggerPrice is null ? MessageType.ReplaceOrder : MessageType.ReplaceOrderV2, ClientOrderId = clientOrderId, OrderId = orderId,
            Instrument = instrument, Quantity = quantity, Price = price ?? 0, TriggerPrice = triggerPrice ?? 0,
            Flags = (byte)((price is null ? 0 : BinaryMessage.HasPriceFlag) | (triggerPrice is null ? 0 : BinaryMessage.HasTriggerFlag)),
        }, flush);

    /// <summary>Cancels every open order of the account on one instrument, or on all with -1.</summary>
    public void SendMassCancel(ulong requestId, int instrument = -1, bool flush = true)
        => Send(new BinaryMessage { Type = MessageType.MassCancel, ClientOrderId = requestId, Instrument = instrument }, flush);

    public void SendHeartbeat() => Send(new BinaryMessage { Type = MessageType.Heartbeat }, flush: true);

    public void SendLogout() => Send(new BinaryMessage { Type = MessageType.Logout }, flush: true);

    /// <summary>Encodes <paramref name="message"/> with the next sequence number into the send buffer.</summary>
    public void Send(in BinaryMessage message, bool flush)
    {
        lock (_sendGate)
        {
            Reserve(BinaryProtocol.MaxFixedMessageSize);
            int n = BinaryCodec.Write(in message, _nextOut, _sendBuffer.AsSpan(_buffered));
            if (n == 0) throw new ArgumentException($"cannot encode {message.Type}", nameof(message));
            _nextOut++;
            _buffered += n;
            if (flush) FlushLocked();
        }
    }

    /// <summary>Writes raw bytes as they are (tests: garbage, truncated frames); flushes what was buffered first.</summary>
    public void SendRaw(ReadOnlySpan<byte> bytes, bool advanceSequence = false)
    {
        lock (_sendGate)
        {
            FlushLocked();
            _stream.Write(bytes);
            if (advanceSequence) _nextOut++;
        }
    }

    /// <summary>Writes everything buffered with one send.</summary>
    public void Flush()
    {
        lock (_sendGate) FlushLocked();
    }

    /// <summary>Stops sending (half-close): the server sees end of stream.</summary>
    public void ShutdownSend()
    {
        lock (_sendGate)
        {
            FlushLocked();
            if (_stream is SslStream tls) tls.ShutdownAsync().GetAwaiter().GetResult();
            _socket.Shutdown(SocketShutdown.Send);
        }
    }

    private void Reserve(int bytes)
    {
        if (_buffered + bytes > _sendBuffer.Length) FlushLocked();
    }

    private void FlushLocked()
    {
        _stream.Write(_sendBuffer, 0, _buffered);
        _buffered = 0;
        _lastSentTicks = Environment.TickCount64;
    }

    private void HeartbeatIfIdle(uint intervalMs)
    {
        if (_disposed || Environment.TickCount64 - Volatile.Read(ref _lastSentTicks) < intervalMs / 2) return;
        try
        {
            SendHeartbeat();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
        }
    }

    private void ReceiveLoop()
    {
        var buffer = new byte[64 * 1024];
        int start = 0, end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }
                int read = _stream.Read(buffer, end, buffer.Length - end);
                if (read == 0) break;
                end += read;
                while (true)
                {
                    var status = BinaryCodec.TryReadFrameLength(buffer.AsSpan(start, end - start), BinaryProtocol.MaxFrameSize, out int length);
                    if (status == FrameStatus.Incomplete) break;
                    if (status != FrameStatus.Complete) throw new InvalidDataException($"the server sent a malformed frame ({status})");
                    var frame = buffer.AsSpan(start, length);
                    start += length;
                    BinaryCodec.ReadHeader(frame, out var type, out uint sequence);
                    if (sequence != _expectedIn) throw new InvalidDataException($"server sequence {sequence}, expected {_expectedIn}");
                    _expectedIn++;
                    if (BinaryCodec.FrameSize(type) == 0) continue; // a message type appended after this library: skipped by its length
                    if (!BinaryCodec.TryRead(frame, out var m)) throw new InvalidDataException($"the server sent a malformed {type} frame");
                    Dispatch(in m);
                }
                if (start == end) start = end = 0;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidDataException or IOException)
        {
        }
        catch (Exception e) when (_handler is not null)
        {
            // A handler that throws must not take the process down from this thread: the connection ends instead.
            Failure = e;
            _socket.Dispose();
        }
        _login.TrySetException(new IOException("the connection closed before the login was answered"));
        _handler?.OnClosed(_logoutReason);
        _messages.Writer.TryComplete();
        _closed.TrySetResult(_logoutReason);
    }

    private void Dispatch(in BinaryMessage m)
    {
        if (m.Type == MessageType.LogoutNotice) _logoutReason = (DisconnectReason)m.Reason;
        if (_handler is not null) _handler.OnMessage(in m);
        else if (m.Type is not (MessageType.LoginAccepted or MessageType.LoginRejected)) _messages.Writer.TryWrite(m); // those answer LoginAsync
        if (m.Type is MessageType.LoginAccepted or MessageType.LoginRejected) _login.TrySetResult(m);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _heartbeat?.Dispose();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        _socket.Dispose();
        _stream.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(2));
    }
}
