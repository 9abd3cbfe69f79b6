namespace Hft.Pipeline.Shards;

/// <summary>
/// Stops every shard at a command boundary (each runs a query that waits), so that the whole state can be read
/// consistently — state hash, snapshot, backup — then lets them go. Operator use only: trading waits meanwhile.
/// </summary>
public sealed class PipelinePause : IDisposable
{
    private readonly CountdownEvent _arrived;
    private readonly ManualResetEventSlim _release = new(false);

    private PipelinePause(int shards) => _arrived = new CountdownEvent(shards);

    /// <summary>Pauses all shards; null when they could not all be reached within <paramref name="timeout"/>.</summary>
    public static PipelinePause? TryPause(TradingPipeline pipeline, TimeSpan timeout)
    {
        var pause = new PipelinePause(pipeline.Shards.Count);
        for (int s = 0; s < pipeline.Shards.Count; s++)
        {
            if (!pipeline.Query(s, new Barrier(pause)))
            {
                // Shards already holding a barrier must still be let go.
                for (int rest = s; rest < pipeline.Shards.Count; rest++) pause._arrived.Signal();
                pause.Dispose();
                return null;
            }
        }
        if (pause._arrived.Wait(timeout)) return pause;
        pause.Dispose();
        return null;
    }

    public void Dispose() => _release.Set();

    private sealed class Barrier(PipelinePause pause) : IShardQuery
    {
        public void Run(MatchingShard shard)
        {
            pause._arrived.Signal();
            pause._release.Wait(TimeSpan.FromSeconds(30)); // never hold a shard forever
        }
    }
}
