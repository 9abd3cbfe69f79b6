using Hft.Journal;
using Hft.Pipeline;
using Hft.Pipeline.Recovery;
using Hft.Pipeline.State;

namespace Hft.Server.Tests.Durability;

public sealed class SnapshotRecoveryTests
{
    /// <summary>Runs a flow, snapshots in the middle (while running), runs more, stops; returns the hash at stop.</summary>
    private static async Task<(string Hash, long Snapshot, long Last)> Produce(string dir, int before = 1500, int after = 1500)
    {
        await using var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        p.Start();
        PipelineHarness.Flow(p, 1, before);
        var snap = p.Snapshots.Take(TimeSpan.FromSeconds(10));
        Assert.True(snap.Orders > 0);
        PipelineHarness.Flow(p, 2, after);
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        return (PipelineHarness.Hash(p), snap.Sequence, p.Journal.Stats.LastSequence);
    }

    [Fact]
    public async Task Recovery_from_snapshot_plus_journal_tail_equals_recovery_from_the_full_journal()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var (hash, snapSeq, last) = await Produce(dir);
        Assert.True(snapSeq > 0 && snapSeq < last);

        // the full journal alone (no snapshot): a copy without the snapshot file
        string full = d.Sub("full");
        Directory.CreateDirectory(full);
        foreach (var (path, _) in JournalReader.Segments(dir)) File.Copy(path, Path.Combine(full, Path.GetFileName(path)));
        await using (var node = PipelineHarness.Open(full))
        {
            var fromJournal = node.Pipeline;
            Assert.Equal(0, fromJournal.Recovery.SnapshotSequence);
            Assert.Equal(hash, PipelineHarness.Hash(fromJournal));
        }

