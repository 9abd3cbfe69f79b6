using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;

namespace Hft.Gateways.Binary;

public sealed partial class BinarySession
{
    private readonly SessionThrottle _throttle;
    private uint _expectedIn = 1;
    private SubmitBatch _batch; // the commands of one read, processed together

    private enum FrameOutcome : byte
    {
        Continue,
        Stop,
        Login,
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = _receiveBuffer;
        int start = 0, end = 0;
        while (true)
        {
            if (end == buffer.Length)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int read = await _stream.ReadAsync(buffer.AsMemory(end));
            if (read == 0)
            {
                Close(end > start ? DisconnectReason.TruncatedFrame : DisconnectReason.ConnectionLost);
                return;
            }
            if (Closing)
            {
                start = end = 0; // closing: discard until the peer closes (or the linger ends)
                continue;
            }
            end += read;
            _metrics.BytesIn.Inc(read);
            Volatile.Write(ref _lastReceived, Stopwatch.GetTimestamp());
            int frames = 0;
            while (!Closing)
            {
                var status = BinaryCodec.TryReadFrameLength(buffer.AsSpan(start, end - start), BinaryProtocol.MaxFrameSize, out int length);
                if (status == FrameStatus.Incomplete) break;
                if (status != FrameStatus.Complete)
                {
                    Close(status == FrameStatus.Oversized ? DisconnectReason.OversizedFrame : DisconnectReason.MalformedFrame);
                    break;
                }
                frames++;
                var outcome = HandleFrame(buffer.AsSpan(start, length));
                if (outcome == FrameOutcome.Login)
                {
                    BinaryCodec.TryReadLogin(buffer.AsSpan(start, length), out ushort version, out var kind, out var credential);
                    byte[] copy = credential.ToArray();
                    start += length;
                    await LoginAsync(version, kind, copy);
                    if (buffer != _receiveBuffer) buffer = MoveTo(_receiveBuffer, buffer, ref start, ref end);
                    continue;
                }
                start += length;
                if (outcome == FrameOutcome.Stop) break;
            }
            if (start == end) start = end = 0;
            if (frames > 0) _metrics.MessagesIn.Inc(frames);
            // Run to completion: the commands of this read are decided and journaled here, and their answers sent.
            _pipeline.Run(ref _batch);
            await SendPendingAsync(closing: false);
        }
    }

    /// <summary>Logged on: the unread bytes move from the login buffer to the session's own.</summary>
    private static byte[] MoveTo(byte[] large, byte[] small, ref int start, ref int end)
    {
        small.AsSpan(start, end - start).CopyTo(large);
        end -= start;
        start = 0;
        return large;
    }

    private FrameOutcome HandleFrame(ReadOnlySpan<byte> frame)
    {
        BinaryCodec.ReadHeader(frame, out var type, out uint sequence);
        if (sequence != _expectedIn) return Stop(DisconnectReason.BadSequence);
        _expectedIn++;
        if (type == MessageType.Login)
        {
            if (_loggedIn) return Stop(DisconnectReason.UnexpectedLogin);
            return BinaryCodec.TryReadLogin(frame, out _, out _, out _) ? FrameOutcome.Login : Stop(DisconnectReason.MalformedFrame);
        }
        if ((byte)type >= 0x80 || BinaryCodec.FrameSize(type) == 0) return Stop(DisconnectReason.UnknownMessageType);
        if (!_loggedIn) return Stop(DisconnectReason.NotLoggedIn);
        if (!Speaks(type)) return Stop(DisconnectReason.UnknownMessageType); // not in the session's version
        if (!BinaryCodec.TryRead(frame, out var m)) return Stop(DisconnectReason.MalformedFrame);
        switch (type)
        {
            case MessageType.Heartbeat:
                return FrameOutcome.Continue;
            case MessageType.Logout:
                return Stop(DisconnectReason.ClientLogout);
        }
        long now = Stopwatch.GetTimestamp();
        // a mass cancel is never throttled: a client over its rate must still be able to pull all its orders at once
        if (type != MessageType.MassCancel && !_throttle.TryTake(now))
        {
            Reject(m.ClientOrderId, m.OrderId, m.Instrument, OpOf(type), RejectReason.RateLimited);
            return FrameOutcome.Continue;
        }
        switch (type)
        {
            case MessageType.NewOrder or MessageType.NewOrderV2:
                NewOrder(in m, now);
                break;
            case MessageType.CancelOrder:
                CancelOrReplace(in m, CommandOp.Cancel, now);
                break;
            case MessageType.ReplaceOrder or MessageType.ReplaceOrderV2:
                CancelOrReplace(in m, CommandOp.Replace, now);
                break;
            case MessageType.MassCancel:
                MassCancel(in m);
                break;
        }
        return FrameOutcome.Continue;
    }

    private FrameOutcome Stop(DisconnectReason reason)
    {
        Close(reason);
        return FrameOutcome.Stop;
    }

    private static CommandOp OpOf(MessageType type) => type switch
    {
        MessageType.CancelOrder => CommandOp.Cancel,
        MessageType.ReplaceOrder or MessageType.ReplaceOrderV2 => CommandOp.Replace,
        MessageType.MassCancel => CommandOp.MassCancel,
        _ => CommandOp.New,
    };

