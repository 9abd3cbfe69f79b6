using System.Net.WebSockets;

namespace Hft.Server.MarketData;

/// <summary>Limits of the <c>/ws</c> market data feed.</summary>
public sealed record MarketDataOptions
{
    /// <summary>Messages queued per connection before it counts as a slow consumer.</summary>
    public int SendQueueLimit { get; init; } = 1000;

    /// <summary>Overflows after which a slow consumer is disconnected (before that: a resync notice, subscriptions dropped).</summary>
    public int MaxOverflows { get; init; } = 3;

    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest client message accepted.</summary>
    public int MaxMessageBytes { get; init; } = 4096;

    /// <summary>Largest number of events the shards may queue for the publisher before dropping (and resyncing).</summary>
    public int EventQueueCapacity { get; init; } = 65_536;
}

/// <summary>
/// One WebSocket client: a bounded send queue drained by a single send loop (the only writer of the socket). Enqueueing
/// never blocks; a full queue is the publisher's cue to clear it, send a resync notice and, after repeated overflows,
/// abort the connection.
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

    public WsConnection(WebSocket socket, MarketDataOptions options)
    {
        _socket = socket;
        _options = options;
    }

    /// <summary>The publisher's record of this connection's subscriptions (publisher thread only).</summary>
    internal HashSet<(Channel Channel, int Instrument)> Subscriptions { get; } = new();

    public int Overflows => Volatile.Read(ref _overflows);

    /// <summary>Subscribe/unsubscribe requests posted to the publisher and not yet applied (bounded per connection).</summary>
    internal int PendingRequests;

    public CancellationToken Closed => _cts.Token;

    /// <summary>Queues a message; false when the queue is full (or the connection closed).</summary>
    public bool TrySend(byte[] message)
    {
        lock (_queue)
        {
            if (_closed || _queue.Count >= _options.SendQueueLimit) return false;
            _queue.Enqueue(message);
            if (_signal.CurrentCount == 0) _signal.Release();
            return true;
        }
    }

    /// <summary>Slow consumer: drops everything queued and queues <paramref name="notice"/>; aborts after too many overflows.</summary>
    public void Overflow(byte[] notice)
    {
        bool abort;
        lock (_queue)
        {
            if (_closed) return;
            _queue.Clear();
            abort = ++_overflows >= _options.MaxOverflows;
            if (!abort)
            {
                _queue.Enqueue(notice);
                if (_signal.CurrentCount == 0) _signal.Release();
            }
        }
        if (abort) Abort();
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
                batch.Clear();
                lock (_queue)
                    while (_queue.Count > 0) batch.Add(_queue.Dequeue());
                foreach (var m in batch)
                    await _socket.SendAsync(m, WebSocketMessageType.Text, true, _cts.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException)
        {
            Abort();
        }
    }

    public void Dispose()
    {
        Abort();
        _cts.Dispose();
    }
}