        await using (var node = PipelineHarness.Open(dir))
        {
            var fromSnapshot = node.Pipeline;
            Assert.Equal(snapSeq, fromSnapshot.Recovery.SnapshotSequence);
            Assert.Equal(last - snapSeq, fromSnapshot.Recovery.RecordsReplayed);
            Assert.Equal(last, fromSnapshot.Recovery.LastSequence);
            Assert.Equal(hash, PipelineHarness.Hash(fromSnapshot));
        }
    }

    [Fact]
    public async Task Recovered_server_continues_ids_and_a_second_restart_is_stable()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        await Produce(dir, 800, 300);
        var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        long maxLive = p.Shards.SelectMany(s => s.Engine.Books).SelectMany(b => b.OrdersInPriority(Hft.Core.Orders.Side.Buy).Concat(b.OrdersInPriority(Hft.Core.Orders.Side.Sell)))
            .Select(o => o.Id).DefaultIfEmpty(0).Max();
        Assert.True(p.NextOrderId() > maxLive);
        p.Start();
        PipelineHarness.Flow(p, 3, 500);
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        string hash = PipelineHarness.Hash(p);
        var shutdownSnap = p.Snapshots.Take(TimeSpan.FromSeconds(10)); // as on graceful shutdown: after the drain
        Assert.Equal(p.Journal.Stats.LastSequence, shutdownSnap.Sequence);
        await node.DisposeAsync();

        await using var againNode = PipelineHarness.Open(dir);
        var again = againNode.Pipeline;
        Assert.Equal(shutdownSnap.Sequence, again.Recovery.SnapshotSequence);
        Assert.Equal(0, again.Recovery.RecordsReplayed);
        Assert.Equal(hash, PipelineHarness.Hash(again));
    }

    [Fact]
    public async Task Corrupt_newest_snapshot_falls_back_to_the_older_one_with_a_warning()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        p.Start();
        PipelineHarness.Flow(p, 1, 500);
        var older = p.Snapshots.Take(TimeSpan.FromSeconds(10));
        PipelineHarness.Flow(p, 2, 500);
        var newer = p.Snapshots.Take(TimeSpan.FromSeconds(10));
        PipelineHarness.Flow(p, 3, 200);
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        string hash = PipelineHarness.Hash(p);
        await node.DisposeAsync();
        var bytes = File.ReadAllBytes(newer.Path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(newer.Path, bytes);

        await using var recovered = PipelineHarness.Open(dir);
        var r = recovered.Pipeline;
        Assert.Equal(older.Sequence, r.Recovery.SnapshotSequence);
        Assert.Contains(r.Recovery.Warnings, w => w.Contains(Path.GetFileName(newer.Path), StringComparison.Ordinal) && w.Contains("checksum", StringComparison.Ordinal));
        Assert.Equal(hash, PipelineHarness.Hash(r));
    }

    [Fact]
    public async Task Snapshot_newer_than_an_empty_or_pruned_journal_is_accepted()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        p.Start();
        PipelineHarness.Flow(p, 1, 600);
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        string hash = PipelineHarness.Hash(p);
        var snap = p.Snapshots.Take(TimeSpan.FromSeconds(10));
        await node.DisposeAsync();
        foreach (var (path, _) in JournalReader.Segments(dir)) File.Delete(path); // every segment pruned (all covered)

        var restarted = PipelineHarness.Open(dir);
        var r = restarted.Pipeline;
        Assert.Equal(snap.Sequence, r.Recovery.SnapshotSequence);
        Assert.Equal(snap.Sequence, r.Recovery.LastSequence);
        Assert.Equal(hash, PipelineHarness.Hash(r));
        // the journal continues right after the snapshot, and the next start reads it
        r.Start();
        PipelineHarness.Flow(r, 2, 100);
        Assert.True(r.Stop(TimeSpan.FromSeconds(10)));
        Assert.Equal(snap.Sequence + 1, JournalReader.Segments(dir)[0].FirstSequence);
        string hash2 = PipelineHarness.Hash(r);
        await restarted.DisposeAsync();
        await using var again = PipelineHarness.Open(dir);
        Assert.Equal(hash2, PipelineHarness.Hash(again.Pipeline));
    }

    [Fact]
    public async Task Snapshot_newer_than_a_journal_that_ends_before_it_is_corruption_unless_repair()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        p.Start();
        PipelineHarness.Flow(p, 1, 300);
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        long journalLast = p.Journal.Stats.LastSequence;
        string hash = PipelineHarness.Hash(p);
        // a snapshot claiming more than the journal holds (the journal lost its tail)
        var data = SnapshotFormat.Decode(File.ReadAllBytes(p.Snapshots.Take(TimeSpan.FromSeconds(10)).Path), "s");
        var ahead = new SnapshotData
        {
            Sequence = journalLast + 50, NextOrderId = data.NextOrderId, Instruments = data.Instruments, Accounts = data.Accounts, Orders = data.Orders,
        };
        SnapshotStore.Write(dir, ahead);
        await node.DisposeAsync();

        var e = Assert.Throws<JournalCorruptException>(() => PipelineHarness.Open(dir));
        Assert.Contains($"up to sequence {journalLast + 50}", e.Message);
        Assert.Contains($"ends at sequence {journalLast}", e.Message);

        await using (var repairedNode = PipelineHarness.Open(dir, repair: true))
        {
            var repaired = repairedNode.Pipeline;
            Assert.Equal(journalLast + 50, repaired.Recovery.SnapshotSequence);
            Assert.Contains(repaired.Recovery.Warnings, w => w.StartsWith("repair:", StringComparison.Ordinal));
            Assert.Equal(hash, PipelineHarness.Hash(repaired));
        }
        // repaired: the next start is clean
        await using var next = PipelineHarness.Open(dir);
        Assert.Equal(hash, PipelineHarness.Hash(next.Pipeline));
    }

    [Fact]
    public async Task A_gap_between_snapshot_and_journal_is_corruption()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        p.Start();
        PipelineHarness.Flow(p, 1, 100);
        var snap = p.Snapshots.Take(TimeSpan.FromSeconds(10));
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        await node.DisposeAsync();
        // move the snapshot back: now the journal (which starts at 1) ... make the journal start after a gap instead
        foreach (var (path, _) in JournalReader.Segments(dir)) File.Delete(path);
        using (var w = new JournalWriter(dir, JournalMode.Sync, snap.Sequence + 10))
        {
            var payload = new byte[Hft.Journal.CommandCodec.Size];
            Hft.Journal.CommandCodec.Write(payload, Hft.Core.Matching.OrderCommand.Cancel(1, 1, 0), 0);
            w.Append(RecordType.Command, payload);
        }
        var e = Assert.Throws<JournalCorruptException>(() => PipelineHarness.Open(dir));
        Assert.Contains("are missing", e.Message);
    }

    [Fact]
    public async Task Periodic_snapshots_prune_segments_and_keep_two_snapshots()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var c = PipelineHarness.Config(dir);
        c = c with { Journal = c.Journal with { SegmentMegabytes = 1 } };
        var node = PipelineHarness.Node(c);
        var p = node.Pipeline;
        p.Start();
        SnapshotResult? last = null;
        for (int round = 0; round < 4; round++)
        {
            PipelineHarness.Flow(p, round, 12_000); // > 1 MiB of journal per round
            last = p.Snapshots.Take(TimeSpan.FromSeconds(10));
        }
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, SnapshotStore.List(dir).Count);
        Assert.NotEmpty(last!.Pruned.Snapshots);
        Assert.True(JournalReader.Segments(dir)[0].FirstSequence > 1, "covered segments were pruned");
        string hash = PipelineHarness.Hash(p);
        await node.DisposeAsync();
        await using var recovered = PipelineHarness.Open(dir);
        Assert.Equal(hash, PipelineHarness.Hash(recovered.Pipeline));
    }

    [Fact]
    public async Task Restored_orders_keep_their_client_order_ids_in_the_directory()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        var node = PipelineHarness.Node(PipelineHarness.Config(dir));
        var directory = node.Directory;
        var p = node.Pipeline;
        p.Start();
        long id = p.NextOrderId();
        int a1 = p.Accounts.GetOrAdd("A1");
        directory.TryRegister(new OrderRecord
        {
            Id = id, Account = a1, ClientOrderId = "my-order-1", Instrument = 0, Side = Hft.Core.Orders.Side.Buy, Type = Hft.Core.Orders.OrderType.Limit,
            Tif = Hft.Core.Orders.TimeInForce.Gtc, PostOnly = false, Stp = Hft.Core.Orders.SelfTradePrevention.None, CreatedAt = DateTimeOffset.UtcNow,
            Price = 4_900_000, Quantity = 7, Remaining = 7, Status = OrderStatus.Pending,
        });
        var cmd = Hft.Core.Matching.OrderCommand.NewLimit(id, a1, 0, Hft.Core.Orders.Side.Buy, 4_900_000, 7);
        Assert.Equal(AdmitResult.Accepted, p.Submit(in cmd, null, 0, "my-order-1"));
        Assert.True(SpinWait.SpinUntil(() => p.Shards.Sum(s => s.Processed) >= 1, 10_000));
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        p.Snapshots.Take(TimeSpan.FromSeconds(10));
        await node.DisposeAsync();
        foreach (var (path, _) in JournalReader.Segments(dir)) File.Delete(path);

        await using var recovered = PipelineHarness.Node(PipelineHarness.Config(dir));
        var rec = recovered.Directory.FindByClientId(a1, "my-order-1");
        Assert.NotNull(rec);
        Assert.Equal(id, rec.Id);
        Assert.Equal(OrderStatus.New, rec.Status);
        Assert.Equal(7, rec.Remaining);
    }
}

public sealed class PrunedJournalWithoutSnapshotTests
{
    [Fact]
    public void A_journal_that_does_not_start_at_1_without_a_usable_snapshot_is_corruption()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        using (var w = new JournalWriter(dir, JournalMode.Sync, 500))
        {
            var payload = new byte[CommandCodec.Size];
            CommandCodec.Write(payload, Hft.Core.Matching.OrderCommand.Cancel(1, 1, 0), 0);
            w.Append(RecordType.Command, payload);
        }
        var e = Assert.Throws<JournalCorruptException>(() => PipelineHarness.Open(dir));
        Assert.Contains("records 1..499 are missing", e.Message);
    }
}
