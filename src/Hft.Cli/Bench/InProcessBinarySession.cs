using System.Diagnostics;
using System.Runtime.CompilerServices;
using Hft.Core.Matching;
using Hft.Gateways.Binary;
using Hft.Pipeline;
using Hft.Pipeline.Durability;

namespace Hft.Cli.Bench;

/// <summary>
/// A binary session's order path without the socket: the decoded messages of one read become
/// <see cref="OrderCommand"/>s as the session makes them (<see cref="BinaryOrderEntry"/>), are submitted to the pipeline
/// together, each with a reply of its own, and run to completion (decided, journaled, published, then one journal write
/// for the read, on this thread); once the outbox releases a command its responses are encoded with
/// <see cref="BinaryCodec.Write"/> into the session's reused send buffer. Left out: the socket, the per-session rate
/// limit and the session's lock (one thread here).
/// </summary>
internal sealed class InProcessBinarySession
{
    private readonly TradingPipeline _pipeline;
    private readonly DurableOutbox _outbox;
    private readonly SessionOrderIds _ids;
    private readonly AckReply[] _replies;
    private readonly bool[] _submitted;
    private readonly long _ackTimeoutTicks;
    private byte[] _sendBuffer;
    private uint _nextOut = 1;
    private long _durabilityWaits;

