using Hft.Configuration;
using Hft.Core.Matching;
using Hft.Risk;

namespace Hft.Pipeline.Shards;

/// <summary>
/// The matching shards of a pipeline and which shard owns each instrument: <c>[system] max_workers</c> shards (at most
/// one per instrument), symbols spread round-robin, each with its own engine and <see cref="CommandStep"/> over the
/// shared risk book and a ring of <c>worker_queue_size</c>. With <c>cpu_affinity</c>, shard s is pinned to the s-th CPU
/// the process may run on (<see cref="CpuAffinity.Choose"/>).
/// </summary>
public sealed class ShardSet
{
    private readonly MatchingShard[] _shards;
    private readonly int[] _shardOfInstrument;

    private ShardSet(MatchingShard[] shards, int[] shardOfInstrument, CpuPinning pinning)
    {
        _shards = shards;
        _shardOfInstrument = shardOfInstrument;
        Pinning = pinning;
    }

    /// <summary>
    /// Matching shards for <paramref name="maxWorkers"/>: one per instrument at most (an instrument belongs to exactly
    /// one single-writer shard), at least one.
    /// </summary>
    public static int ShardCount(int maxWorkers, int instruments) => Math.Clamp(maxWorkers, 1, Math.Max(1, instruments));

    /// <summary>What became of <c>cpu_affinity</c> (pinned threads, failures).</summary>
    public CpuPinning Pinning { get; }

    public static ShardSet Create(SystemConfig system, ReferenceData reference, IPipelineObserver[] observers)
    {
        int workers = ShardCount(system.MaxWorkers, reference.Instruments.Count);
        var pinning = new CpuPinning();
        var allowed = system.CpuAffinity ? CpuAffinity.AllowedCpus() : [];
        var idle = IdleStrategy.Named(system.IdleStrategy);
        var shards = new MatchingShard[workers];
        for (int s = 0; s < workers; s++)
        {
            var engine = new MatchingEngine(new EngineOptions { OrderCapacity = 1 << 18, OrderIdCapacity = 1 << 22, LevelCapacity = 4096 });
            var risk = new RiskStage(new RiskOptions { RejectUndeclaredAccounts = true, OpenOrderCapacity = 1 << 18 }, reference.RiskBook);
            int cpu = system.CpuAffinity ? CpuAffinity.Choose(s, allowed) : -1;
            shards[s] = new MatchingShard(s, system.WorkerQueueSize, new CommandStep(engine, risk), observers, idle, cpu, pinning);
        }
        var shardOf = new int[reference.Instruments.Count];
        foreach (var instrument in reference.Instruments.All)
        {
            int s = instrument.Index % workers;
            shardOf[instrument.Index] = s;
            shards[s].Engine.AddInstrument(instrument);
        }
        return new ShardSet(shards, shardOf, pinning);
    }

    public int Count => _shards.Length;

    public MatchingShard this[int index] => _shards[index];

    public IReadOnlyList<MatchingShard> All => _shards;

    /// <summary>The shard that owns the instrument (an unknown instrument: shard 0, whose engine rejects it).</summary>
    public MatchingShard Of(int instrument) => (uint)instrument < (uint)_shardOfInstrument.Length ? _shards[_shardOfInstrument[instrument]] : _shards[0];

    /// <summary>Whether a command on <paramref name="instrument"/> concerns every shard (a mass cancel of all instruments).</summary>
    public bool EveryShard(int instrument) => (uint)instrument >= (uint)_shardOfInstrument.Length;
}
