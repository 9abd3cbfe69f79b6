using System.Net;
using System.Net.Sockets;
using Hft.MarketData;

namespace Hft.Client.MarketData;

/// <summary>Called for each message the client applies, with when it was decoded (Unix ns) and whether it came over recovery.</summary>
public delegate void FeedMessageHandler(in FeedMessage message, long decodedUnixNanoseconds, bool recovered);

/// <summary>
/// A subscriber of the binary market-data feed (docs/protocol/marketdata.md): receives packets on its UDP socket, applies
/// them in sequence to a <see cref="FeedBook"/>, and fills every gap over TCP before going on - a retransmission, or when
/// the range is no longer held, a snapshot and the retransmission of what followed it. A new session (the publisher
/// restarted) starts over. One receive thread; <see cref="Read{T}"/> looks at the book consistently from any thread.
/// </summary>
public sealed class FeedClient : IDisposable
{
    private readonly FeedClientOptions _options;
    private readonly Socket _socket;
    private readonly FeedRecoveryClient? _recovery;
    private readonly FeedBook _book = new();
    private readonly object _gate = new();
    private readonly byte[] _buffer = new byte[ushort.MaxValue];
    private readonly PacketHandler _applyRecovered, _applySnapshot;
    private Thread? _thread;
    private volatile bool _stopping;
    private FeedSessionId _session;
    private bool _hasSession;
    private long _next = 1;
    private int _maxPerRequest;
    private long _packets, _messages, _heartbeats, _gaps, _recovered, _snapshots, _malformed, _recoveryFailures;

