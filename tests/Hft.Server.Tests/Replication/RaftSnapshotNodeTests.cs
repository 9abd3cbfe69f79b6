using System.Diagnostics;
using System.Net;
using Hft.Journal;
using Hft.Pipeline;
using Hft.Pipeline.Replication;
using Hft.Pipeline.Shards;
using Hft.Server.Tests.Process;
using Hft.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Tests.Replication;

/// <summary>
/// Three replicated nodes in this process ([replication] snapshot_entries = 100): orders placed on the leader make the
/// nodes' journal snapshots the group's Raft snapshots and the Raft logs are compacted behind them; a follower whose
/// data directory is wiped rejoins as a new, empty member, is sent the leader's snapshot, installs it in place (books,
/// risk, order ids, journal rebased onto it) and applies only the entries after it, ending with the leader's state hash
/// at the leader's journal sequence; its journal alone then recovers to the same state (`hft replay` reads it so).
/// </summary>
public sealed class RaftSnapshotNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-raft-snapshot-node-" + Guid.NewGuid().ToString("N"));
    private readonly int[] _ports = [HftProcess.FreePort(), HftProcess.FreePort(), HftProcess.FreePort()];
    private readonly ApiServerFixture?[] _nodes = new ApiServerFixture?[3];

    public async Task InitializeAsync()
    {
        for (int i = 0; i < 3; i++) _nodes[i] = await StartAsync(i);
    }

    public async Task DisposeAsync()
    {
        foreach (var n in _nodes)
            if (n is not null) await n.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_wiped_follower_installs_the_leaders_snapshot_in_place_and_ends_with_the_same_state()
    {
        var leader = await LeaderAsync();
        await PlaceAsync(leader, 0, 260);
        int f = Array.FindIndex(_nodes, n => n != leader);
        await CaughtUpAsync(leader);
        var leaderRaft = Replication(leader).Node!;
        await Until(() => leaderRaft.Snapshot.Index > 0, "the leader took a Raft snapshot");

        await _nodes[f]!.DisposeAsync();
        _nodes[f] = null;
        Directory.Delete(Path.Combine(_dir, $"n{f}"), recursive: true);
        await PlaceAsync(leader, 260, 20); // the wiped member misses these too

        var clock = Stopwatch.StartNew();
        var member = _nodes[f] = await StartAsync(f);
        await CaughtUpAsync(leader);
        var raft = Replication(member).Node!;
        Assert.True(raft.SnapshotsInstalled >= 1, "the leader sent no snapshot");
        Assert.True(Replication(member).Applier.SnapshotsInstalled >= 1, "the node did not install the snapshot");
        Assert.True(raft.EntriesApplied < 200, $"applied {raft.EntriesApplied} entries: history was replayed");
        Assert.Equal(Hash(leader), Hash(member));
        long snapshot = SnapshotStore.List(member.Config.Journal.Dir)[0].Sequence;
        Assert.True(snapshot > 0 && JournalReader.Segments(member.Config.Journal.Dir).All(s => s.FirstSequence > snapshot),
            "the journal is not rebased onto the snapshot");
        Console.WriteLine($"wiped follower caught up {clock.ElapsedMilliseconds} ms after its start: snapshot at sequence {snapshot}, "
            + $"{raft.EntriesApplied} entries applied of {leaderRaft.CommitIndex}");

        // Its journal alone (the installed snapshot + the segments after it) recovers to the same state.
        var (hash, sequence) = Hash(member);
        await _nodes[f]!.DisposeAsync();
        _nodes[f] = null;
        var alone = await ApiServerFixture.StartAsync(c => Configure(c, f) with { Replication = c.Replication with { Enabled = false } });
        try
        {
            Assert.Equal((hash, sequence), Hash(alone));
        }
        finally
        {
            await alone.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stopped_follower_behind_the_compacted_log_rebases_onto_the_snapshot_restarts_and_ends_with_the_same_state()
    {
        var leader = await LeaderAsync();
        await PlaceAsync(leader, 0, 20);
        await CaughtUpAsync(leader);
        int f = Array.FindIndex(_nodes, n => n != leader);
        long held = _nodes[f]!.Pipeline.Journal.WrittenSequence;
        await _nodes[f]!.DisposeAsync();
        _nodes[f] = null;

        await PlaceAsync(leader, 20, 260); // the leader snapshots past what the stopped member holds and compacts its log
        var leaderRaft = Replication(leader).Node!;
        await Until(() => leaderRaft.Snapshot.Index > 0, "the leader took a Raft snapshot");

        // The member's journal holds state of its own, so the snapshot cannot be dropped in place: the journal is rebased
        // onto it and the node asks to be restarted (in production: exit 75 and its supervisor), here done by the fixture.
        var member = _nodes[f] = await StartAsync(f);
        await Until(() => member.Restarts >= 1, "the member restarted after rebasing onto the group's snapshot");
        // It asked for the restart only once its Raft log had recorded the snapshot (the answer to the leader follows at
        // once): one that went away before answering was sent the same snapshot again after its restart, refused it as
        // one it holds, and never caught up (the leader resent it round after round).
        var (commit, installed) = member.RaftAtRestartRequests[0];
        Assert.True(installed > held && commit >= installed,
            $"restart asked for at commit index {commit} with Raft snapshot {installed}, not the group's (it held {held} records)");
        await CaughtUpAsync(leader);
        Assert.Equal(Hash(leader), Hash(member));
        long snapshot = SnapshotStore.List(member.Config.Journal.Dir)[^1].Sequence;
        Assert.True(snapshot > held, $"the member's newest snapshot ({snapshot}) is not past what it held when stopped ({held})");
        Assert.True(Replication(member).Node!.EntriesApplied < 200, "history was replayed instead of the snapshot installed");
    }

    private Task<ApiServerFixture> StartAsync(int i) => ApiServerFixture.StartAsync(c => Configure(c, i));

    private Hft.Configuration.HftConfig Configure(Hft.Configuration.HftConfig c, int i) => c with
    {
        Journal = c.Journal with { Mode = "sync", Dir = Path.Combine(_dir, $"n{i}", "journal"), SnapshotIntervalSeconds = 0 },
        Replication = c.Replication with
        {
            Enabled = true, NodeId = i, Peers = _ports.Select(p => $"127.0.0.1:{p}").ToArray(), ElectionTimeoutMs = 1000, SnapshotEntries = 100,
        },
    };

    private static ReplicationService Replication(ApiServerFixture node) => node.Server.Services.GetRequiredService<ReplicationService>();

    private async Task<ApiServerFixture> LeaderAsync()
    {
        ApiServerFixture? leader = null;
        await Until(() => (leader = _nodes.SingleOrDefault(n => n?.PipelineIfRunning?.OrderEntryEnabled == true)) is not null, "a leader taking orders");
        return leader!;
    }

    /// <summary>Resting orders (one Raft entry each, placed one after another): A1 bids below 50,000, A2 offers above.</summary>
    private static async Task PlaceAsync(ApiServerFixture leader, int from, int count)
    {
        for (int i = from; i < from + count; i++)
        {
            bool buy = i % 2 == 0;
            var order = Rest.Limit(buy ? "buy" : "sell", $"{(buy ? 49_000 - i % 100 : 51_000 + i % 100)}.00", "0.01");
            (await leader.Client(buy ? "A1" : "A2").Place(order)).AssertStatus(HttpStatusCode.Created);
        }
    }

    /// <summary>
    /// Every node of the group is running (none in a restart: a member sent the group's snapshot while holding state of
    /// its own rebases and restarts, which a busy machine can cause at any time) and its journal holds the leader's last record.
    /// </summary>
    private async Task CaughtUpAsync(ApiServerFixture leader)
    {
        long last = leader.Pipeline.Journal.Stats.LastSequence;
        try
        {
            await Until(() => _nodes.All(n => n is null || n.PipelineIfRunning?.Journal.WrittenSequence >= last), $"every node running and at sequence {last}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + NodeStories(), e);
        }
    }

    /// <summary>Where each node is, and the last lines it logged (without the retries against a member that is away).</summary>
    private string NodeStories() => string.Join("\n", _nodes.Select((n, i) => n is null ? $"== node {i}: stopped" :
        $"== node {i}: restarts {n.Restarts}, journal at {n.PipelineIfRunning?.Journal.WrittenSequence.ToString() ?? "(restarting)"}, "
        + $"raft {Describe(n)}\n" + n.Logs.Tail(60, l => !Noise(l) && !l.Contains(" Debug ", StringComparison.Ordinal))
        + "\n-- its last debug lines --\n" + n.Logs.Tail(30, l => !Noise(l))));

    private static bool Noise(string line) => line.Contains("is unavailable", StringComparison.Ordinal)
        || line.Contains("Installing snapshot", StringComparison.Ordinal) || line.Contains("Election timeout is refreshed", StringComparison.Ordinal);

    private static string Describe(ApiServerFixture node)
    {
        if (node.PipelineIfRunning is null) return "(restarting)";
        var raft = Replication(node).Node;
        return raft is null ? "(none)" : $"commit {raft.CommitIndex}, applied {raft.AppliedIndex}, last {raft.LastIndex}, snapshot {raft.Snapshot}, "
            + $"restored from {raft.RestoredSnapshotIndex}, installed {raft.SnapshotsInstalled}, leader {raft.LeaderEndPoint}";
    }

    /// <summary>The state hash and the journal sequence it is at, taken as /debug/state-hash does (apply gate, shards paused).</summary>
    private static (string Hash, long Sequence) Hash(ApiServerFixture node)
    {
        var pipeline = node.Pipeline;
        lock (pipeline.ApplyGate)
        {
            using var pause = PipelinePause.TryPause(pipeline, TimeSpan.FromSeconds(30)) ?? throw new TimeoutException("shards not paused");
            return (StateHash.Compute(pipeline.Instruments, pipeline.Shards.Select(s => s.Engine), pipeline.RiskBook, pipeline.Accounts.Name),
                pipeline.Journal.Stats.LastSequence);
        }
    }

    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Wait) throw new TimeoutException($"timed out after {Wait.TotalSeconds} s waiting for: {what}");
            await Task.Delay(25);
        }
    }
}
