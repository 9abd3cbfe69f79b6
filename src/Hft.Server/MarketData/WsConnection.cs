using System.Buffers;
using System.Net.WebSockets;
using Hft.Pipeline;

namespace Hft.Server.MarketData;

/// <summary>
/// Who a connection authenticated as (a JWT at connect or in an <c>auth</c> message), and with which token: the
/// connection ends when that token lapses, unless an <c>auth</c> message with a newer one for the same identity came first.
/// </summary>
public sealed record WsIdentity(int Account, string AccountName, bool IsAdmin, bool Level3, WsToken Token)
{
    /// <summary>Whether <paramref name="other"/> acts for the same account with the same rights (a token refresh).</summary>
    public bool SameAs(WsIdentity other) => Account == other.Account && IsAdmin == other.IsAdmin && Level3 == other.Level3;
}

/// <summary>
/// One WebSocket client: a bounded send queue of shared <see cref="WsFrame"/>s drained by a single send loop. Enqueueing
/// is O(1) and never blocks or allocates (a reference into a queue); a full queue is the publisher's cue to clear it,
/// send a resync notice and, after repeated overflows, close the connection with a reason. With a
/// <see cref="WsTransport"/> the loop copies everything queued into one pooled buffer and writes it in one call, so a
/// lagging client costs one socket write per wake-up, not one per message; without one (HTTP/2, tests without the
/// middleware) it falls back to one <see cref="WebSocket.SendAsync(ReadOnlyMemory{byte}, WebSocketMessageType, bool, CancellationToken)"/> per message.
/// </summary>
public sealed class WsConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly MarketDataOptions _options;
    private readonly Queue<WsFrame> _queue = new();
    private readonly AsyncSignal _signal = new(); // no allocation per wait, unlike SemaphoreSlim.WaitAsync
    private readonly CancellationTokenSource _cts = new();
    private int _overflows;
    private bool _closed;
    private string? _closeReason;
    private WsIdentity? _identity;

    private readonly WsTraffic? _traffic;
    private readonly WsTransport? _transport;

    public WsConnection(WebSocket socket, MarketDataOptions options, WsTraffic? traffic = null, WsTransport? transport = null)
    {
        _socket = socket;
        _options = options;
        _traffic = traffic;
        _transport = transport;
    }

    /// <summary>Socket writes made by the send loop (one per batch with a transport, one per message without).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;

    /// <summary>The publisher's record of this connection's public subscriptions (publisher thread only).</summary>
    internal HashSet<(Channel Channel, int Instrument)> Subscriptions { get; } = new();

    /// <summary>The connection's user-channel streams by account (publisher thread only).</summary>
    internal Dictionary<int, UserStream> UserStreams { get; } = new();

    /// <summary>Authenticated identity, or null; set by the connection's receive loop (again when its token is renewed).</summary>
    public WsIdentity? Identity
    {
        get => Volatile.Read(ref _identity);
        set => Volatile.Write(ref _identity, value);
    }

    public int Overflows => Volatile.Read(ref _overflows);

    /// <summary>Messages waiting to be sent (never more than the send queue limit plus a notice).</summary>
    public int Queued
    {
        get
        {
            lock (_queue) return _queue.Count;
        }
    }

    /// <summary>The reason the server closed the connection with, if it did.</summary>
    public string? CloseReason => Volatile.Read(ref _closeReason);

    /// <summary>Subscribe/unsubscribe requests posted to the publisher and not yet applied (bounded per connection).</summary>
    internal int PendingRequests;

    public CancellationToken Closed => _cts.Token;

    /// <summary>Queues a message and wakes the send loop; false when the queue is full (or the connection closed).</summary>
    public bool TrySend(WsFrame message)
    {
        if (!TryQueue(message)) return false;
        Wake();
        return true;
    }

    /// <summary>Queues a message (a reference: no copy, no allocation) without waking the send loop; see <see cref="Wake"/>.</summary>
    internal bool TryQueue(WsFrame message) => TryQueue(message, out _);

    /// <summary>As <see cref="TryQueue(WsFrame)"/>, telling how many messages are queued with this one.</summary>
    internal bool TryQueue(WsFrame message, out int queued)
    {
        lock (_queue)
        {
            queued = _queue.Count;
            if (_closed || _closeReason is not null || queued >= _options.SendQueueLimit) return false;
            _queue.Enqueue(message);
            queued++;
            return true;
        }
    }

    /// <summary>Lets the send loop write what is queued.</summary>
    internal void Wake() => _signal.Set();

    /// <summary>Publisher thread only: queued to in this pass of the publisher loop, to be woken at its end.</summary>
    internal bool WakePending;

    /// <summary>
    /// Slow consumer: drops everything queued and queues the <paramref name="notices"/>; after too many overflows the
    /// connection is closed instead (close frame with a reason, then aborted if the client does not take it).
    /// </summary>
    public void Overflow(params WsFrame[] notices)
    {
        lock (_queue)
        {
            if (_closed || _closeReason is not null) return;
            _queue.Clear();
            if (++_overflows >= _options.MaxOverflows)
                _closeReason = $"slow consumer: send queue overflowed {_overflows} times";
            else
                foreach (var n in notices) _queue.Enqueue(n);
            _signal.Set();
        }
    }

    /// <summary>Closes the connection with <paramref name="reason"/> (close frame after what is queued is dropped).</summary>
    public void Close(string reason)
    {
        lock (_queue)
        {
            if (_closed || _closeReason is not null) return;
            _queue.Clear();
            _closeReason = reason;
            _signal.Set();
        }
    }

    public void Abort()
    {
        lock (_queue)
        {
            if (_closed) return;
            _closed = true;
            _queue.Clear();
        }
        try
        {
            _cts.Cancel();
            _signal.Set(); // the send loop sees the cancellation and ends
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async Task SendLoop()
    {
        var batch = new List<WsFrame>();
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                await _signal.WaitAsync();
                if (_cts.IsCancellationRequested) break;
                string? close;
                batch.Clear();
                lock (_queue)
                {
                    while (_queue.Count > 0) batch.Add(_queue.Dequeue());
                    close = _closeReason;
                }
                if (batch.Count > 0)
                {
                    if (_transport is not null) await WriteBatch(_transport, batch);
                    else await SendEach(batch);
                }
                if (close is not null)
                {
                    await CloseAsync(close);
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            Abort();
        }
    }

    /// <summary>Everything queued, copied into one pooled buffer, in one write.</summary>
    private async Task WriteBatch(WsTransport transport, List<WsFrame> batch)
    {
        int total = 0, payload = 0;
        foreach (var f in batch)
        {
            total += f.Length;
            payload += f.PayloadLength;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            int at = 0;
            foreach (var f in batch)
            {
                f.Bytes.Span.CopyTo(buffer.AsSpan(at));
                at += f.Length;
            }
            await transport.WriteAsync(buffer.AsMemory(0, total), _cts.Token);
            Interlocked.Increment(ref _writes);
            _traffic?.Sent(batch.Count, payload);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendEach(List<WsFrame> batch)
    {
        foreach (var m in batch)
        {
            await _socket.SendAsync(m.Payload, WebSocketMessageType.Text, true, _cts.Token);
            Interlocked.Increment(ref _writes);
            _traffic?.Sent(1, m.PayloadLength);
        }
    }

    // A client that stopped reading may never take the close frame: give it two seconds, then drop the TCP connection.
    private async Task CloseAsync(string reason)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, reason, timeout.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(200), _cts.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
        }
        Abort();
    }

    public void Dispose()
    {
        Abort();
        _cts.Dispose();
    }
}
