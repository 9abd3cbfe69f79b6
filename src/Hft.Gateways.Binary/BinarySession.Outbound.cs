using System.Diagnostics;
using System.Net.Sockets;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;

namespace Hft.Gateways.Binary;

public sealed partial class BinarySession : IAccountEventSink, IOrderCompletion
{
    /// <summary>Responses a session may have waiting; a client that lets more pile up is disconnected (slow consumer).</summary>
    private const int QueueCapacity = 32768;

    private readonly object _gate = new();
    private readonly OutboundItem[] _queue;
    private int _head;
    private int _count;
    private uint _nextOut = 1;
    private long _execId;
    private int _blockedFlag;
    private bool _logoutSent;
    private readonly bool[] _reportedReject;

    /// <summary>Responses that need no durability (session messages, rejections decided at the gateway): they leave with the next batch.</summary>
    internal void EnqueueImmediate(in BinaryMessage message)
    {
        lock (_gate) Enqueue(in message, needsDurable: false, shard: 0, processedBefore: 0);
        _signal.Set();
    }

    private void Enqueue(in BinaryMessage message, bool needsDurable, int shard, long processedBefore)
    {
        if (_count == _queue.Length)
        {
            Close(DisconnectReason.SlowConsumer);
            return;
        }
        ref var item = ref _queue[(_head + _count) % _queue.Length];
        item.Message = message;
        item.NeedsDurable = needsDurable;
        item.Shard = shard;
        item.ProcessedBefore = processedBefore;
        item.JournalBound = 0;
        _count++;
    }

