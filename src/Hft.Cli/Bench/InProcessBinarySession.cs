using System.Diagnostics;
using System.Runtime.CompilerServices;
using Hft.Core.Matching;
using Hft.Gateways.Binary;
using Hft.Pipeline;
using Hft.Pipeline.Durability;

namespace Hft.Cli.Bench;

/// <summary>
/// A binary session's order path without the socket: a decoded message becomes an <see cref="OrderCommand"/> as the
/// session makes it (<see cref="BinaryOrderEntry"/>), is submitted to the pipeline with the session's reply (run to
/// completion: decided, journaled, published and flushed on this thread), and once the outbox releases it its
/// responses are encoded with <see cref="BinaryCodec.Write"/> into the session's reused send buffer. Left out: the
/// socket, the per-session rate limit and the session's lock (one thread here).
/// </summary>
internal sealed class InProcessBinarySession
{
    private readonly TradingPipeline _pipeline;
    private readonly DurableOutbox _outbox;
    private readonly SessionOrderIds _ids;
    private readonly AckReply _reply;
    private readonly long _ackTimeoutTicks;
    private byte[] _sendBuffer;
    private uint _nextOut = 1;
    private long _durabilityWaits;

    public InProcessBinarySession(TradingPipeline pipeline, DecodedOrderFlow flow, int maxMessagesPerCommand, TimeSpan ackTimeout)
    {
        _pipeline = pipeline;
        _outbox = pipeline.Outbox;
        _ids = new SessionOrderIds(flow.MaxClientOrderId, flow.NewOrders, pipeline.LastOrderId + 1);
        _reply = new AckReply(_ids, maxMessagesPerCommand);
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

    /// <summary>What the node decided, as the reply saw it.</summary>
    public AckReply Reply => _reply;

    /// <summary>Starts the counts afresh (after the untimed commands).</summary>
    public void ResetCounts()
    {
        Acks = Unacknowledged = Messages = Bytes = 0;
        _durabilityWaits = 0;
        _reply.ResetCounts();
    }

    /// <summary>One command from its decoded message to its encoded responses; returns the bytes encoded.</summary>
    /// <param name="received">When the gateway read the frame (the pipeline's latency metrics start there).</param>
    public int Process(in BinaryMessage m, int account, long received)
    {
        OrderCommand cmd;
        switch (m.Type)
        {
            case MessageType.NewOrder:
                if (!BinaryOrderEntry.IsValidNewOrder(in m)) return EncodeAnswer(SessionReject(in m));
                long id = _pipeline.NextOrderId();
                _ids.Add(m.ClientOrderId, id);
                cmd = BinaryOrderEntry.NewOrder(in m, id, account);
                break;
            case MessageType.CancelOrder:
                cmd = BinaryOrderEntry.CancelOrReplace(in m, CommandOp.Cancel, OrderIdOf(in m), account, m.Instrument);
                break;
            case MessageType.ReplaceOrder:
                if (!BinaryOrderEntry.IsValidReplace(in m)) return EncodeAnswer(SessionReject(in m));
                cmd = BinaryOrderEntry.CancelOrReplace(in m, CommandOp.Replace, OrderIdOf(in m), account, m.Instrument);
                break;
            default:
                throw NotOrderEntry(m.Type);
        }

        _reply.Arm();
        var admitted = _pipeline.Submit(in cmd, _reply, received);
        if (admitted != AdmitResult.Accepted)
            return EncodeAnswer(BinaryResponses.Rejected(m.ClientOrderId, cmd.OrderId, cmd.Instrument, cmd.Op, admitted.ToRejectReason()));
        if (!_reply.AwaitReleased(_outbox, _ackTimeoutTicks, ref _durabilityWaits))
        {
            Unacknowledged++;
            return 0;
        }
        if (_reply.Answered) Acks++;
        return Encode(_reply.Messages);
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
