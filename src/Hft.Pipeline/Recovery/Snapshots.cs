using System.Diagnostics;
using Hft.Journal;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;

namespace Hft.Pipeline.Recovery;

/// <summary>What one snapshot wrote and how long it took (<see cref="Paused"/>: shards held still).</summary>
public sealed record SnapshotResult(string Path, long Sequence, int Orders, int Accounts, long Bytes, TimeSpan Paused, TimeSpan Elapsed,
    PruneResult Pruned)
{
    public DateTimeOffset Written { get; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// Snapshots of the whole state, written to the journal directory: taken while trading (periodic, on shutdown, by an
/// operator) and restored by recovery.
/// </summary>
public sealed class Snapshots(TradingPipeline pipeline, OrderDirectory? directory)
{
    private readonly object _gate = new();

    /// <summary>The last snapshot this process wrote (null before the first).</summary>
    public SnapshotResult? Last { get; private set; }

    /// <summary>Snapshots written by this process.</summary>
    public long Taken { get; private set; }

    /// <summary>
    /// Writes a snapshot and prunes what it makes redundant (older snapshots beyond the newest two, segments wholly
    /// covered by the older of those). While trading, every shard is paused at a command boundary just long enough to
    /// copy the state: everything processed then has been appended to the journal, so the journal's last sequence at
    /// that moment is the one the snapshot covers. The file is written after the shards resume, once the journal has
    /// fsynced up to that sequence. One snapshot at a time.
    /// </summary>
    /// <param name="timeout">How long to wait for the pause and for the journal's fsync.</param>
    /// <param name="prune">Prune after writing (benchmarks turn it off to keep the full journal).</param>
    /// <exception cref="InvalidOperationException">Journal mode none (nothing to snapshot against), or a diverged node.</exception>
    /// <exception cref="TimeoutException">The shards could not be paused, or the journal not synced, in time.</exception>
    public SnapshotResult Take(TimeSpan timeout, bool prune = true)
    {
        var journal = pipeline.Journal;
        string dir = pipeline.Config.Journal.Dir;
        if (journal.Mode == JournalMode.None) throw new InvalidOperationException("journal mode none: there is no journal to snapshot against");
        if (pipeline.Diverged) throw new InvalidOperationException("this node's state diverged from its replication group's: it is restarting, no snapshot");
        lock (_gate)
        {
            var clock = Stopwatch.StartNew();
            SnapshotData data;
            lock (pipeline.ApplyGate) // a follower's journal may not run ahead of its shards while they are copied
            {
                if (pipeline.Diverged) throw new InvalidOperationException("this node's state diverged from its replication group's: no snapshot");
                // Shards started and not (cleanly) stopped: pause them. Before start or after a drained stop nothing moves.
                bool live = pipeline.ShardsLive;
                using (var pause = live ? PipelinePause.TryPause(pipeline, timeout) : null)
                {
                    if (live && pause is null) throw new TimeoutException("could not pause every shard for the snapshot");
                    long sequence = journal.Stats.LastSequence;
                    data = SnapshotStore.Capture(sequence, pipeline.LastOrderId, pipeline.Instruments, pipeline.Shards.Select(s => s.Engine),
                        pipeline.RiskBook, pipeline.Accounts.Name, OrderInfo, i => pipeline.ShardSet.Of(i).Risk);
                }
            }
            var paused = clock.Elapsed;
            if (data.Sequence > 0 && !journal.WaitSynced(data.Sequence, timeout))
                throw new TimeoutException($"the journal did not fsync up to sequence {data.Sequence} in time");
            string path = SnapshotStore.Write(dir, data);
            var pruned = prune ? SnapshotStore.Prune(dir, keepSnapshots: 2) : new PruneResult([], []);
            var result = new SnapshotResult(path, data.Sequence, data.Orders.Count, data.Accounts.Count, new FileInfo(path).Length, paused,
                clock.Elapsed, pruned);
            Last = result;
            Taken++;
            return result;
        }
    }

    private SnapshotOrderInfo? OrderInfo(long id)
    {
        if (directory?.Find(id) is not { } r) return null;
        lock (r) return new SnapshotOrderInfo(r.Quantity, r.Filled, (r.CreatedAt - DateTimeOffset.UnixEpoch).Ticks / 10, r.ClientOrderId);
    }

    /// <summary>
    /// Replication: makes a node that holds nothing yet (a new or wiped member: empty journal, no command ever applied)
    /// the group's state at the snapshot's sequence, as recovery would have: the snapshot is restored into the paused
    /// shards, written to the journal directory, and the journal continues after it. The caller holds the apply gate.
    /// </summary>
    /// <exception cref="TimeoutException">The shards could not be paused.</exception>
    internal void InstallIntoEmpty(SnapshotData data, string name, TimeSpan timeout)
    {
        lock (_gate)
        {
            using var pause = PipelinePause.TryPause(pipeline, timeout) ?? throw new TimeoutException("could not pause every shard to install the snapshot");
            if (pipeline.Journal.NextSequence != 1) throw new InvalidOperationException("the journal holds records: not an empty node");
            Restore(data, name, pipeline.Reference, pipeline.ShardSet, directory);
            SnapshotStore.Rebase(pipeline.Config.Journal.Dir, data);
            pipeline.Journal.Rebase(data.Sequence);
            pipeline.AdvanceOrderIds(data.NextOrderId);
        }
    }

    /// <summary>Recovery only: restores a snapshot into freshly built shards, registering its live orders (resting and pending) with the directory.</summary>
    internal static void Restore(SnapshotData data, string name, ReferenceData reference, ShardSet shards, OrderDirectory? directory)
    {
        SnapshotStore.Restore(data, reference.Instruments, reference.RiskBook, i => (shards.Of(i).Engine, shards.Of(i).Risk),
            reference.Accounts.GetOrAdd, name);
        foreach (var o in data.Orders)
        {
            bool hasTerms = o.Flags != Hft.Core.Book.OrderFlags.None;
            bool pending = (o.Flags & Hft.Core.Book.OrderFlags.Pending) != 0;
            directory?.TryRegister(new OrderRecord
            {
                Id = o.Id, Account = o.Account, ClientOrderId = o.ClientOrderId, Instrument = o.Instrument, Side = o.Side,
                Type = hasTerms ? o.Terms.Type : Hft.Core.Orders.OrderType.Limit, Tif = hasTerms ? o.Terms.Tif : Hft.Core.Orders.TimeInForce.Gtc,
                PostOnly = o.PostOnly, Stp = o.Stp, CreatedAt = DateTimeOffset.UnixEpoch.AddTicks(o.CreatedMicros * 10),
                Price = o.Price is long.MaxValue or long.MinValue ? 0 : o.Price, Quantity = o.Quantity, Filled = o.Filled,
                Remaining = o.OpenQuantity, TriggerPrice = o.Terms.TriggerPrice, DisplayQuantity = o.Terms.DisplayQuantity,
                ExpireTime = o.Terms.ExpireTime,
                Status = pending ? OrderStatus.PendingTrigger : o.Filled > 0 ? OrderStatus.PartiallyFilled : OrderStatus.New,
            });
        }
    }
}
