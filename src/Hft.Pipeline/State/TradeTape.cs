using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Pipeline.State;

/// <summary>One trade as recorded for GET /trades (public per symbol, and each side's own fills).</summary>
public readonly record struct TradeRecord(long TradeId, int Instrument, long Price, long Quantity, Side TakerSide,
    long TakerOrderId, int TakerAccount, long MakerOrderId, int MakerAccount, DateTimeOffset Time);

/// <summary>
/// The most recent trades per instrument and per account, in bounded rings (oldest dropped), filled from the
/// shards' events. Trade ids are assigned here, increasing: the trades of one command take consecutive ids, in the
/// order of its events, so a publisher that runs after the tape on the same shard thread numbers them the same way
/// (<see cref="FirstTradeId"/>): the WebSocket trades channel carries the ids GET /trades shows.
/// </summary>
public sealed class TradeTape : IPipelineObserver
{
    private readonly int _capacity;
    private readonly Dictionary<int, Queue<TradeRecord>> _bySymbol = new();
    private readonly Dictionary<int, Queue<TradeRecord>> _byAccount = new();
    private readonly long[] _firstOfLastCommand;
    private long _nextTradeId;

    /// <param name="capacity">Trades kept per symbol and per account.</param>
    /// <param name="shards">Upper bound of the shard indexes that report to the tape (at most one per instrument).</param>
    public TradeTape(int capacity = 1000, int shards = 64)
    {
        _capacity = capacity;
        _firstOfLastCommand = new long[Math.Max(1, shards)];
    }

    /// <summary>
    /// The id of the first trade of the last command <paramref name="shard"/> processed (its k-th trade event has this
    /// id + k); 0 when it traded nothing. Read on that shard's thread by the observers after the tape.
    /// </summary>
    public long FirstTradeId(int shard) => (uint)shard < (uint)_firstOfLastCommand.Length ? _firstOfLastCommand[shard] : 0;

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps)
    {
        int trades = 0;
        foreach (ref readonly var e in events)
            if (e.Kind == EventKind.Trade) trades++;
        long id = trades == 0 ? 0 : Interlocked.Add(ref _nextTradeId, trades) - trades + 1;
        if ((uint)shard < (uint)_firstOfLastCommand.Length) _firstOfLastCommand[shard] = id;
        if (trades == 0) return;
        var time = DateTimeOffset.UtcNow;
        foreach (ref readonly var e in events)
        {
            if (e.Kind != EventKind.Trade) continue;
            var trade = new TradeRecord(id++, e.Instrument, e.Price, e.Quantity, e.Side,
                e.OrderId, e.Account, e.MakerOrderId, e.MakerAccount, time);
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