    public InProcessBinarySession(TradingPipeline pipeline, DecodedOrderFlow flow, int maxMessagesPerCommand, int batch, TimeSpan ackTimeout)
    {
        _pipeline = pipeline;
        _outbox = pipeline.Outbox;
        _ids = new SessionOrderIds(flow.MaxClientOrderId, flow.NewOrders, pipeline.LastOrderId + 1);
        _replies = new AckReply[batch];
        for (int i = 0; i < batch; i++) _replies[i] = new AckReply(_ids, maxMessagesPerCommand);
        _submitted = new bool[batch];
        Received = new long[batch];
        Encoded = new long[batch];
        _sendBuffer = new byte[maxMessagesPerCommand * BinaryProtocol.MaxServerMessageSize];
        _ackTimeoutTicks = (long)(ackTimeout.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Commands whose answer was encoded.</summary>
    public long Acks { get; private set; }

    /// <summary>Commands never released by the outbox (journal failed, or the wait timed out).</summary>
    public long Unacknowledged { get; private set; }

    public long Messages { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Commands not yet durable once decided, which waited in the outbox.</summary>
    public long DurabilityWaits => _durabilityWaits;

    /// <summary>Messages submitted together (one read).</summary>
    public int Batch => _replies.Length;

    /// <summary>The loops' per-read timestamps (allocated once, not in a measured loop).</summary>
    public long[] Received { get; }

    public long[] Encoded { get; }

    /// <summary>What the node decided, as the replies saw it: events, trades, rejections (summed over the replies).</summary>
    public (long Events, long Trades, long Rejected, long[] RejectsByReason) Decided()
    {
        long events = 0, trades = 0, rejected = 0;
        var byReason = new long[_replies[0].RejectsByReason.Length];
        foreach (var r in _replies)
        {
            events += r.Events;
            trades += r.Trades;
            rejected += r.Rejected;
            for (int i = 0; i < byReason.Length; i++) byReason[i] += r.RejectsByReason[i];
        }
        return (events, trades, rejected, byReason);
    }

    /// <summary>Starts the counts afresh (after the untimed commands).</summary>
    public void ResetCounts()
    {
        Acks = Unacknowledged = Messages = Bytes = 0;
        _durabilityWaits = 0;
        foreach (var r in _replies) r.ResetCounts();
    }

    /// <summary>
    /// One read: the decoded messages [from, from + count) submitted together and run to completion, then each answer
    /// encoded once released. <paramref name="received"/>[j] is when message j was read (the latency starts there);
    /// <paramref name="encoded"/>[j], if given, gets when its answer was encoded.
    /// </summary>
    public void ProcessRead(ReadOnlySpan<BinaryMessage> messages, ReadOnlySpan<int> accounts, ReadOnlySpan<long> received, Span<long> encoded)
    {
        var batch = new SubmitBatch();
        for (int j = 0; j < messages.Length; j++)
        {
            _submitted[j] = false;
            ref readonly var m = ref messages[j];
            OrderCommand cmd;
            switch (m.Type)
            {
                case MessageType.NewOrder or MessageType.NewOrderV2:
                    if (!BinaryOrderEntry.IsValidNewOrder(in m))
                    {
                        Answer(j, SessionReject(in m), encoded);
                        continue;
                    }
                    long id = _pipeline.NextOrderId();
                    _ids.Add(m.ClientOrderId, id);
                    cmd = BinaryOrderEntry.NewOrder(in m, id, accounts[j], nowUnixNanos: 0); // the bench enters no GTD order
                    break;
                case MessageType.CancelOrder:
                    cmd = BinaryOrderEntry.CancelOrReplace(in m, CommandOp.Cancel, OrderIdOf(in m), accounts[j], m.Instrument);
                    break;
                case MessageType.ReplaceOrder:
                    if (!BinaryOrderEntry.IsValidReplace(in m))
                    {
                        Answer(j, SessionReject(in m), encoded);
                        continue;
                    }
                    cmd = BinaryOrderEntry.CancelOrReplace(in m, CommandOp.Replace, OrderIdOf(in m), accounts[j], m.Instrument);
                    break;
                default:
                    throw NotOrderEntry(m.Type);
            }
            _replies[j].Arm();
            var admitted = _pipeline.Submit(in cmd, _replies[j], received[j], null, ref batch);
            if (admitted == AdmitResult.Accepted) _submitted[j] = true;
            else Answer(j, BinaryResponses.Rejected(m.ClientOrderId, cmd.OrderId, cmd.Instrument, cmd.Op, admitted.ToRejectReason()), encoded);
        }
        _pipeline.Run(ref batch);
        for (int j = 0; j < messages.Length; j++)
        {
            if (!_submitted[j]) continue;
            var reply = _replies[j];
            if (!reply.AwaitReleased(_outbox, _ackTimeoutTicks, ref _durabilityWaits))
            {
                Unacknowledged++;
                continue;
            }
            if (reply.Answered) Acks++;
            Encode(reply.Messages);
            if (!encoded.IsEmpty) encoded[j] = Stopwatch.GetTimestamp();
        }
    }

    private void Answer(int j, in BinaryMessage answer, Span<long> encoded)
    {
        EncodeAnswer(in answer);
        if (!encoded.IsEmpty) encoded[j] = Stopwatch.GetTimestamp();
    }

    private long OrderIdOf(in BinaryMessage m) => m.OrderId != 0 ? m.OrderId : _ids.ExchangeIdOf(m.ClientOrderId);

    private int EncodeAnswer(in BinaryMessage answer)
    {
        Acks++;
        return Encode(new ReadOnlySpan<BinaryMessage>(in answer));
    }

    private int Encode(ReadOnlySpan<BinaryMessage> messages)
    {
        if (messages.Length * BinaryProtocol.MaxServerMessageSize > _sendBuffer.Length)
            Array.Resize(ref _sendBuffer, messages.Length * BinaryProtocol.MaxServerMessageSize); // sized from the dry run's peak: not expected
        var buffer = _sendBuffer.AsSpan();
        int n = 0;
        foreach (ref readonly var message in messages) n += BinaryCodec.Write(in message, _nextOut++, buffer[n..]);
        Messages += messages.Length;
        Bytes += n;
        return n;
    }

    private static BinaryMessage SessionReject(in BinaryMessage m)
        => new() { Type = MessageType.SessionReject, RefSequence = m.Sequence, RefType = m.Type, Reason = (byte)SessionRejectReason.InvalidField };

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static InvalidOperationException NotOrderEntry(MessageType type) => new($"{type} is not an order-entry message");
}
