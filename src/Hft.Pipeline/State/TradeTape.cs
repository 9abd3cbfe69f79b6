using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Pipeline.State;

/// <summary>One trade as recorded for GET /trades (public per symbol, and each side's own fills).</summary>
public readonly record struct TradeRecord(long TradeId, int Instrument, long Price, long Quantity, Side TakerSide,
    long TakerOrderId, int TakerAccount, long MakerOrderId, int MakerAccount, DateTimeOffset Time);

/// <summary>
/// The most recent trades per instrument and per account, in bounded rings (oldest dropped), filled from the
/// shards' events. Trade ids are assigned here, increasing.
/// </summary>
public sealed class TradeTape : IPipelineObserver
{
    private readonly int _capacity;
    private readonly Dictionary<int, Queue<TradeRecord>> _bySymbol = new();
    private readonly Dictionary<int, Queue<TradeRecord>> _byAccount = new();
    private long _nextTradeId;

    public TradeTape(int capacity = 1000) => _capacity = capacity;

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps)
    {
        foreach (ref readonly var e in events)
        {
            if (e.Kind != EventKind.Trade) continue;
            var trade = new TradeRecord(Interlocked.Increment(ref _nextTradeId), e.Instrument, e.Price, e.Quantity, e.Side,
                e.OrderId, e.Account, e.MakerOrderId, e.MakerAccount, DateTimeOffset.UtcNow);
            Add(_bySymbol, e.Instrument, trade);
            Add(_byAccount, e.Account, trade);
            if (e.MakerAccount != e.Account) Add(_byAccount, e.MakerAccount, trade);
        }
    }

    public List<TradeRecord> ForSymbol(int instrument, int limit) => Snapshot(_bySymbol, instrument, limit);

    public List<TradeRecord> ForAccount(int account, int limit) => Snapshot(_byAccount, account, limit);

    private void Add(Dictionary<int, Queue<TradeRecord>> map, int key, TradeRecord trade)
    {
        lock (map)
        {
            if (!map.TryGetValue(key, out var q)) map[key] = q = new Queue<TradeRecord>();
            q.Enqueue(trade);
            if (q.Count > _capacity) q.Dequeue();
        }
    }

    /// <summary>Newest first.</summary>
    private static List<TradeRecord> Snapshot(Dictionary<int, Queue<TradeRecord>> map, int key, int limit)
    {
        lock (map)
        {
            if (!map.TryGetValue(key, out var q)) return [];
            var list = q.ToList();
            list.Reverse();
            return list.Count > limit ? list.GetRange(0, limit) : list;
        }
    }
}
