namespace Hft.Gateways.Binary;

/// <summary>
/// A session's cancel and replace requests in flight on one shard, oldest first: the shard completes them in that
/// order, so the head names the client order id of the request a completion is about - needed when the order
/// finished meanwhile and is no longer in the session's map. A fixed ring (no allocation).
/// </summary>
internal sealed class PendingRequests(int capacity)
{
    private readonly (long OrderId, ulong ClientOrderId)[] _ring = new (long, ulong)[capacity];
    private int _head;
    private int _count;

    public bool TryPush(long orderId, ulong clientOrderId)
    {
        if (_count == _ring.Length) return false;
        _ring[(_head + _count) % _ring.Length] = (orderId, clientOrderId);
        _count++;
        return true;
    }

    /// <summary>Takes back the newest request (it was refused at admission).</summary>
    public void DropNewest() => _count--;

    public bool TryPop(out long orderId, out ulong clientOrderId)
    {
        (orderId, clientOrderId) = _count > 0 ? _ring[_head] : default;
        if (_count == 0) return false;
        _head = (_head + 1) % _ring.Length;
        _count--;
        return true;
    }
}
