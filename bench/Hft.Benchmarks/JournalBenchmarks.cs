using BenchmarkDotNet.Attributes;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Journal;

namespace Hft.Benchmarks;

/// <summary>
/// Append throughput of the write-ahead journal (<see cref="JournalWriter"/>), open loop: each invocation has
/// <see cref="Threads"/> threads append <see cref="Records"/> 48-byte command records between them without waiting,
/// then waits until the journal has called back for the last one (written in async mode, written and fsynced in sync
/// mode). The reported time is per record. Each iteration starts with a fresh journal directory under the temp folder
/// (untimed), deleted afterwards. Append→durable latency with appenders that wait for their acknowledgment is measured
/// by <c>--journal-latency</c> (see <see cref="JournalLatency"/>).
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class JournalBenchmarks
{
    public const int Records = 500_000;

    [Params(JournalMode.Async, JournalMode.Sync)]
    public JournalMode Mode { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    private readonly byte[] _payload = new byte[CommandCodec.Size];
    private string _dir = null!;
    private JournalWriter _writer = null!;

    [GlobalSetup]
    public void GlobalSetup() =>
        CommandCodec.Write(_payload, OrderCommand.NewLimit(1, 2, 3, Side.Buy, 100_000, 25), shard: 0);

    [IterationSetup]
    public void IterationSetup()
    {
        _dir = Path.Combine(Path.GetTempPath(), "hft-journal-bench-" + Guid.NewGuid().ToString("N"));
        _writer = new JournalWriter(_dir, Mode, 1);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _writer.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public void Append()
    {
        if (Threads == 1)
        {
            AppendMany(Records);
        }
        else
        {
            var workers = new Thread[Threads];
            for (int t = 0; t < Threads; t++) (workers[t] = new Thread(() => AppendMany(Records / Threads))).Start();
            foreach (var w in workers) w.Join();
        }
        _writer.Flush();
        var last = _writer.Stats.LastSequence;
        SpinWait.SpinUntil(() => _writer.DurableSequence >= last || _writer.Failure is not null);
        if (_writer.Failure is not null) throw new InvalidOperationException("journal failed");
    }

    private void AppendMany(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _writer.Append(RecordType.Command, _payload);
            if ((i & 63) == 63) _writer.Flush(); // async: write every 64 records on this thread; sync: wake the journal thread
        }
    }
}
