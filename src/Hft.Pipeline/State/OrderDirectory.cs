using System.Collections.Concurrent;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Pipeline.State;

/// <summary>
/// Orders by exchange id and by (account, client order id), kept current from the shards' events. Finished orders
/// are forgotten oldest first once more than <c>retainFinished</c> are held, so memory stays bounded; a client
/// order id stays reserved while its order is remembered.
/// </summary>
public sealed class OrderDirectory : IPipelineObserver
{
    private readonly ConcurrentDictionary<long, OrderRecord> _byId = new();
    private readonly ConcurrentDictionary<(int Account, string ClientId), long> _byClientId = new();
    private readonly ConcurrentQueue<long> _finished = new();
    private readonly int _retainFinished;

    public OrderDirectory(int retainFinished = 100_000) => _retainFinished = retainFinished;

    public int Count => _byId.Count;

    /// <summary>Registers a new order before it is submitted; false when the client order id is already in use.</summary>
    public bool TryRegister(OrderRecord record)
    {
        if (record.ClientOrderId is { } clientId && !_byClientId.TryAdd((record.Account, clientId), record.Id)) return false;
        _byId[record.Id] = record;
        return true;
    }

    /// <summary>
    /// Recovery and replication: registers a journaled new order (pending; the shard's events then bring it up to
    /// date) with the time the journal recorded for it.
    /// </summary>
    internal void RegisterJournaled(in OrderCommand cmd, string? clientOrderId, long timestampMicros)
        => TryRegister(new OrderRecord
        {
            Id = cmd.OrderId, Account = cmd.Account, ClientOrderId = clientOrderId, Instrument = cmd.Instrument,
            Side = cmd.Side, Type = cmd.Type, Tif = cmd.Tif, PostOnly = cmd.PostOnly, Stp = cmd.Stp,
            CreatedAt = DateTimeOffset.UnixEpoch.AddTicks(timestampMicros * 10),
            Price = cmd.Type.HasLimitPrice() ? cmd.Price : 0, Quantity = cmd.Quantity,
            TriggerPrice = cmd.TriggerPrice, DisplayQuantity = cmd.DisplayQuantity, ExpireTime = cmd.ExpireTime,
            Remaining = cmd.Quantity, Status = OrderStatus.Pending,
        });

    /// <summary>Forgets an order that never entered the pipeline (refused at admission).</summary>
    public void Unregister(OrderRecord record)
    {
        _byId.TryRemove(record.Id, out _);
        if (record.ClientOrderId is { } clientId) _byClientId.TryRemove((record.Account, clientId), out _);
    }

    public OrderRecord? Find(long id) => _byId.TryGetValue(id, out var r) ? r : null;

    public OrderRecord? FindByClientId(int account, string clientId)
        => _byClientId.TryGetValue((account, clientId), out long id) ? Find(id) : null;

    /// <summary>The account's orders, newest first (open only when <paramref name="openOnly"/>).</summary>
    public List<OrderRecord> ForAccount(int account, bool openOnly, int limit)
    {
        var list = new List<OrderRecord>();
        foreach (var r in _byId.Values)
        {
            if (r.Account != account) continue;
            lock (r)
                if (!openOnly || r.IsOpen) list.Add(r);
        }
        list.Sort((a, b) => b.Id.CompareTo(a.Id));
        if (list.Count > limit) list.RemoveRange(limit, list.Count - limit);
        return list;
    }

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps)
    {
        foreach (ref readonly var e in events)
        {
            switch (e.Kind)
            {
                case EventKind.Accepted:
                    Apply(e.OrderId, command.Type.IsTriggered() && e.OrderId == command.OrderId ? OrderStatus.PendingTrigger : OrderStatus.New,
                        e.Quantity, filled: 0, reason: null);
                    break;
                case EventKind.Triggered:
                    Apply(e.OrderId, OrderStatus.Triggered, e.Quantity, filled: 0, reason: null);
                    break;
                case EventKind.Rejected:
                    if (e.Op == CommandOp.New) Apply(e.OrderId, OrderStatus.Rejected, 0, 0, e.RejectReason.Name());
                    break;
                case EventKind.Trade:
                    Apply(e.OrderId, e.Remaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled, e.Remaining, e.Quantity, null);
                    Apply(e.MakerOrderId, e.MakerRemaining == 0 ? OrderStatus.Filled : OrderStatus.PartiallyFilled, e.MakerRemaining,
                        e.Quantity, null);
                    break;
                case EventKind.Canceled:
                    Apply(e.OrderId, OrderStatus.Canceled, 0, 0, e.CancelReason.Name());
                    break;
                case EventKind.Replaced:
                    Replace(e.OrderId, e.Price, e.Quantity);
                    break;
            }
        }
    }

    private void Apply(long id, OrderStatus status, long remaining, long filled, string? reason)
    {
        if (!_byId.TryGetValue(id, out var r)) return;
        bool finished;
        lock (r)
        {
            bool wasOpen = r.IsOpen;
            r.Status = status;
            r.Remaining = remaining;
            r.Filled += filled;
            if (reason is not null) r.Reason = reason;
            finished = wasOpen && !r.IsOpen;
        }
        if (finished) Retire(id);
    }

    private void Replace(long id, long price, long quantity)
    {
        if (!_byId.TryGetValue(id, out var r)) return;
        lock (r)
        {
            r.Price = price;
            r.Remaining = quantity;
            r.Quantity = r.Filled + quantity;
        }
    }

    private void Retire(long id)
    {
        _finished.Enqueue(id);
        while (_finished.Count > _retainFinished && _finished.TryDequeue(out long old))
        {
            if (_byId.TryRemove(old, out var gone) && gone.ClientOrderId is { } clientId)
                _byClientId.TryRemove((gone.Account, clientId), out _);
        }
    }
}
