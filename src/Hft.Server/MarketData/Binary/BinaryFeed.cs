using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Orders;
using Hft.MarketData;

namespace Hft.Server.MarketData.Binary;

/// <summary>
/// The binary market-data feed (docs/protocol/marketdata.md), driven by the <see cref="MarketDataPublisher"/>'s thread
/// from the same durable, ordered stream as the WebSocket channels: each instrument's order changes (level 3), trades
/// and status become sequenced messages, batched into packets of at most the configured MTU and sent over UDP when the
/// publisher has drained what was due (or a packet is full); a heartbeat when idle, end-of-session at stop.
/// A reseeded mirror book (after an iceberg, a fired stop, or events the publisher lost) is published as the exact
/// difference to the feed's own book, so a client's rebuilt book always equals the engine's.
/// </summary>
public sealed class BinaryFeed : IDisposable
{
    private readonly FeedSequencer _sequencer;
    private readonly FeedPacketWriter _packet;
    private readonly UdpFeedSender _sender;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _heartbeat;
    private readonly byte[] _scratch = new byte[FeedLayout.MaxMessageSize];
    private long _lastSend;
    private long _messages;
    private bool _ended;

    public BinaryFeed(BinaryFeedOptions options, int instruments, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        Options = options;
        _sequencer = new FeedSequencer(FeedSessionId.ForStart(_clock.GetUtcNow()), instruments, options.RetransmitCapacity);
        _packet = new FeedPacketWriter(options.Mtu);
        _sender = new UdpFeedSender(options);
        _heartbeat = options.Heartbeat;
        _lastSend = _clock.GetTimestamp();
        Recovery = new RecoveryServer(options, _sequencer, UnixNanoseconds);
    }

    public BinaryFeedOptions Options { get; }

    /// <summary>The TCP retransmission and snapshot service of this feed.</summary>
    public RecoveryServer Recovery { get; }

    public FeedSessionId Session => _sequencer.Session;

    /// <summary>Where the packets go: the unicast targets, then the multicast group.</summary>
    public IReadOnlyList<System.Net.IPEndPoint> Destinations => _sender.Destinations;

    /// <summary>The last stream sequence given out.</summary>
    public long Sequence => _sequencer.Sequence;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Publisher thread (or a test driving the feed): the book the published messages built.</summary>
    internal FeedBook Book => _sequencer.Book;

    public long Packets => _sender.Packets;

    /// <summary>UDP payload bytes sent, summed over destinations.</summary>
    public long Bytes => _sender.Bytes;

    public long SendErrors => _sender.Errors;

    /// <summary>Publisher thread: a command's order changes of one instrument, in the order they happened.</summary>
    internal void OrderChanges(int instrument, List<OrderChange> changes)
    {
        foreach (var c in changes)
        {
            var id = (ushort)instrument;
            Publish(c.Action switch
            {
                OrderAction.Add => FeedMessage.AddOrder(id, c.Id, Wire(c.Side), c.Price, c.Qty),
                OrderAction.Modify => FeedMessage.ModifyOrder(id, c.Id, c.Price, c.Qty),
                _ => FeedMessage.DeleteOrder(id, c.Id),
            });
        }
    }

    /// <summary>Publisher thread: the engine's full book of an instrument; published as its difference to the feed's book.</summary>
    internal void Seed(int instrument, OrderView[] orders)
    {
        var id = (ushort)instrument;
        var book = _sequencer.Book;
        var fresh = new Dictionary<long, OrderView>(orders.Length);
        foreach (var o in orders) fresh[o.OrderId] = o;
        foreach (var side in (ReadOnlySpan<FeedSide>)[FeedSide.Buy, FeedSide.Sell])
            foreach (var old in book.Orders(id, side))
            {
                if (!fresh.TryGetValue(old.OrderId, out var now)) Publish(FeedMessage.DeleteOrder(id, old.OrderId));
                else if (now.Price != old.Price || now.Remaining != old.Quantity) Publish(FeedMessage.ModifyOrder(id, old.OrderId, now.Price, now.Remaining));
            }
        foreach (var o in orders)
            if (!book.TryGetOrder(o.OrderId, out _) && o.Remaining > 0) Publish(FeedMessage.AddOrder(id, o.OrderId, Wire(o.Side), o.Price, o.Remaining));
    }

    /// <summary>Publisher thread: a trade event; <paramref name="tradeId"/> is the trade tape's id (as in GET /trades).</summary>
    internal void Trade(in EngineEvent e, long tradeId)
        => Publish(FeedMessage.Trade((ushort)e.Instrument, tradeId, e.Price, e.Quantity, Wire(e.Side), e.MakerOrderId, e.OrderId));

    /// <summary>Publisher thread: an instrument's status (at start, and on every change).</summary>
    internal void Status(int instrument, bool halted)
        => Publish(FeedMessage.InstrumentStatus((ushort)instrument, halted ? FeedTradingStatus.Halted : FeedTradingStatus.Trading));

    /// <summary>Publisher thread, after each pass: sends the pending packet, or a heartbeat when nothing left for a while.</summary>
    internal void Pump()
    {
        if (_ended) return;
        if (!_packet.IsEmpty)
        {
            SendPacket();
            return;
        }
        if (_clock.GetElapsedTime(_lastSend) >= _heartbeat) SendControl(MoldPacket.Heartbeat);
    }

    /// <summary>Publisher thread, at stop: what is pending, then end-of-session.</summary>
    internal void End()
    {
        if (_ended) return;
        if (!_packet.IsEmpty) SendPacket();
        SendControl(MoldPacket.EndOfSession);
        _ended = true;
    }

    private void Publish(FeedMessage m)
    {
        if (_ended) return;
        m.Timestamp = UnixNanoseconds();
        long sequence = _sequencer.Append(ref m, _scratch, out int length);
        Interlocked.Increment(ref _messages);
        var bytes = _scratch.AsSpan(0, length);
        if (_packet.TryAppend(bytes, sequence)) return;
        SendPacket();
        _packet.TryAppend(bytes, sequence);
    }

    private void SendPacket()
    {
        _sender.Send(_packet.Complete(_sequencer.Session));
        _packet.Reset();
        _lastSend = _clock.GetTimestamp();
    }

    private void SendControl(ushort count)
    {
        Span<byte> packet = stackalloc byte[MoldPacket.HeaderSize];
        MoldPacket.WriteHeader(packet, _sequencer.Session, _sequencer.Sequence + 1, count);
        _sender.Send(packet);
        _lastSend = _clock.GetTimestamp();
    }

    private long UnixNanoseconds() => (_clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    private static FeedSide Wire(Side side) => side == Side.Buy ? FeedSide.Buy : FeedSide.Sell;

    public void Dispose() => _sender.Dispose();
}
