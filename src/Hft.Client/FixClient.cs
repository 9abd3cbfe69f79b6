using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Client;

/// <summary>A received message as tag → value (client side: convenience over speed).</summary>
public sealed class FixReceived(string msgType, long seq, Dictionary<int, string> fields, string raw)
{
    public string MsgType { get; } = msgType;
    public long SeqNum { get; } = seq;
    public IReadOnlyDictionary<int, string> Fields { get; } = fields;
    public string Raw { get; } = raw;

    public string? this[int tag] => Fields.TryGetValue(tag, out var v) ? v : null;

    public override string ToString() => Raw;
}

/// <summary>
/// A small FIX 4.4 initiator (tests, loadgen): logs on, sends application messages with its own sequence numbers,
/// answers TestRequests, and queues everything it receives. <see cref="SendRaw"/> sends arbitrary bytes (hostile
/// input tests); <see cref="SkipSequence"/> makes a gap.
/// </summary>
public sealed class FixClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream? _tls; // null: plain TCP, the socket read and written directly
    private readonly byte[] _sender;
    private readonly byte[] _target;
    private readonly FixFieldWriter _fields = new();
    private readonly FixFieldWriter _fieldsIn = new(64); // the reader thread's (heartbeat answers)
    private readonly byte[] _out = new byte[64 * 1024];
    private readonly BlockingCollection<FixReceived> _inbox = new();
    private readonly Thread _reader;
    private readonly TaskCompletionSource _readerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private byte[] _pending = new byte[64 * 1024]; // composed, not yet sent (flush: false)
    private int _pendingLength;
    private volatile IFixMessageHandler? _handler;
    private long _clOrdIds;

    private FixClient(Socket socket, SslStream? tls, string sender, string target, long nextOut)
    {
        _socket = socket;
        _tls = tls;
        _sender = Encoding.ASCII.GetBytes(sender);
        _target = Encoding.ASCII.GetBytes(target);
        NextOut = nextOut;
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "fix-client-read" };
        _reader.Start();
    }

    public long NextOut { get; set; }

    /// <summary>Sequence number of the last message received.</summary>
    public long LastIn { get; private set; }

    public bool Closed { get; private set; }

    /// <summary>Answer TestRequests automatically (default true).</summary>
    public bool AutoHeartbeat { get; set; } = true;

    public static Task<FixClient> ConnectAsync(string host, int port, string sender, string target = "HFT", long nextOut = 1)
        => ConnectAsync(host, port, tls: null, sender, target, nextOut);

    /// <summary>
    /// Connects over TLS when <paramref name="tls"/> is given (the acceptor's [tls] fix = true), else plain TCP; throws
    /// <see cref="System.Security.Authentication.AuthenticationException"/> when the server's certificate is not trusted.
    /// </summary>
    public static async Task<FixClient> ConnectAsync(string host, int port, SslClientAuthenticationOptions? tls, string sender, string target = "HFT",
        long nextOut = 1, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? secured = null;
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            if (tls is not null)
            {
                secured = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false);
                await secured.AuthenticateAsClientAsync(tls, cancellationToken);
            }
        }
        catch
        {
            secured?.Dispose();
            socket.Dispose();
            throw;
        }
        return new FixClient(socket, secured, sender, target, nextOut);
    }

    /// <summary>Sends Logon and waits for the reply (a Logon, or the Logout refusing it).</summary>
    /// <param name="nextExpected">NextExpectedMsgSeqNum (789): the acceptor's number this client expects next; after a
    /// failover to another node of a replicated group, <c>LastIn + 1</c> of the previous connection.</param>
    public FixReceived Logon(string password, int heartBtInt = 30, bool reset = false, TimeSpan? timeout = null, long? nextExpected = null)
    {
        _fields.Clear();
        _fields.Add(FixTags.EncryptMethod, "0").Add(FixTags.HeartBtInt, heartBtInt);
        if (reset) _fields.Add(FixTags.ResetSeqNumFlag, "Y");
        if (nextExpected is { } next) _fields.Add(FixTags.NextExpectedMsgSeqNum, next.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _fields.Add(FixTags.Password, password);
        Send("A", _fields.Written);
        return Expect(m => m.MsgType is "A" or "5", timeout);
    }

    public string NextClOrdId() => "C" + Interlocked.Increment(ref _clOrdIds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void NewOrder(string clOrdId, string symbol, char side, string qty, string? price, char ordType = '2', char? tif = null, string? execInst = null)
        => NewOrder(Ascii(clOrdId), Ascii(symbol), (byte)side, Ascii(qty), Ascii(price), (byte)ordType, tif is { } t ? (byte)t : (byte)0, Ascii(execInst),
            flush: true);

    /// <summary>A NewOrderSingle; an empty <paramref name="price"/> or <paramref name="execInst"/> and a 0 <paramref name="tif"/> are left out.</summary>
    public void NewOrder(ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> symbol, byte side, ReadOnlySpan<byte> qty, ReadOnlySpan<byte> price, byte ordType,
        byte tif, ReadOnlySpan<byte> execInst, bool flush)
    {
        lock (_gate)
        {
            _fields.Clear();
            _fields.Add(FixTags.ClOrdId, clOrdId).Add(FixTags.Symbol, symbol).AddChar(FixTags.Side, side)
                .AddTime(FixTags.TransactTime, DateTime.UtcNow).Add(FixTags.OrderQty, qty).AddChar(FixTags.OrdType, ordType);
            if (!price.IsEmpty) _fields.Add(FixTags.Price, price);
            if (tif != 0) _fields.AddChar(FixTags.TimeInForce, tif);
            if (!execInst.IsEmpty) _fields.Add(FixTags.ExecInst, execInst);
            Send("D"u8, _fields.Written, flush);
        }
    }

    /// <summary>
    /// A NewOrderSingle with order-type terms: StopPx (99), MaxFloor (111), ExpireTime (126), the venue's TriggerDirection
    /// (5109, U or D: a take-profit when against the stop's direction); null ones are left out.
    /// </summary>
    public void NewOrderWithTerms(string clOrdId, string symbol, char side, string qty, string? price, char ordType, char? tif,
        string? stopPx, string? maxFloor = null, DateTime? expireTime = null, char? triggerDirection = null)
    {
        lock (_gate)
        {
            _fields.Clear();
            _fields.Add(FixTags.ClOrdId, Ascii(clOrdId)).Add(FixTags.Symbol, Ascii(symbol)).AddChar(FixTags.Side, (byte)side)
                .AddTime(FixTags.TransactTime, DateTime.UtcNow).Add(FixTags.OrderQty, Ascii(qty)).AddChar(FixTags.OrdType, (byte)ordType);
            if (price is not null) _fields.Add(FixTags.Price, Ascii(price));
            if (tif is { } t) _fields.AddChar(FixTags.TimeInForce, (byte)t);
            if (stopPx is not null) _fields.Add(FixTags.StopPx, Ascii(stopPx));
            if (maxFloor is not null) _fields.Add(FixTags.MaxFloor, Ascii(maxFloor));
            if (expireTime is { } at) _fields.AddTime(FixTags.ExpireTime, at);
            if (triggerDirection is { } d) _fields.AddChar(FixCustomTags.TriggerDirection, (byte)d);
            Send("D"u8, _fields.Written, flush: true);
        }
    }

    public void Cancel(string clOrdId, string origClOrdId, string symbol, char side)
        => Cancel(Ascii(clOrdId), Ascii(origClOrdId), Ascii(symbol), (byte)side, flush: true);

    public void Cancel(ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> origClOrdId, ReadOnlySpan<byte> symbol, byte side, bool flush)
    {
        lock (_gate)
        {
            _fields.Clear();
            _fields.Add(FixTags.ClOrdId, clOrdId).Add(FixTags.OrigClOrdId, origClOrdId).Add(FixTags.Symbol, symbol).AddChar(FixTags.Side, side)
                .AddTime(FixTags.TransactTime, DateTime.UtcNow);
            Send("F"u8, _fields.Written, flush);
        }
    }

    public void Replace(string clOrdId, string origClOrdId, string symbol, char side, string qty, string price)
        => Replace(Ascii(clOrdId), Ascii(origClOrdId), Ascii(symbol), (byte)side, Ascii(qty), Ascii(price), flush: true);

    public void Replace(ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> origClOrdId, ReadOnlySpan<byte> symbol, byte side, ReadOnlySpan<byte> qty,
        ReadOnlySpan<byte> price, bool flush)
    {
        lock (_gate)
        {
            _fields.Clear();
            _fields.Add(FixTags.ClOrdId, clOrdId).Add(FixTags.OrigClOrdId, origClOrdId).Add(FixTags.Symbol, symbol).AddChar(FixTags.Side, side)
                .AddTime(FixTags.TransactTime, DateTime.UtcNow).Add(FixTags.OrderQty, qty).AddChar(FixTags.OrdType, (byte)'2').Add(FixTags.Price, price);
            Send("G"u8, _fields.Written, flush);
        }
    }

    /// <summary>
    /// An OrderCancelReplaceRequest restating an order of any type: OrdType, the new total OrderQty, Price (null: the
    /// price stays; none for a stop), StopPx (99) and TriggerDirection (5109) as a NewOrderSingle carries them.
    /// </summary>
    public void ReplaceWithTerms(string clOrdId, string origClOrdId, string symbol, char side, string qty, string? price, char ordType,
        string? stopPx, char? triggerDirection = null)
    {
        lock (_gate)
        {
            _fields.Clear();
            _fields.Add(FixTags.ClOrdId, Ascii(clOrdId)).Add(FixTags.OrigClOrdId, Ascii(origClOrdId)).Add(FixTags.Symbol, Ascii(symbol))
                .AddChar(FixTags.Side, (byte)side).AddTime(FixTags.TransactTime, DateTime.UtcNow).Add(FixTags.OrderQty, Ascii(qty))
                .AddChar(FixTags.OrdType, (byte)ordType);
            if (price is not null) _fields.Add(FixTags.Price, Ascii(price));
            if (stopPx is not null) _fields.Add(FixTags.StopPx, Ascii(stopPx));
            if (triggerDirection is { } d) _fields.AddChar(FixCustomTags.TriggerDirection, (byte)d);
            Send("G"u8, _fields.Written, flush: true);
        }
    }

    private static byte[] Ascii(string? text) => text is null ? [] : Encoding.ASCII.GetBytes(text);

    public void MassCancel(string clOrdId, string? symbol)
    {
        lock (_gate)
        {
            _fields.Clear();
            _fields.Add(FixTags.ClOrdId, clOrdId).AddChar(FixTags.MassCancelRequestType, symbol is null ? (byte)'7' : (byte)'1');
            if (symbol is not null) _fields.Add(FixTags.Symbol, symbol);
            _fields.AddTime(FixTags.TransactTime, DateTime.UtcNow);
            Send("q", _fields.Written);
        }
    }

    public void Logout(string? text = null)
    {
        lock (_gate)
        {
            _fields.Clear();
            if (text is not null) _fields.Add(FixTags.Text, text);
            Send("5", _fields.Written);
        }
    }

    /// <summary>Sends a message of <paramref name="msgType"/> with the given body fields and the next sequence number.</summary>
    public void Send(string msgType, ReadOnlySpan<byte> body, bool possDup = false, long? seq = null)
    {
        lock (_gate)
        {
            long s = seq ?? NextOut++;
            var now = DateTime.UtcNow;
            Flush();
            int n = FixComposer.Compose(_out, Encoding.ASCII.GetBytes(msgType), _sender, _target, s, now, possDup, now, body);
            SendRaw(_out.AsSpan(0, n));
        }
    }

    /// <summary>
    /// Composes a message with the next sequence number and sends it, or with <paramref name="flush"/> false keeps it
    /// until <see cref="Flush"/> (one socket write for many messages).
    /// </summary>
    public void Send(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, bool flush)
    {
        lock (_gate)
        {
            int max = FixComposer.MaxLength(body.Length, _sender.Length + _target.Length);
            if (_pendingLength + max > _pending.Length) Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + max));
            _pendingLength += FixComposer.Compose(_pending.AsSpan(_pendingLength), msgType, _sender, _target, NextOut++, DateTime.UtcNow, false, default, body);
            if (flush) Flush();
        }
    }

    /// <summary>Sends what was composed with <c>flush: false</c>.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            if (_pendingLength == 0) return;
            int length = _pendingLength;
            _pendingLength = 0;
            SendRaw(_pending.AsSpan(0, length));
        }
    }

    /// <summary>Body fields from "tag=value|tag=value" text ('|' becomes SOH).</summary>
    public static byte[] Body(string text) => Encoding.ASCII.GetBytes(text.Replace('|', '\u0001') + (text.EndsWith('|') || text.Length == 0 ? "" : "\u0001"));

    public void SendRaw(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_tls is not null)
            {
                _tls.Write(bytes);
                return;
            }
            while (!bytes.IsEmpty)
            {
                int n = _socket.Send(bytes, SocketFlags.None);
                bytes = bytes[n..];
            }
        }
    }

    /// <summary>Skips <paramref name="count"/> outgoing sequence numbers (a gap the acceptor must notice).</summary>
    public void SkipSequence(long count = 1) => NextOut += count;

    /// <summary>Waits for the next message matching <paramref name="match"/>; others received meanwhile are dropped.</summary>
    public FixReceived Expect(Func<FixReceived, bool> match, TimeSpan? timeout = null)
        => TryExpect(match, timeout ?? TimeSpan.FromSeconds(10)) ?? throw new TimeoutException("no matching FIX message received" + (Closed ? " (connection closed)" : ""));

    public FixReceived? TryExpect(Func<FixReceived, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) return null;
            if (!_inbox.TryTake(out var m, left)) return null;
            if (match(m)) return m;
        }
    }

    public FixReceived Next(TimeSpan? timeout = null) => Expect(_ => true, timeout);

    /// <summary>
    /// From now on every received message goes to <paramref name="handler"/> on the reader thread, parsed in place
    /// (valid only during the call), instead of the queue that <see cref="Expect"/> reads. TestRequests are still
    /// answered automatically.
    /// </summary>
    public void Attach(IFixMessageHandler handler) => _handler = handler;

    private void ReadLoop()
    {
        var buffer = new byte[1 << 20];
        int filled = 0;
        var parsed = new FixMessage();
        try
        {
            while (true)
            {
                int n = _tls is null ? _socket.Receive(buffer.AsSpan(filled), SocketFlags.None) : _tls.Read(buffer.AsSpan(filled));
                if (n == 0) break;
                filled += n;
                int offset = 0;
                while (true)
                {
                    var status = FixFramer.TryFrame(buffer.AsSpan(offset, filled - offset), buffer.Length / 2, out int consumed);
                    if (status == FrameStatus.NeedMore) break;
                    if (status == FrameStatus.Complete && parsed.TryParse(buffer, offset, consumed, out _, out _)) OnMessage(parsed);
                    offset += consumed;
                }
                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
        }
        Closed = true;
        _inbox.CompleteAdding();
        _handler?.OnClosed();
        _readerDone.TrySetResult();
    }

    private void OnMessage(FixMessage m)
    {
        LastIn = m.SeqNum;
        if (AutoHeartbeat && m.MsgType == (byte)'1' && m.TryGet(FixTags.TestReqId, out var testReqId))
        {
            _fieldsIn.Clear();
            _fieldsIn.Add(FixTags.TestReqId, testReqId);
            Send("0"u8, _fieldsIn.Written, flush: true);
        }
        if (_handler is { } handler)
        {
            handler.OnMessage(m);
            return;
        }
        var fields = new Dictionary<int, string>();
        for (int i = 0; i < m.FieldCount; i++)
        {
            int tag = m.TagAt(i);
            fields[tag] = m.GetString(tag)!;
        }
        _inbox.Add(new FixReceived(fields.GetValueOrDefault(FixTags.MsgType, ""), m.SeqNum, fields, m.ToString()));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        _socket.Dispose();
        await _readerDone.Task.ConfigureAwait(false);
        _tls?.Dispose();
        _inbox.Dispose();
    }
}
