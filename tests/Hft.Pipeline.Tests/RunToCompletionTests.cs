using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Journal;
using Hft.Pipeline.Durability;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.Shards;

namespace Hft.Pipeline.Tests;

/// <summary>
/// Gateway threads that process their shard themselves (run to completion) never strand a command: when one thread
/// holds the shard, another's command is taken along; every reply is released once, after its record is durable.
/// </summary>
public sealed class RunToCompletionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-run-to-completion-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private TradingPipeline Pipeline(JournalMode mode, bool runToCompletion)
    {
        var config = new HftConfig
        {
            Accounts = [new AccountConfig { Id = "A1" }, new AccountConfig { Id = "A2" }],
            Trading = new TradingConfig { MaxOrdersPerSecond = 0 },
            System = new SystemConfig { MaxWorkers = 2, WorkerQueueSize = 1024, RunToCompletion = runToCompletion },
            Journal = new JournalConfig { Dir = _dir, Mode = mode.ToString().ToLowerInvariant(), FsyncIntervalMs = 5 },
        };
        var reference = ReferenceData.From(config);
        var shards = ShardSet.Create(config.System, reference, []);
        var journal = new JournalWriter(_dir, mode, 1, fsyncIntervalMs: 5);
        var outbox = new DurableOutbox(0);
        journal.Listener = outbox;
        return new TradingPipeline(config, reference, shards, journal, outbox, RecoveryReport.Nothing, [], null);
    }

    /// <summary>Counts the replies the outbox released (each must come once, after its record is durable).</summary>
    private sealed class Replies(DurableOutbox outbox) : ICommandReply
    {
        private long _released, _early, _failed;

        public long Released => Interlocked.Read(ref _released);

        public long Early => Interlocked.Read(ref _early);

        public long Failed => Interlocked.Read(ref _failed);

        public void OnDecided(in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
            => outbox.WhenDurable(sequence, new Release(this, outbox, sequence));

        private sealed class Release(Replies replies, DurableOutbox outbox, long sequence) : Durability.IDurableWaiter
        {
            public void OnDurable(bool failed)
            {
                if (failed) Interlocked.Increment(ref replies._failed);
                else if (!outbox.IsDurable(sequence)) Interlocked.Increment(ref replies._early);
                Interlocked.Increment(ref replies._released);
            }
        }
    }

    [Theory]
    [InlineData(JournalMode.Async, true)]
    [InlineData(JournalMode.Sync, true)]
    [InlineData(JournalMode.None, true)]
    [InlineData(JournalMode.Async, false)]
    public void Concurrent_submitters_get_every_command_processed_and_every_reply_released_once(JournalMode mode, bool runToCompletion)
    {
        var pipeline = Pipeline(mode, runToCompletion);
        var replies = new Replies(pipeline.Outbox);
        pipeline.Start();
        const int threads = 4;
        int perThread = mode == JournalMode.Sync ? 2_000 : 20_000;
        int a1 = pipeline.Accounts.GetOrAdd("A1"), a2 = pipeline.Accounts.GetOrAdd("A2");
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var rng = new Random(t);
            var batch = new SubmitBatch();
            for (int i = 0; i < perThread; i++)
            {
                int instrument = rng.Next(2);
                long mid = instrument == 0 ? 5_000_000 : 300_000;
                var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                var cmd = OrderCommand.NewLimit(pipeline.NextOrderId(), rng.Next(2) == 0 ? a1 : a2, instrument, side, mid + rng.Next(-50, 50),
                    1 + rng.Next(20), TimeInForce.Ioc);
                AdmitResult admitted;
                while ((admitted = pipeline.Submit(in cmd, replies, 0, null, ref batch)) == AdmitResult.Overloaded) pipeline.Run(ref batch);
                Assert.Equal(AdmitResult.Accepted, admitted);
                if (i % 16 == 15) pipeline.Run(ref batch); // a gateway's read of 16 messages
            }
            pipeline.Run(ref batch);
        })).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) Assert.True(w.Join(TimeSpan.FromSeconds(120)));

        Assert.True(SpinWait.SpinUntil(() => replies.Released == threads * perThread, 30_000),
            $"{replies.Released} of {threads * perThread} replies released; processed {pipeline.Shards.Sum(s => s.Processed)}");
        Assert.Equal(threads * perThread, pipeline.Shards.Sum(s => s.Processed));
        Assert.Equal(0, replies.Early);
        Assert.Equal(0, replies.Failed);
        Assert.True(pipeline.Stop(TimeSpan.FromSeconds(10)));
    }
}