    // Codes the protocol does not define are a session reject; the order's shape (price, quantity, flag combinations) is
    // judged by the engine's own validation before the order takes an id, its symbol by the engine itself.
    private void NewOrder(in BinaryMessage m, long received)
    {
        if (!BinaryOrderEntry.IsValidNewOrder(in m))
        {
            SessionReject(in m, SessionRejectReason.InvalidField);
            return;
        }
        var cmd = BinaryOrderEntry.NewOrder(in m, 0, _account, m.ExpireTime != 0 ? PipelineService.UnixNanosNow() : 0);
        var shape = cmd.EdgeReject != RejectReason.None ? cmd.EdgeReject : MatchingEngine.ValidateNewOrder(in cmd);
        if (shape != RejectReason.None)
        {
            Reject(m.ClientOrderId, 0, m.Instrument, CommandOp.New, shape);
            return;
        }
        long id;
        var orders = Orders;
        lock (_gate)
        {
            if (orders.ByClientId.ContainsKey(m.ClientOrderId)) id = 0;
            else
            {
                id = _pipeline.NextOrderId();
                orders.ByClientId.Add(m.ClientOrderId, id);
                orders.ByExchangeId.Add(id, new OrderRef(m.ClientOrderId, m.Instrument));
            }
        }
        if (id == 0)
        {
            Reject(m.ClientOrderId, 0, m.Instrument, CommandOp.New, RejectReason.DuplicateId);
            return;
        }
        cmd.OrderId = id;
        // the client's id as text: journaled with the order, and how GET /orders and the user channel name it
        string clientOrderId = m.ClientOrderId.ToString(CultureInfo.InvariantCulture);
        var admitted = _pipeline.Submit(in cmd, this, received, clientOrderId, ref _batch);
        if (admitted == AdmitResult.Accepted) return;
        Forget(cmd.OrderId);
        Reject(m.ClientOrderId, cmd.OrderId, cmd.Instrument, cmd.Op, admitted.ToRejectReason());
    }

    private void CancelOrReplace(in BinaryMessage m, CommandOp op, long received)
    {
        if (op == CommandOp.Replace && !BinaryOrderEntry.IsValidReplace(in m))
        {
            SessionReject(in m, SessionRejectReason.InvalidField);
            return;
        }
        var reason = op == CommandOp.Replace ? BinaryOrderEntry.ReplaceEdgeReject(in m) : RejectReason.None;
        if (reason != RejectReason.None)
        {
            Reject(m.ClientOrderId, m.OrderId, m.Instrument, op, reason); // before any lookup or adoption: nothing changes
            return;
        }
        long id = m.OrderId;
        int instrument;
        var orders = Orders;
        lock (_gate)
        {
            if (id == 0)
            {
                if (!orders.ByClientId.TryGetValue(m.ClientOrderId, out id)) reason = RejectReason.UnknownOrder;
                instrument = reason == RejectReason.None ? orders.ByExchangeId[id].Instrument : m.Instrument;
            }
            else if (orders.ByExchangeId.TryGetValue(id, out var known))
            {
                instrument = known.Instrument;
            }
            else
            {
                // An order this session does not know (placed before a restart, or over REST): adopted under the
                // request's client order id, so its events reach this session from now on.
                instrument = m.Instrument;
                if ((uint)instrument >= (uint)_pipeline.Instruments.Count) reason = RejectReason.UnknownOrder;
                else if (orders.ByClientId.ContainsKey(m.ClientOrderId)) reason = RejectReason.DuplicateId;
                else
                {
                    orders.ByClientId.Add(m.ClientOrderId, id);
                    orders.ByExchangeId.Add(id, new OrderRef(m.ClientOrderId, instrument));
                }
            }
        }
        if (reason != RejectReason.None)
        {
            Reject(m.ClientOrderId, id, instrument, op, reason);
            return;
        }
        var cmd = BinaryOrderEntry.CancelOrReplace(in m, op, id, _account, instrument);
        var pending = orders.Pending[_pipeline.ShardOf(instrument).Index];
        bool queued;
        lock (_gate) queued = pending.TryPush(id, m.ClientOrderId);
        if (!queued)
        {
            Reject(m.ClientOrderId, id, instrument, op, RejectReason.Overloaded);
            return;
        }
        var admitted = _pipeline.Submit(in cmd, this, received, null, ref _batch);
        if (admitted == AdmitResult.Accepted) return;
        lock (_gate) pending.DropNewest();
        Reject(m.ClientOrderId, id, instrument, op, admitted.ToRejectReason());
    }

    private void MassCancel(in BinaryMessage m)
    {
        if (m.Instrument < -1 || m.Instrument >= _pipeline.Instruments.Count)
        {
            Reject(m.ClientOrderId, 0, m.Instrument, CommandOp.MassCancel, RejectReason.UnknownSymbol);
            return;
        }
        if (!_pipeline.OrderEntryEnabled)
        {
            Reject(m.ClientOrderId, 0, m.Instrument, CommandOp.MassCancel, RejectReason.NotLeader);
            return;
        }
        var completion = new MassCancelCompletion(this, m.ClientOrderId, _pipeline.Outbox, _pipeline.ShardsFor(m.Instrument));
        if (!_pipeline.CancelAll(_account, m.Instrument, CancelReason.User, completion))
            Reject(m.ClientOrderId, 0, m.Instrument, CommandOp.MassCancel, RejectReason.Overloaded);
    }

    private void Forget(long id)
    {
        var orders = Orders;
        lock (_gate)
        {
            if (orders.ByExchangeId.Remove(id, out var order)) orders.ByClientId.Remove(order.ClientOrderId);
        }
    }

    private void Reject(ulong clientOrderId, long orderId, int instrument, CommandOp op, RejectReason reason)
        => EnqueueImmediate(BinaryResponses.Rejected(clientOrderId, orderId, instrument, op, reason));

    private void SessionReject(in BinaryMessage m, SessionRejectReason reason)
        => EnqueueImmediate(new BinaryMessage
        {
            Type = MessageType.SessionReject, RefSequence = m.Sequence, RefType = m.Type, Reason = (byte)reason,
        });
}
