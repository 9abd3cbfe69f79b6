using System.Net;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Replication;

/// <summary>
/// A DR replica beside a real three-member Raft group (in-process nodes, Raft and HTTP on loopback): it follows any
/// member, is never part of the group (the group keeps acknowledging with the replica stopped, at once), and, restarted
/// on its journal, resumes from its last record - nothing skipped, nothing applied twice - to the leader's state hash.
/// </summary>
public sealed class DrGroupTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hft-dr-group-");

    public void Dispose()
    {
        try { _work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Group_acknowledges_with_the_replica_stopped_and_the_replica_resumes_to_the_leaders_state()
    {
        int[] raft = [Process.HftProcess.FreePort(), Process.HftProcess.FreePort(), Process.HftProcess.FreePort()];
        var members = new ApiServerFixture[3];
        ApiServerFixture? replica = null;
        try
        {
            for (int i = 0; i < 3; i++)
            {
                int id = i;
                members[i] = await Dr.StartSource(Path.Combine(_work.FullName, $"n{i}"), c => c with
                {
                    Replication = c.Replication with { Enabled = true, NodeId = id, Peers = raft.Select(p => $"127.0.0.1:{p}").ToArray() },
                });
            }
            await Dr.Until(() => members.Count(m => m.PipelineIfRunning?.OrderEntryEnabled == true) == 1, "one leader elected and caught up", 90);
            var leader = members.Single(m => m.Pipeline.OrderEntryEnabled);
            await leader.Trade(4, "g1");

            // The replica follows the group through any member (the first listed may be any of them).
            string replicaDir = Path.Combine(_work.FullName, "replica");
            string[] sources = members.Select(m => m.Url()).ToArray();
            replica = await Dr.StartReplica(replicaDir, sources);
            var follower = replica.Follower();
            await Dr.Until(() => follower.AppliedSequence == leader.Pipeline.Journal.WrittenSequence, "the replica catches up");
            long heldAtStop = follower.AppliedSequence;
            await replica.DisposeAsync();
            replica = null;

            // The group does not wait for it: every order is acknowledged (201) with the replica gone.
            await leader.Trade(6, "g2");
            long groupEnd = leader.Pipeline.Journal.WrittenSequence;
            Assert.True(groupEnd > heldAtStop);

            // Restarted on its journal: resumes after its last record, applies exactly the records it missed.
            replica = await Dr.StartReplica(replicaDir, sources);
            follower = replica.Follower();
            await Dr.Until(() => follower.AppliedSequence == groupEnd && follower.LagRecords == 0, "the restarted replica catches up");
            Assert.Equal(groupEnd - heldAtStop, follower.Applier.RecordsApplied); // from its journal's end on, each record once
            Assert.True(follower.Applier.RecordsSkipped >= 1, "its last record, asked for again, matched the group's (continuity)");
            Assert.False(follower.Diverged);
            Assert.Equal(await leader.StateHash(), await replica.StateHash());
            (await replica.Client("A1").Place(Rest.Limit("buy", "49990.00", "0.10"))).AssertError((HttpStatusCode)421, "not_leader");
            Assert.Equal("follower", (await replica.Anonymous.Get("replication/status")).Str("role"));
        }
        finally
        {
            if (replica is not null) await replica.DisposeAsync();
            foreach (var m in members)
                if (m is not null) await m.DisposeAsync();
        }
    }
}
