using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Replication;

/// <summary>
/// A disaster-recovery replica ([dr]) following a real source node over its journal stream on loopback: it applies the
/// committed journal (same state hash at the same sequence), reports its lag (which grows while a partition cuts it
/// off and returns to about zero once it caught up), resumes after the cut from the right sequence with no gap and
/// nothing applied twice, refuses order entry, and - promoted by an operator after the source is gone - hashes to the
/// source's last state and takes new orders.
/// </summary>
public sealed class DrReplicaTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hft-dr-");

    public void Dispose()
    {
        try { _work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Replica_applies_the_committed_journal_reports_its_lag_and_resumes_after_a_partition_without_gap_or_duplicate()
    {
        await using var source = await Dr.StartSource(Path.Combine(_work.FullName, "source"));
        await using var relay = new TcpRelay(source.BaseAddress.Port);
        await source.Trade(5, "before");
        await using var replica = await Dr.StartReplica(Path.Combine(_work.FullName, "replica"), [relay.Url]);
        var follower = replica.Follower();
        var journal = source.Pipeline.Journal;

        // Caught up: every committed record applied once, the same state at the same sequence, lag about zero.
        await Dr.Until(() => follower.AppliedSequence == journal.WrittenSequence && follower.LagRecords == 0, "the replica catches up");
        Assert.Equal(await source.StateHash(), await replica.StateHash());
        Assert.Equal(0, await replica.Metric("hft_replication_dr_lag_records"));
        Assert.Equal(1, await replica.Metric("hft_replication_dr_connected"));
        Assert.Equal(journal.WrittenSequence, await replica.Metric("hft_replication_dr_applied_sequence"));
        await Dr.Until(() => follower.LagSeconds < 3, "lag seconds about zero while connected (a heartbeat every 500 ms)");

        // The replica takes no order entry: it never decides (so never acknowledges) anything.
        (await replica.Client("A1").Place(Rest.Limit("buy", "49990.00", "0.10"))).AssertError((HttpStatusCode)421, "not_leader");

        // A partition: the source keeps trading, the replica cannot hear it; its lag in seconds grows.
        relay.Cut();
        await Dr.Until(() => !follower.Connected, "the stream is cut");
        await source.Trade(5, "during");
        await Dr.Until(() => follower.LagSeconds > 1.5, "lag seconds grows while cut off");
        double cutOff = await replica.Metric("hft_replication_dr_lag_seconds");
        Assert.True(cutOff > 1.5, $"hft_replication_dr_lag_seconds {cutOff}");
        await Dr.Until(() => follower.LagSeconds > cutOff + 0.5, "still growing");
        Assert.True(await replica.Metric("hft_replication_dr_lag_seconds") > cutOff);
        long appliedBeforeHeal = follower.Applier.RecordsApplied;
        Assert.True(follower.AppliedSequence < journal.WrittenSequence, "the source moved on during the cut");

        // Healed: resumed from the replica's last record - nothing skipped, nothing applied twice - and lag back to about zero.
        relay.Heal();
        await source.Trade(2, "after");
        await Dr.Until(() => follower.AppliedSequence == journal.WrittenSequence && follower.LagRecords == 0, "the replica catches up again");
        await Dr.Until(() => follower.LagSeconds < 3, "lag seconds about zero again");
        Assert.Equal(journal.WrittenSequence, follower.Applier.RecordsApplied); // each record once, across both streams
        Assert.True(follower.Applier.RecordsApplied > appliedBeforeHeal);
        Assert.True(follower.Reconnects >= 1);
        Assert.True(follower.Applier.RecordsSkipped >= 1, "the last held record is asked for again as a continuity check");
        Assert.False(follower.Diverged);
        Assert.Equal(await source.StateHash(), await replica.StateHash());
        Assert.True(await replica.Metric("hft_replication_dr_reconnects_total") >= 1);
    }

    [Fact]
    public async Task Promoted_replica_hashes_to_the_lost_sources_last_state_and_takes_new_orders()
    {
        string replicaDir = Path.Combine(_work.FullName, "replica");
        var source = await Dr.StartSource(Path.Combine(_work.FullName, "source"));
        string sourceUrl = source.Url();
        await source.Trade(6, "venue");
        var last = await source.StateHash();
        long lastOrderId = source.Pipeline.LastOrderId;
        var replica = await Dr.StartReplica(replicaDir, [sourceUrl]);
        try
        {
            var follower = replica.Follower();
            await Dr.Until(() => follower.AppliedSequence == last.Sequence, "the replica catches up");

            // While the source still streams to it, the old group is alive: promotion refused, unless forced.
            using (var early = replica.NewClient(Dr.OpsToken))
                (await early.Post("replication/dr/promote", new { })).AssertError(HttpStatusCode.Conflict, "source_alive");
            Assert.False(replica.Pipeline.OrderEntryEnabled);
            Assert.Null(follower.Promotion);

            // The region is lost.
            await source.DisposeAsync();
            await Dr.Until(() => !follower.Connected, "the replica sees its source gone");

            // Promotion is an operator's act: no credential, a trader's token - refused, and nothing changes.
            using (var anonymous = replica.NewClient(null))
                (await anonymous.Post("replication/dr/promote", new { })).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
            using (var trader = replica.NewClient(replica.Token("A1")))
                (await trader.Post("replication/dr/promote", new { })).AssertError(HttpStatusCode.Forbidden, "forbidden");
            Assert.False(replica.Pipeline.OrderEntryEnabled);

            using var op = replica.NewClient(Dr.OpsToken);
            var promoted = (await op.Post("replication/dr/promote", new { })).AssertStatus(HttpStatusCode.OK);
            Assert.False(promoted.Body.GetProperty("alreadyPromoted").GetBoolean());
            Assert.Equal(last.Sequence, promoted.Body.GetProperty("journalSequence").GetInt64());
            Assert.Equal(last, await replica.StateHash()); // the old venue's state at its last record
            Assert.True((await op.Post("replication/dr/promote", new { })).AssertStatus(HttpStatusCode.OK).Body.GetProperty("alreadyPromoted").GetBoolean());
            Assert.Equal("single", (await op.Get("replication/status")).Str("role"));
            Assert.Equal(1, await replica.Metric("hft_replication_dr_promoted"));

            // A venue of its own: new orders take the next sequences and order ids.
            var placed = (await replica.Client("A1").Place(Rest.Limit("buy", "49990.00", "0.10", clientOrderId: "after-promotion")))
                .AssertStatus(HttpStatusCode.Created);
            Assert.True(placed.Id > lastOrderId, $"order id {placed.Id} continues after the venue's last, {lastOrderId}");
            Assert.Equal(last.Sequence + 1, replica.Pipeline.Journal.WrittenSequence);

            // The promotion holds across a restart, [dr] still configured: it follows nothing and keeps trading.
            await replica.DisposeAsync();
            replica = await Dr.StartReplica(replicaDir, [sourceUrl]);
            Assert.True(replica.Pipeline.OrderEntryEnabled);
            Assert.NotNull(replica.Follower().Promotion);
            (await replica.Client("A2").Place(Rest.Limit("sell", "49990.00", "0.10"))).AssertStatus(HttpStatusCode.Created);
        }
        finally
        {
            await replica.DisposeAsync();
            await source.DisposeAsync();
        }
    }
}
