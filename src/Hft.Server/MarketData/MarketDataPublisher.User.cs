using System.Text.Json;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;
using Hft.Server.Api;

namespace Hft.Server.MarketData;

/// <summary>
/// The private <c>user</c> channel: each subscription is a <see cref="UserStream"/> the shards fill with the account's
/// events; this thread turns them into order-event messages (client order ids from the <see cref="Pipeline.State.OrderDirectory"/>)
/// and, after fills, position/PnL messages read from the risk book - never on a shard thread.
/// </summary>
public sealed partial class MarketDataPublisher
{
    private readonly List<UserStream> _userStreams = new();
    private List<EngineEvent> _userSpare = new();
    private readonly HashSet<int> _filledInstruments = new();
    private long _userResyncs;

    /// <summary>User-channel resync notices sent (events dropped: slow client or a full stream queue).</summary>
    public long UserResyncs => Interlocked.Read(ref _userResyncs);

    public void SubscribeUser(WsConnection c, int account) => Post(() =>
    {
        Interlocked.Decrement(ref c.PendingRequests);
        if (!_connections.Contains(c)) return;
        string name = _pipeline.Accounts.Name(account);
        if (c.UserStreams.ContainsKey(account))
        {
            Send(c, Error("already_subscribed", $"already subscribed to the user channel of {name}"), null, null);
            return;
        }
        if (SubscriptionCount(c) >= Options.MaxSubscriptions)
        {
            Send(c, Error("too_many_subscriptions", $"a connection may hold {Options.MaxSubscriptions} subscriptions"), null, null);
            return;
        }
        if (_accountEvents is null)
        {
            Send(c, Error("unavailable", "this server has no account event stream"), null, null);
            return;
        }
        var stream = new UserStream(c, account, name, Options.UserQueueLimit);
        c.UserStreams[account] = stream;
        _userStreams.Add(stream);
        Send(c, Message(w => { w.WriteString("op", "subscribed"); w.WriteString("channel", "user"); w.WriteString("account", name); }), null, null);
        stream.Handle = _accountEvents.Subscribe(account, stream);
    });

    public void UnsubscribeUser(WsConnection c, int account) => Post(() =>
    {
        Interlocked.Decrement(ref c.PendingRequests);
        string name = _pipeline.Accounts.Name(account);
        if (!c.UserStreams.Remove(account, out var stream))
        {
            Send(c, Error("not_subscribed", $"not subscribed to the user channel of {name}"), null, null);
            return;
        }
        stream.Handle?.Dispose();
        _userStreams.Remove(stream);
        Send(c, Message(w => { w.WriteString("op", "unsubscribed"); w.WriteString("channel", "user"); w.WriteString("account", name); }), null, null);
    });

    private int SubscriptionCount(WsConnection c) => c.Subscriptions.Count + c.UserStreams.Count;

    private void DropUserStreams(WsConnection c)
    {
        foreach (var s in c.UserStreams.Values)
        {
            s.Handle?.Dispose();
            _userStreams.Remove(s);
        }
        c.UserStreams.Clear();
    }

    /// <summary>Publisher loop: formats and queues what each user stream collected; true when anything was sent.</summary>
    private bool PumpUserStreams()
    {
        bool busy = false;
        for (int k = 0; k < _userStreams.Count; k++)
        {
            var stream = _userStreams[k];
            var events = stream.Take(_userSpare, _pipeline.Outbox, out bool lost);
            _userSpare = events;
            if (lost)
            {
                busy = true;
                Interlocked.Increment(ref _userResyncs);
                if (++stream.Resyncs >= Options.MaxOverflows)
                    stream.Connection.Close($"slow consumer: the user stream of {stream.AccountName} overflowed {stream.Resyncs} times");
                else if (!Queue(stream.Connection, UserResync(stream, "the account's event queue overflowed"))) SlowConsumer(stream.Connection, null, null);
            }
            if (events.Count == 0) continue;
            busy = true;
            _filledInstruments.Clear();
            foreach (var e in events)
            {
                if (UserStream.IsCommandEnd(e))
                {
                    // after each command with fills: the account's position in each instrument it traded
                    if (!SendPositions(stream)) break;
                    continue;
                }
                if (!SendUser(stream, OrderEvent(stream, e))) break;
                if (e.Kind == EventKind.Trade && e.Account == stream.Account && e.MakerAccount == stream.Account)
                {
                    // a self-trade: both sides are this account's orders, each gets its fill
                    if (!SendUser(stream, OrderEvent(stream, e, makerSide: true))) break;
                }
                if (e.Kind == EventKind.Trade) _filledInstruments.Add(e.Instrument);
            }
            if (k < _userStreams.Count && _userStreams[k] != stream) k--; // the stream was dropped while sending
        }
        return busy;
    }

    private bool SendPositions(UserStream stream)
    {
        foreach (int i in _filledInstruments)
            if (!SendUser(stream, Position(stream, i))) return false;
        _filledInstruments.Clear();
        return true;
    }

    // false when the message could not be queued (the connection was treated as a slow consumer)
    private bool SendUser(UserStream stream, WsFrame? message)
    {
        if (message is not { } frame || Queue(stream.Connection, frame)) return true;
        SlowConsumer(stream.Connection, null, null);
        return false;
    }

