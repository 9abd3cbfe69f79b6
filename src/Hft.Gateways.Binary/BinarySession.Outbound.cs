using System.Net.Security;
using System.Diagnostics;
using System.Net.Sockets;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;
using Hft.Pipeline.Durability;
using Hft.Pipeline.State;

namespace Hft.Gateways.Binary;

public sealed partial class BinarySession : IAccountEventSink, ICommandReply, IDurableWaiter
{
    /// <summary>Responses a session may have waiting; a client that lets more pile up is disconnected (slow consumer).</summary>
    private const int QueueCapacity = 32768;

    /// <summary>Before login only LoginAccepted or LoginRejected is ever queued.</summary>
    private const int LoginQueueCapacity = 4;

    private readonly object _gate = new();
    private OutboundItem[] _queue;
    private int _head;
    private int _count;
    private uint _nextOut = 1;
    private long _execId;
    private long _waitingFor; // the sequence this session waits for in the outbox (0: not waiting)
    private int _sending;     // 1 while a thread writes to the socket
    private int _sendAgain;   // set by a thread that found the socket busy: the writer looks again
    private bool _logoutSent;   // encoded into the send buffer (under _gate)
    private bool _logoutFlushed; // handed to the socket by whichever writer encoded it

    /// <summary>
    /// Responses that need no durability (session messages, rejections decided at the gateway, a mass cancel's summary
    /// released by the outbox): they leave with the next batch, behind what is already queued.
    /// </summary>
    internal void EnqueueImmediate(in BinaryMessage message)
    {
        lock (_gate) Enqueue(in message, sequence: 0);
        _signal.Set();
    }

    /// <summary>At login (under the lock): the queue grows to its full size, keeping what waits in it in order.</summary>
    private void GrowQueue()
    {
        var grown = new OutboundItem[QueueCapacity];
        for (int i = 0; i < _count; i++) grown[i] = _queue[(_head + i) % _queue.Length];
        _queue = grown;
        _head = 0;
    }

    private void Enqueue(in BinaryMessage message, long sequence)
    {
        if (_count == _queue.Length)
        {
            Close(DisconnectReason.SlowConsumer);
            return;
        }
        ref var item = ref _queue[(_head + _count) % _queue.Length];
        item.Message = message;
        item.Sequence = sequence;
        _count++;
    }

