using System.Collections.Concurrent;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Pipeline.State;

/// <summary>
/// Every order of the venue, whichever gateway entered it: by exchange id and by (account, client order id), kept
/// current from the shards' events. A gateway may register an order before submitting it (REST and FIX do, to reserve
/// its client order id and answer from the record); any new order a shard decided that is not known yet - the binary
/// gateway's, or one whose gateway does not register - is added from the decided command itself
/// (<see cref="OnNewOrder"/>), so GET /orders and the user channel show orders of every gateway alike. Finished
/// orders are forgotten oldest first once more than <c>retainFinished</c> are held, so memory stays bounded; a client
/// order id stays reserved while its order is remembered.
/// </summary>
public sealed class OrderDirectory : IPipelineObserver, INewOrderObserver
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
        => Adopt(OrderRecord.Of(in cmd, clientOrderId, DateTimeOffset.UnixEpoch.AddTicks(timestampMicros * 10)));

    /// <summary>
    /// A shard decided a new order (before the observers see its events): recorded from the command unless its
    /// gateway registered it already. Its client order id is indexed unless another remembered order of the account
    /// holds it (two binary sessions of one account may reuse numbers); the order is listed either way.
    /// </summary>
    public void OnNewOrder(in OrderCommand command, string? clientOrderId)
    {
        if (_byId.ContainsKey(command.OrderId)) return;
        Adopt(OrderRecord.Of(in command, clientOrderId, DateTimeOffset.UtcNow));
    }

    private void Adopt(OrderRecord record)
    {
        if (!_byId.TryAdd(record.Id, record)) return;
        if (record.ClientOrderId is { } clientId) _byClientId.TryAdd((record.Account, clientId), record.Id);
    }

    /// <summary>Forgets an order that never entered the pipeline (refused at admission).</summary>
    public void Unregister(OrderRecord record)
    {
        _byId.TryRemove(record.Id, out _);
        ReleaseClientId(record);
    }

    // only the order that holds the client order id releases it
    private void ReleaseClientId(OrderRecord record)
    {
        if (record.ClientOrderId is { } clientId)
            _byClientId.TryRemove(new KeyValuePair<(int, string), long>((record.Account, clientId), record.Id));
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
                    Replace(e.OrderId, e.Price, e.Quantity, command.NewTriggerOf(e.OrderId));
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

    private void Replace(long id, long price, long quantity, long newTrigger)
    {
        if (!_byId.TryGetValue(id, out var r)) return;
        lock (r)
        {
            if (newTrigger != 0) r.TriggerPrice = newTrigger;
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
            if (_byId.TryRemove(old, out var gone)) ReleaseClientId(gone);
        }
    }
}