    public FeedClient(FeedClientOptions options)
    {
        _options = options;
        _maxPerRequest = options.MaxRetransmitMessages;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = options.ReceiveBufferBytes };
        if (options.MulticastGroup is { } group)
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _socket.Bind(new IPEndPoint(IPAddress.Any, options.Listen.Port));
            var join = options.MulticastInterface is { } nic ? new MulticastOption(group, nic) : new MulticastOption(group);
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, join);
        }
        else
            _socket.Bind(options.Listen);
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
        if (options.Recovery is { } recovery) _recovery = new FeedRecoveryClient(recovery, options.RecoveryTimeout);
        _applyRecovered = packet => ApplyPacket(packet, recovered: true);
        _applySnapshot = ApplySnapshotMessages;
    }

    /// <summary>The UDP port packets are received on.</summary>
    public int Port { get; }

    /// <summary>Decode hook: every applied message (live or recovered), with its decode time. Runs on the receive thread.</summary>
    public FeedMessageHandler? OnMessage { get; set; }

    /// <summary>The next stream sequence the client expects (everything before it is in the book).</summary>
    public long NextSequence => Interlocked.Read(ref _next);

    public FeedSessionId Session => _session;

    public long Packets => Interlocked.Read(ref _packets);

    public long Messages => Interlocked.Read(ref _messages);

    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    /// <summary>Gaps detected (each filled by retransmission, snapshot or both).</summary>
    public long Gaps => Interlocked.Read(ref _gaps);

    /// <summary>Messages applied from retransmissions.</summary>
    public long RecoveredMessages => Interlocked.Read(ref _recovered);

    public long Snapshots => Interlocked.Read(ref _snapshots);

    /// <summary>Packets that did not decode (ignored).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Recovery attempts that failed (the gap stays; the next packet tries again).</summary>
    public long RecoveryFailures => Interlocked.Read(ref _recoveryFailures);

    /// <summary>The last recovery failure, for diagnostics.</summary>
    public string? LastFailure { get; private set; }

    /// <summary>The publisher sent end-of-session.</summary>
    public bool Ended { get; private set; }

    /// <summary>Looks at the rebuilt book under the client's lock (a consistent view between two packets).</summary>
    public T Read<T>(Func<FeedBook, T> read)
    {
        lock (_gate) return read(_book);
    }

    public void Start()
    {
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "hft-feed-client" };
        _thread.Start();
    }

    private void ReceiveLoop()
    {
        while (!_stopping)
        {
            int n;
            try
            {
                n = _socket.Receive(_buffer);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopping) return;
                continue; // e.g. an ICMP error reported on the socket: keep receiving
            }
            lock (_gate) OnPacket(_buffer.AsSpan(0, n));
        }
    }

    /// <summary>Handles one received datagram (the receive thread; tests may feed packets directly).</summary>
    internal void OnPacket(ReadOnlySpan<byte> packet)
    {
        if (!MoldPacket.TryReadHeader(packet, out var session, out long sequence, out ushort count))
        {
            Interlocked.Increment(ref _malformed);
            return;
        }
        Interlocked.Increment(ref _packets);
        if (!_hasSession || session != _session) StartSession(session);
        if (count is MoldPacket.Heartbeat or MoldPacket.EndOfSession)
        {
            if (count == MoldPacket.Heartbeat) Interlocked.Increment(ref _heartbeats);
            else Ended = true;
            if (sequence > _next) Recover(sequence - 1); // the heartbeat names the next sequence: anything before it was missed
            return;
        }
        if (sequence > _next) Recover(sequence - 1);
        if (sequence > _next) return; // not recovered: this packet waits for the next attempt (a later packet or heartbeat)
        ApplyPacket(packet, recovered: false);
    }

    private void StartSession(FeedSessionId session)
    {
        _session = session;
        _hasSession = true;
        _book.Clear();
        Interlocked.Exchange(ref _next, 1);
        Ended = false;
    }

    /// <summary>Applies the messages of a packet that are next in sequence (those before <see cref="NextSequence"/> are duplicates).</summary>
    private void ApplyPacket(ReadOnlySpan<byte> packet, bool recovered)
    {
        if (!MoldPacket.TryReadHeader(packet, out _, out long sequence, out ushort count)) return;
        var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
        long now = UnixNanoseconds();
        for (long s = sequence; reader.TryNext(out var m); s++)
        {
            if (s < _next) continue;
            if (s > _next) break; // a hole inside a recovered answer: cannot happen with a well-behaved service
            _book.Apply(m);
            Interlocked.Exchange(ref _next, s + 1);
            Interlocked.Increment(ref _messages);
            if (recovered) Interlocked.Increment(ref _recovered);
            OnMessage?.Invoke(m, now, recovered);
        }
        if (reader.Malformed) Interlocked.Increment(ref _malformed);
    }

    private void ApplySnapshotMessages(ReadOnlySpan<byte> packet)
    {
        if (!MoldPacket.TryReadHeader(packet, out _, out _, out ushort count)) return;
        var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
        while (reader.TryNext(out var m)) _book.Apply(m);
        if (reader.Malformed) Interlocked.Increment(ref _malformed);
    }

    /// <summary>Fills the book up to <paramref name="upTo"/> over TCP: retransmissions, a snapshot when the range is gone.</summary>
    private void Recover(long upTo)
    {
        Interlocked.Increment(ref _gaps);
        if (_recovery is null)
        {
            LastFailure = "no recovery service configured";
            Interlocked.Increment(ref _recoveryFailures);
            return;
        }
        for (int attempt = 0; attempt < 1000 && _next <= upTo; attempt++)
        {
            long before = _next;
            int want = (int)Math.Min(upTo - _next + 1, _maxPerRequest);
            var result = _recovery.Retransmit(_next, want, _applyRecovered);
            if (result.Error == RecoveryError.RangeTooLarge && result.Value > 0 && result.Value < _maxPerRequest)
            {
                _maxPerRequest = (int)result.Value;
                continue;
            }
            if (result.Error == RecoveryError.NotAvailable)
            {
                if (!Snapshot()) return;
                continue;
            }
            if (!result.Ok || _next == before)
            {
                LastFailure = result.Ok ? $"retransmission from {before} brought nothing" : result.ToString();
                Interlocked.Increment(ref _recoveryFailures);
                return;
            }
        }
    }

    private bool Snapshot()
    {
        _book.Clear();
        var result = _recovery!.Snapshot(_applySnapshot);
        if (!result.Ok)
        {
            LastFailure = "snapshot: " + result;
            Interlocked.Increment(ref _recoveryFailures);
            return false;
        }
        Interlocked.Increment(ref _snapshots);
        if (result.Session != _session)
        {
            // the publisher restarted since: the snapshot is of the new session, whose packets come next
            _session = result.Session;
        }
        Interlocked.Exchange(ref _next, result.Sequence + 1);
        return true;
    }

    private long UnixNanoseconds() => (_options.Clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    public void Dispose()
    {
        _stopping = true;
        _socket.Dispose();
        _thread?.Join(TimeSpan.FromSeconds(5));
        _recovery?.Dispose();
    }
}
