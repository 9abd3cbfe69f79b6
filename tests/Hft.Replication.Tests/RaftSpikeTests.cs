using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNext.Net.Cluster.Consensus.Raft;
using Hft.Tools;
using Xunit.Abstractions;

namespace Hft.Replication.Tests;

/// <summary>
/// Proves the chosen replication engine (docs/ARCHITECTURE.md, "Replication: decision, design and limits") works on
/// this machine: three real DotNext Raft members on loopback elect one leader, entries appended on the leader are
/// committed and applied on every member in the same order, and after the leader stops a new one is elected and the
/// log goes on.
/// </summary>
public sealed class RaftSpikeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ElectionWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ApplyWait = TimeSpan.FromSeconds(10);

    // A restarted member is seen again by the leader only after its reconnect back-off (observed 0.2-5 s here).
    private static readonly TimeSpan CatchUpWait = TimeSpan.FromSeconds(20);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-raft-" + Guid.NewGuid().ToString("N"));
    private readonly List<RaftTestNode> _nodes = new();
    private IPEndPoint[] _endPoints = [];

    public async Task InitializeAsync()
    {
        _endPoints = Enumerable.Range(0, 3).Select(_ => new IPEndPoint(IPAddress.Loopback, Loopback.FreePort())).ToArray();
        for (int i = 0; i < _endPoints.Length; i++)
            _nodes.Add(await RaftTestNode.StartAsync(_endPoints[i], _endPoints, NodeDir(i)));
    }

    private string NodeDir(int index) => Path.Combine(_dir, $"node{index}");

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Three_members_elect_a_leader_replicate_in_order_and_fail_over_when_it_stops()
    {
        var clock = Stopwatch.StartNew();
        var leader = await WaitForSingleLeader(_nodes);
        output.WriteLine($"first leader {leader.EndPoint} after {clock.ElapsedMilliseconds} ms");

        long[] first = Enumerable.Range(1, 20).Select(i => (long)i).ToArray();
        foreach (long value in first) await ReplicateOnLeader(value);
        foreach (var node in _nodes) Assert.Equal(first, await WaitApplied(node, first.Length));

        leader = await WaitForSingleLeader(_nodes);
        await leader.StopAsync();
        clock.Restart();
        var successor = await WaitForSingleLeader(_nodes);
        output.WriteLine($"leader {leader.EndPoint} stopped; new leader {successor.EndPoint} after {clock.ElapsedMilliseconds} ms");
        Assert.NotSame(leader, successor);

        long[] all = Enumerable.Range(1, 25).Select(i => (long)i).ToArray();
        foreach (long value in all[first.Length..]) await ReplicateOnLeader(value);
        foreach (var node in _nodes.Where(n => !n.IsStopped)) Assert.Equal(all, await WaitApplied(node, all.Length));
        // The stopped member committed exactly the first batch: nothing after it, nothing twice.
        Assert.Equal(first, leader.Machine.Applied);
    }

    [Fact]
    public async Task A_follower_that_was_down_restarts_from_its_own_log_and_catches_up_in_order()
    {
        var leader = await WaitForSingleLeader(_nodes);
        long[] before = Enumerable.Range(1, 10).Select(i => (long)i).ToArray();
        foreach (long value in before) await ReplicateOnLeader(value);
        int down = _nodes.FindIndex(n => !n.IsLeader);
        Assert.Equal(before, await WaitApplied(_nodes[down], before.Length));
        await _nodes[down].DisposeAsync();

        long[] all = Enumerable.Range(1, 60).Select(i => (long)i).ToArray();
        foreach (long value in all[before.Length..]) await ReplicateOnLeader(value); // committed by the 2 of 3 still up

        // Same address, same directory (its log and Raft state survive); it must end with exactly the committed log.
        var clock = Stopwatch.StartNew();
        _nodes[down] = await RaftTestNode.StartAsync(_endPoints[down], _endPoints, NodeDir(down));
        var caughtUp = await WaitApplied(_nodes[down], all.Length, CatchUpWait);
        output.WriteLine($"restarted follower applied {caughtUp.Length} entries after {clock.ElapsedMilliseconds} ms (leader {leader.EndPoint})");
        Assert.Equal(all, caughtUp);
        foreach (var node in _nodes) Assert.Equal(all, await WaitApplied(node, all.Length));
    }

    /// <summary>
    /// Appends on whoever leads now. A NotLeaderException is retried on the then leader; it does NOT prove nothing was
    /// written (a run here saw the first attempt committed too), so the state machine dedupes by value - the lesson
    /// for the pipeline: replicated commands carry an id and apply is idempotent on it. Anything else fails the test.
    /// </summary>
    private async Task ReplicateOnLeader(long value)
    {
        for (int attempt = 0; ; attempt++)
        {
            var leader = await WaitForSingleLeader(_nodes);
            using var timeout = new CancellationTokenSource(ApplyWait);
            try
            {
                await leader.ReplicateAsync(value, timeout.Token);
                return;
            }
            catch (NotLeaderException) when (attempt < 5)
            {
                // the first attempt may still be committed by the next leader: applying dedupes by value (request id)
                output.WriteLine($"value {value}: {leader.EndPoint} lost leadership while appending; retrying");
            }
        }
    }

    private static async Task<RaftTestNode> WaitForSingleLeader(IReadOnlyList<RaftTestNode> nodes)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ElectionWait)
        {
            var leaders = nodes.Where(n => n.IsLeader).ToArray();
            if (leaders.Length == 1) return leaders[0];
            await Task.Delay(20);
        }
        throw new TimeoutException($"no single leader among {nodes.Count(n => !n.IsStopped)} running members within {ElectionWait.TotalSeconds} s");
    }

    private static async Task<long[]> WaitApplied(RaftTestNode node, int count, TimeSpan? wait = null)
    {
        var clock = Stopwatch.StartNew();
        long[] applied = node.Machine.Applied;
        while (applied.Length < count && clock.Elapsed < (wait ?? ApplyWait))
        {
            await Task.Delay(20);
            applied = node.Machine.Applied;
        }
        return applied;
    }
}
