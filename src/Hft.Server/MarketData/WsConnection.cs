using System.Net.WebSockets;

namespace Hft.Server.MarketData;

/// <summary>Who a connection authenticated as (a JWT at connect or in an <c>auth</c> message).</summary>
public sealed record WsIdentity(int Account, string AccountName, bool IsAdmin, bool Level3);

/// <summary>
/// One WebSocket client: a bounded send queue drained by a single send loop (the only writer of the socket). Enqueueing
/// never blocks; a full queue is the publisher's cue to clear it, send a resync notice and, after repeated overflows,
/// close the connection with a reason.
/// </summary>
public sealed class WsConnection : IDisposable
{
    private readonly WebSocket _socket;
    private readonly MarketDataOptions _options;
    private readonly Queue<byte[]> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _cts = new();
    private int _overflows;
    private bool _closed;
    private string? _closeReason;
    private WsIdentity? _identity;

    private readonly WsTraffic? _traffic;

    public WsConnection(WebSocket socket, MarketDataOptions options, WsTraffic? traffic = null)
    {
        _socket = socket;
        _options = options;
        _traffic = traffic;
    }

    /// <summary>The publisher's record of this connection's public subscriptions (publisher thread only).</summary>
    internal HashSet<(Channel Channel, int Instrument)> Subscriptions { get; } = new();

    /// <summary>The connection's user-channel streams by account (publisher thread only).</summary>
    internal Dictionary<int, UserStream> UserStreams { get; } = new();

    /// <summary>Authenticated identity, or null; set once by the connection's receive loop.</summary>
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

    /// <summary>Queues a message; false when the queue is full (or the connection closed).</summary>
    public bool TrySend(byte[] message)
    {
        lock (_queue)
        {
            if (_closed || _closeReason is not null || _queue.Count >= _options.SendQueueLimit) return false;
            _queue.Enqueue(message);
            if (_signal.CurrentCount == 0) _signal.Release();
            return true;
        }
    }

    /// <summary>
    /// Slow consumer: drops everything queued and queues the <paramref name="notices"/>; after too many overflows the
    /// connection is closed instead (close frame with a reason, then aborted if the client does not take it).
    /// </summary>
    public void Overflow(params byte[][] notices)
    {
        lock (_queue)
        {
            if (_closed || _closeReason is not null) return;
            _queue.Clear();
            if (++_overflows >= _options.MaxOverflows)
                _closeReason = $"slow consumer: send queue overflowed {_overflows} times";
            else
                foreach (var n in notices) _queue.Enqueue(n);
            if (_signal.CurrentCount == 0) _signal.Release();
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
            if (_signal.CurrentCount == 0) _signal.Release();
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
            _socket.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public async Task SendLoop()
    {
        var batch = new List<byte[]>();
        try
        {
            while (!_cts.IsCancellationRequested)
            {
                await _signal.WaitAsync(_cts.Token);
                string? close;
                batch.Clear();
                lock (_queue)
                {
                    while (_queue.Count > 0) batch.Add(_queue.Dequeue());
                    close = _closeReason;
                }
                foreach (var m in batch)
                {
                    await _socket.SendAsync(m, WebSocketMessageType.Text, true, _cts.Token);
                    _traffic?.Sent(m.Length);
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
