namespace Hft.Gateways.Binary;

/// <summary>
/// What a logged-on session keeps about its orders: exchange id ↔ client id maps and, per shard, the cancel and replace
/// requests in flight and whether a refusal of the newest was already reported. Created at login, with the full
/// outbound queue: together most of a session's memory, which a connection that never logs on must not cost.
/// Guarded by the session's lock.
/// </summary>
internal sealed class SessionOrders
{
    private const int ExpectedOrders = 4096;

    public SessionOrders(int shards, int requestsPerShard)
    {
        Pending = new PendingRequests[shards];
        for (int i = 0; i < shards; i++) Pending[i] = new PendingRequests(requestsPerShard);
        ReportedReject = new bool[shards];
    }

    public Dictionary<long, OrderRef> ByExchangeId { get; } = new(ExpectedOrders);

    public Dictionary<ulong, long> ByClientId { get; } = new(ExpectedOrders);

    public PendingRequests[] Pending { get; }

    public bool[] ReportedReject { get; }
}