    private WsFrame UserResync(UserStream stream, string why)
    {
        long seq = ++stream.Sequence;
        return Message(w =>
        {
            w.WriteString("channel", "user");
            w.WriteString("type", "resync");
            w.WriteString("account", stream.AccountName);
            w.WriteNumber("seq", seq);
            w.WriteString("reason", "slow_consumer");
            w.WriteString("message", why + ": order events were dropped; re-read your orders with GET /api/v1/orders (and positions with GET /api/v1/positions)");
        });
    }

    /// <summary>The message for one event, from the account's point of view (<paramref name="makerSide"/>: its maker order of a self-trade).</summary>
    private WsFrame? OrderEvent(UserStream stream, in EngineEvent e, bool makerSide = false)
    {
        var inst = e.Instrument >= 0 && e.Instrument < _books.Length ? _pipeline.Instruments[e.Instrument] : null;
        bool maker = e.Kind == EventKind.Trade && (makerSide || e.Account != stream.Account);
        long orderId = maker ? e.MakerOrderId : e.OrderId;
        var record = _directory?.Find(orderId);
        string? clientOrderId = record?.ClientOrderId;
        long seq = ++stream.Sequence;
        var ev = e;
        return Message(w =>
        {
            w.WriteString("channel", "user");
            w.WriteString("type", "order");
            w.WriteString("account", stream.AccountName);
            w.WriteNumber("seq", seq);
            w.WriteString("event", ev.Kind switch
            {
                EventKind.Accepted => "accepted",
                EventKind.Rejected => "rejected",
                EventKind.Trade => "fill",
                EventKind.Canceled => "canceled",
                EventKind.Triggered => "triggered",
                EventKind.Refreshed => "refreshed",
                _ => "replaced",
            });
            w.WriteNumber("orderId", orderId);
            if (clientOrderId is null) w.WriteNull("clientOrderId");
            else w.WriteString("clientOrderId", clientOrderId);
            if (inst is null) w.WriteNull("symbol");
            else w.WriteString("symbol", inst.Symbol);
            var side = maker ? Opposite(ev.Side) : ev.Side;
            switch (ev.Kind)
            {
                case EventKind.Accepted:
                    w.WriteString("side", OrderResponse.SideName(side));
                    WriteOptionalPrice(w, inst, ev.Price);
                    w.WriteString("qty", inst!.FormatQuantity(ev.Quantity));
                    if (record is not null && record.Type.IsTriggered()) w.WriteString("status", "pending_trigger");
                    break;
                case EventKind.Triggered:
                    w.WriteString("side", OrderResponse.SideName(side));
                    WriteOptionalPrice(w, inst, ev.Price);
                    w.WriteString("qty", inst!.FormatQuantity(ev.Quantity));
                    w.WriteString("status", "triggered");
                    break;
                case EventKind.Refreshed:
                    w.WriteString("side", OrderResponse.SideName(side));
                    w.WriteString("price", inst!.FormatPrice(ev.Price));
                    w.WriteString("visibleQty", inst.FormatQuantity(ev.Quantity));
                    w.WriteString("remaining", inst.FormatQuantity(ev.Remaining));
                    break;
                case EventKind.Rejected:
                    w.WriteString("op", ev.Op switch { CommandOp.New => "new", CommandOp.Cancel => "cancel", CommandOp.Replace => "replace", _ => "mass_cancel" });
                    w.WriteString("reason", ev.RejectReason.Name());
                    break;
                case EventKind.Trade:
                    long remaining = maker ? ev.MakerRemaining : ev.Remaining;
                    w.WriteString("side", OrderResponse.SideName(side));
                    w.WriteString("price", inst!.FormatPrice(ev.Price));
                    w.WriteString("qty", inst.FormatQuantity(ev.Quantity));
                    w.WriteString("remaining", inst.FormatQuantity(remaining));
                    w.WriteString("liquidity", maker ? "maker" : "taker");
                    w.WriteString("status", remaining == 0 ? "filled" : "partially_filled");
                    break;
                case EventKind.Canceled:
                    w.WriteString("side", OrderResponse.SideName(side));
                    w.WriteString("canceledQty", inst!.FormatQuantity(ev.Remaining));
                    w.WriteString("reason", ev.CancelReason.Name());
                    break;
                case EventKind.Replaced:
                    w.WriteString("side", OrderResponse.SideName(side));
                    w.WriteString("price", inst!.FormatPrice(ev.Price));
                    w.WriteString("remaining", inst.FormatQuantity(ev.Quantity));
                    break;
            }
            w.WriteString("time", DateTimeOffset.UtcNow);
        });
    }

    private WsFrame? Position(UserStream stream, int instrument)
    {
        var position = AccountEndpoints.PositionOf(_pipeline, stream.Account, _pipeline.Instruments[instrument]);
        if (position is null) return null;
        long seq = ++stream.Sequence;
        return Message(w =>
        {
            w.WriteString("channel", "user");
            w.WriteString("type", "position");
            w.WriteString("account", stream.AccountName);
            w.WriteNumber("seq", seq);
            w.WritePropertyName("position");
            JsonSerializer.Serialize(w, position);
            w.WriteString("time", DateTimeOffset.UtcNow);
        });
    }

    private static Side Opposite(Side s) => s == Side.Buy ? Side.Sell : Side.Buy;

    private static void WriteOptionalPrice(Utf8JsonWriter w, Hft.Core.Instruments.Instrument? inst, long price)
    {
        if (price <= 0 || inst is null) w.WriteNull("price"); // a market order
        else w.WriteString("price", inst.FormatPrice(price));
    }
}