    /// <summary>
    /// Processing thread: the events of a command that concern this session's account. Only orders this session
    /// entered (or adopted) are reported; each becomes a response in the outbound queue, released once the command's
    /// journal record (<paramref name="sequence"/>) is durable.
    /// </summary>
    public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
    {
        if (account != _account) return;
        if (sequence < 0)
        {
            Close(DisconnectReason.ServerShutdown); // the journal failed: nothing more can be acknowledged
            return;
        }
        var orders = Orders;
        var byExchangeId = orders.ByExchangeId;
        lock (_gate)
        {
            foreach (ref readonly var e in events)
            {
                switch (e.Kind)
                {
                    case EventKind.Accepted when e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(BinaryResponses.Accepted(in e, in command, o.ClientOrderId), sequence);
                        break;
                    case EventKind.Rejected when e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(BinaryResponses.Rejected(o.ClientOrderId, e.OrderId, o.Instrument, e.Op, e.RejectReason), sequence);
                        if (e.Op == CommandOp.New || e.RejectReason == RejectReason.UnknownOrder) Remove(e.OrderId, o);
                        if (e.Op is CommandOp.Cancel or CommandOp.Replace && command.OrderId == e.OrderId)
                            orders.ReportedReject[_pipeline.ShardOf(command.Instrument).Index] = true;
                        break;
                    case EventKind.Trade:
                        if (e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var taker))
                            Fill(in e, taker, e.OrderId, e.Remaining, Liquidity.Taker, sequence);
                        if (e.MakerAccount == account && byExchangeId.TryGetValue(e.MakerOrderId, out var maker))
                            Fill(in e, maker, e.MakerOrderId, e.MakerRemaining, Liquidity.Maker, sequence);
                        break;
                    case EventKind.Canceled when e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(BinaryResponses.Canceled(in e, o.ClientOrderId), sequence);
                        Remove(e.OrderId, o);
                        break;
                    // version 1 has no ReplacedV2: a replace that moved a trigger (over REST or FIX) is a plain Replaced there
                    case EventKind.Replaced when e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var o):
                        long newTrigger = Speaks(MessageType.ReplacedV2) ? command.NewTriggerOf(e.OrderId) : 0;
                        Enqueue(BinaryResponses.Replaced(in e, o.ClientOrderId, newTrigger), sequence);
                        break;
                    // version 1 has no Triggered message: its sessions see the fired order's fills and cancel only
                    case EventKind.Triggered when Speaks(MessageType.Triggered) && e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(BinaryResponses.Triggered(in e, o.ClientOrderId), sequence);
                        break;
                    // nor Refreshed: an iceberg's slice refresh shows there only in its fills' leaves
                    case EventKind.Refreshed when Speaks(MessageType.Refreshed) && e.Account == account && byExchangeId.TryGetValue(e.OrderId, out var o):
                        Enqueue(BinaryResponses.Refreshed(in e, o.ClientOrderId), sequence);
                        break;
                }
            }
        }
        _signal.Set();
    }

    /// <summary>The session's version has <paramref name="type"/> (it is sent only to sessions of that version or later).</summary>
    private bool Speaks(MessageType type) => _version >= BinaryProtocol.SinceVersion(type);

    private void Fill(in EngineEvent e, OrderRef order, long orderId, long leaves, Liquidity liquidity, long sequence)
    {
        Enqueue(BinaryResponses.Fill(in e, order.ClientOrderId, orderId, ++_execId, leaves, liquidity), sequence);
        if (leaves == 0) Remove(orderId, order);
    }

    private void Remove(long orderId, OrderRef order)
    {
        var orders = Orders;
        orders.ByExchangeId.Remove(orderId);
        orders.ByClientId.Remove(order.ClientOrderId);
    }

    /// <summary>
    /// Processing thread, after the hub: the session's own command was decided. A cancel or replace refused because its
    /// order finished meanwhile (filled, canceled) left the session's map, so the hub could not name it: answered here.
    /// </summary>
    public void OnDecided(in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
    {
        if (command.Op is not (CommandOp.Cancel or CommandOp.Replace)) return;
        int shard = _pipeline.ShardOf(command.Instrument).Index;
        var orders = Orders;
        lock (_gate)
        {
            orders.Pending[shard].TryPop(out _, out ulong clientOrderId);
            bool reported = orders.ReportedReject[shard];
            orders.ReportedReject[shard] = false;
            if (reported) return;
            foreach (ref readonly var e in events)
            {
                if (e.Kind != EventKind.Rejected || e.OrderId != command.OrderId) continue;
                Enqueue(BinaryResponses.Rejected(clientOrderId, e.OrderId, command.Instrument, e.Op, e.RejectReason), sequence: 0);
                break;
            }
        }
    }

    /// <summary>The outbox released what this session waited for: its sender looks again.</summary>
    public void OnDurable(bool failed)
    {
        Volatile.Write(ref _waitingFor, 0);
        if (failed) Close(DisconnectReason.ServerShutdown);
        _signal.Set();
    }

    /// <summary>Encodes the responses that may leave, in order, into <paramref name="buffer"/>; returns the bytes and messages.</summary>
    private int Drain(Span<byte> buffer, bool closing, out int messages, out bool logout)
    {
        int n = 0;
        messages = 0;
        logout = false;
        long waitFor = 0;
        lock (_gate)
        {
            var outbox = _pipeline.Outbox;
            while (_count > 0 && n + BinaryProtocol.MaxServerMessageSize <= buffer.Length)
            {
                ref var item = ref _queue[_head];
                if (!outbox.IsDurable(item.Sequence))
                {
                    waitFor = item.Sequence;
                    break;
                }
                n += BinaryCodec.Write(in item.Message, _nextOut++, buffer[n..]);
                messages++;
                _head = (_head + 1) % _queue.Length;
                _count--;
            }
            if (closing && !_logoutSent && n + BinaryProtocol.MaxServerMessageSize <= buffer.Length && (_count == 0 || waitFor != 0))
            {
                _logoutSent = true;
                logout = true;
                if (_reason != DisconnectReason.ConnectionLost && !_loginRejected)
                {
                    n += BinaryCodec.Write(new BinaryMessage { Type = MessageType.LogoutNotice, Reason = (byte)_reason }, _nextOut++, buffer[n..]);
                    messages++;
                }
            }
        }
        // The head waits for the journal: be woken by the outbox once (not again for the same sequence).
        if (waitFor != 0 && Interlocked.Exchange(ref _waitingFor, waitFor) != waitFor) _pipeline.Outbox.WhenDurable(waitFor, this);
        return n;
    }

    /// <summary>
    /// Writes every response that may leave. Called by the receive loop right after its commands were processed (run to
    /// completion: no other thread on the way back) and by the send loop when woken. One writer at a time: a caller
    /// that finds the socket busy leaves its work to the writer, which looks again before it lets go.
    /// </summary>
    private async ValueTask SendPendingAsync(bool closing)
    {
        Volatile.Write(ref _sendAgain, 1);
        while (Volatile.Read(ref _sendAgain) != 0 && Interlocked.CompareExchange(ref _sending, 1, 0) == 0)
        {
            bool logout = false;
            try
            {
                Volatile.Write(ref _sendAgain, 0);
                while (!logout)
                {
                    var buffer = Volatile.Read(ref _sendBuffer); // replaced at login: this write keeps the one it filled
                    int n = Drain(buffer, closing || Closing, out int messages, out logout);
                    if (n == 0) break;
                    await _stream.WriteAsync(buffer.AsMemory(0, n));
                    Volatile.Write(ref _lastSent, Stopwatch.GetTimestamp());
                    _metrics.MessagesOut.Inc(messages);
                    _metrics.BytesOut.Inc(n);
                }
            }
            finally
            {
                Interlocked.Exchange(ref _sending, 0);
                if (logout)
                {
                    // Only now may the send loop shut the socket: the Logout is in the kernel (or the send failed).
                    Volatile.Write(ref _logoutFlushed, true);
                    _signal.Set();
                }
            }
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync();
                bool closing = Closing;
                await SendPendingAsync(closing);
                if (closing && LogoutSent) break;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Close(DisconnectReason.ConnectionLost);
        }
        try
        {
            if (_stream is SslStream tls) await tls.ShutdownAsync(); // close_notify: the peer knows the end was not cut short
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
        }
    }

    private bool LogoutSent => Volatile.Read(ref _logoutFlushed);
}