    /// <summary>
    /// Shard thread: the events of a command that concern this session's account. Only orders this session entered (or
    /// adopted) are reported; each becomes a response in the outbound queue, held until the command is durable.
    /// </summary>
    public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        if (account != _account) return;
        int shard = -1;
        foreach (ref readonly var e in events)
        {
            if (e.Kind == EventKind.Rejected) continue;
            shard = _pipeline.ShardOf(e.Instrument).Index;
            break;
        }
        bool needsDurable = shard >= 0;
        long processed = needsDurable ? _pipeline.Shards[shard].Processed : 0;
        bool any = false;
        lock (_gate)
        {
            foreach (ref readonly var e in events)
            {
                switch (e.Kind)
                {
                    case EventKind.Accepted when e.Account == account && _byExchangeId.TryGetValue(e.OrderId, out var o):
                        var type = command.OrderId == e.OrderId ? command.Type : default;
                        var tif = command.OrderId == e.OrderId ? command.Tif : default;
                        Enqueue(new BinaryMessage
                        {
                            Type = MessageType.OrderAccepted, ClientOrderId = o.ClientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
                            Side = e.Side, OrderType = type, Tif = tif, Price = e.Price, Quantity = e.Quantity,
                        }, needsDurable, shard, processed);
                        any = true;
                        break;
                    case EventKind.Rejected when e.Account == account && _byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(new BinaryMessage
                        {
                            Type = MessageType.OrderRejected, ClientOrderId = o.ClientOrderId, OrderId = e.OrderId, Instrument = o.Instrument,
                            Op = (byte)e.Op, Reason = (byte)e.RejectReason,
                        }, needsDurable, shard, processed);
                        if (e.Op == CommandOp.New || e.RejectReason == RejectReason.UnknownOrder) Remove(e.OrderId, o);
                        if (e.Op is CommandOp.Cancel or CommandOp.Replace && command.OrderId == e.OrderId)
                            _reportedReject[_pipeline.ShardOf(command.Instrument).Index] = true;
                        any = true;
                        break;
                    case EventKind.Trade:
                        if (e.Account == account && _byExchangeId.TryGetValue(e.OrderId, out var taker))
                        {
                            Fill(in e, taker, e.OrderId, e.Remaining, Liquidity.Taker, shard, processed);
                            any = true;
                        }
                        if (e.MakerAccount == account && _byExchangeId.TryGetValue(e.MakerOrderId, out var maker))
                        {
                            Fill(in e, maker, e.MakerOrderId, e.MakerRemaining, Liquidity.Maker, shard, processed);
                            any = true;
                        }
                        break;
                    case EventKind.Canceled when e.Account == account && _byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(new BinaryMessage
                        {
                            Type = MessageType.Canceled, ClientOrderId = o.ClientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
                            Quantity = e.Remaining, Reason = (byte)e.CancelReason,
                        }, needsDurable, shard, processed);
                        Remove(e.OrderId, o);
                        any = true;
                        break;
                    case EventKind.Replaced when e.Account == account && _byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(new BinaryMessage
                        {
                            Type = MessageType.Replaced, ClientOrderId = o.ClientOrderId, OrderId = e.OrderId, Instrument = e.Instrument,
                            Price = e.Price, Leaves = e.Quantity,
                        }, needsDurable, shard, processed);
                        any = true;
                        break;
                }
            }
        }
        if (!any) return;
        if (needsDurable) Interlocked.Exchange(ref _blockedFlag, 1); // waiting on the journal: its durability notices wake us
        else _signal.Set();
    }

    private void Fill(in EngineEvent e, OrderRef order, long orderId, long leaves, Liquidity liquidity, int shard, long processed)
    {
        Enqueue(new BinaryMessage
        {
            Type = MessageType.Fill, ClientOrderId = order.ClientOrderId, OrderId = orderId, ExecId = ++_execId, Price = e.Price,
            Quantity = e.Quantity, Leaves = leaves, Instrument = e.Instrument,
            Side = liquidity == Liquidity.Taker ? e.Side : e.Side.Opposite(), Liquidity = liquidity,
        }, needsDurable: true, shard, processed);
        if (leaves == 0) Remove(orderId, order);
    }

    private void Remove(long orderId, OrderRef order)
    {
        _byExchangeId.Remove(orderId);
        _byClientId.Remove(order.ClientOrderId);
    }

    /// <summary>Shard thread, after the hub: nothing to do here - the responses are queued; a rejection may leave now.</summary>
    public void Complete(in OrderCommand command, ReadOnlySpan<EngineEvent> events, bool awaitingDurability)
    {
        if (command.Op is CommandOp.Cancel or CommandOp.Replace)
        {
            int shard = _pipeline.ShardOf(command.Instrument).Index;
            lock (_gate)
            {
                _pending[shard].TryPop(out _, out ulong clientOrderId);
                bool reported = _reportedReject[shard];
                _reportedReject[shard] = false;
                // Refused because the order finished meanwhile (filled, canceled): it left the session's map, so
                // the hub could not name it - answer the request here.
                if (!reported)
                {
                    foreach (ref readonly var e in events)
                    {
                        if (e.Kind != EventKind.Rejected || e.OrderId != command.OrderId) continue;
                        Enqueue(new BinaryMessage
                        {
                            Type = MessageType.OrderRejected, ClientOrderId = clientOrderId, OrderId = e.OrderId, Instrument = command.Instrument,
                            Op = (byte)e.Op, Reason = (byte)e.RejectReason,
                        }, needsDurable: false, 0, 0);
                        break;
                    }
                }
            }
        }
        if (!awaitingDurability) _signal.Set();
    }

    /// <summary>Journal thread: one of this session's commands is durable; wake every session waiting on the journal.</summary>
    public void OnDurable(long sequence)
    {
        _signal.Set();
        _gateway.WakeBlocked();
    }

    internal void NotifyDurable() => _gateway.WakeBlocked();

    internal bool Blocked => Volatile.Read(ref _blockedFlag) != 0;

    internal void Wake() => _signal.Set();

    private bool IsReleasable(ref OutboundItem item)
    {
        if (!item.NeedsDurable) return true;
        var journal = _pipeline.Journal;
        if (item.JournalBound == 0)
        {
            if (_pipeline.Shards[item.Shard].Processed <= item.ProcessedBefore) return false;
            item.JournalBound = journal.Stats.LastSequence;
        }
        return journal.DurableSequence >= item.JournalBound;
    }

    /// <summary>Encodes the responses that may leave, in order, into the send buffer; returns the bytes and messages.</summary>
    private int Drain(bool closing, out int messages)
    {
        int n = 0;
        messages = 0;
        var buffer = _sendBuffer.AsSpan(0, SendBufferSize);
        lock (_gate)
        {
            // Announce "waiting on the journal" before looking (a full fence): a durability notice that comes
            // between the look and the announcement would otherwise find nobody waiting and the wake-up be lost.
            Interlocked.Exchange(ref _blockedFlag, 1);
            bool blocked = false;
            while (_count > 0 && n + BinaryProtocol.MaxServerMessageSize <= buffer.Length)
            {
                ref var item = ref _queue[_head];
                if (!IsReleasable(ref item))
                {
                    blocked = true;
                    break;
                }
                n += BinaryCodec.Write(in item.Message, _nextOut++, buffer[n..]);
                messages++;
                _head = (_head + 1) % _queue.Length;
                _count--;
            }
            Volatile.Write(ref _blockedFlag, blocked ? 1 : 0);
            if (closing && !_logoutSent && n + BinaryProtocol.MaxServerMessageSize <= buffer.Length && (_count == 0 || blocked))
            {
                _logoutSent = true;
                if (_reason is not (DisconnectReason.ConnectionLost or DisconnectReason.LoginFailed))
                {
                    n += BinaryCodec.Write(new BinaryMessage { Type = MessageType.LogoutNotice, Reason = (byte)_reason }, _nextOut++, buffer[n..]);
                    messages++;
                }
            }
        }
        return n;
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync();
                bool closing = Closing;
                while (true)
                {
                    int n = Drain(closing, out int messages);
                    if (n == 0) break;
                    int sent = 0;
                    while (sent < n) sent += await _socket.SendAsync(_sendBuffer.AsMemory(sent, n - sent), SocketFlags.None);
                    Volatile.Write(ref _lastSent, Stopwatch.GetTimestamp());
                    _metrics.MessagesOut.Inc(messages);
                }
                if (closing && _logoutSent) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(DisconnectReason.ConnectionLost);
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
