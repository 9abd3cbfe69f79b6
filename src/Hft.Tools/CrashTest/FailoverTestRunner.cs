using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hft.Client.Rest;
using Hft.Configuration;

namespace Hft.Tools.CrashTest;

/// <summary>
/// <c>hft crashtest --replicated</c>: three real <c>hft serve</c> processes form a Raft group on loopback; clients
/// trade against the leader; the leader is killed with SIGKILL at a random moment; then: another node must take
/// order entry (the time is measured), the killed node restarts and catches up as a follower, every acknowledged
/// order and fill must be on the new leader exactly as acknowledged (<see cref="RecoveryVerifier"/>), no trade may
/// appear twice, and all three nodes must reach the same journal sequence with the same state hash. Repeats.
/// </summary>
public sealed class FailoverTestRunner(CrashTestOptions options, TextWriter stdout, TextWriter stderr)
{
    private const int NodeCount = 3;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_leaderTimeout = TimeSpan.FromSeconds(30);
    private readonly Random _rng = new(options.Seed);
    private readonly List<string> _violations = new();
    private readonly ServerProcess?[] _nodes = new ServerProcess?[NodeCount];
    private readonly int[] _httpPorts = new int[NodeCount];
    private readonly int[] _raftPorts = new int[NodeCount];
    private readonly List<double> _failoverMs = new();
    private readonly List<string> _catchUps = new();
    private readonly AckLedger _ledger = new();
    private readonly HashSet<ServerProcess> _reportedExits = new();
    private string _root = "";
    private Dictionary<string, string> _baseEnv = new();
    private HftConfig _config = null!;
    private long _totalAcks;

    public async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(options.Seconds);
        _root = Directory.CreateTempSubdirectory("hft-failover-").FullName;
        try
        {
            if (!Setup()) return 2;
            stdout.WriteLine($"crashtest --replicated: seed {options.Seed}, journal {options.Mode}, ack {options.Ack}, election timeout "
                + $"{options.ElectionTimeoutMs} ms, 3 nodes (http {string.Join('/', _httpPorts)}, raft {string.Join('/', _raftPorts)}), "
                + $"up to {options.Iterations} leader kill(s) in {options.Seconds} s, data in {_root}");
            if (!await StartGroupAsync()) return Finish(clock, 0);
            var (leader, firstMs) = await WaitLeaderAsync(except: -1, Stopwatch.StartNew());
            if (leader < 0) return Finish(clock, 0);
            stdout.WriteLine($"node {leader} leads after {firstMs:N0} ms");
            int done = 0;
            while (done < options.Iterations && clock.Elapsed < budget && _violations.Count == 0)
            {
                done++;
                var (burst, next, ms) = await BurstAndKillAsync(done, leader);
                if (next < 0) break;
                _failoverMs.Add(ms);
                stdout.Write($"cycle {done}: {burst}; node {next} leads after {ms:N0} ms; ");
                int old = leader;
                leader = next;
                if (!options.Partition || !await RejoinAfterPartitionAsync(done, old)) Start(old);
                if (!await WaitReady(old))
                {
                    _violations.Add($"cycle {done}: node {old} did not rejoin after its kill\n{_nodes[old]!.Output}");
                    break;
                }
                if (!await VerifyAsync(done, leader)) break;
            }
            if (done > 0 && _violations.Count == 0 && clock.Elapsed < budget) await MeasureCatchUpAsync(leader);
            return Finish(clock, done);
        }
        finally
        {
            foreach (var node in _nodes) node?.Dispose();
            ScratchDirectory.Release(_root, options.Keep, stdout);
        }
    }

    private int Finish(Stopwatch clock, int cycles)
    {
        string verdict = Verdict.Write(_violations, stdout);
        if (_failoverMs.Count > 0)
        {
            var sorted = _failoverMs.Order().ToArray();
            stdout.WriteLine($"failover: {sorted.Length} leader kill(s); new leader taking order entry after min {sorted[0]:N0} ms, "
                + $"median {sorted[sorted.Length / 2]:N0} ms, max {sorted[^1]:N0} ms");
        }
        foreach (var c in _catchUps) stdout.WriteLine($"catch-up: {c}");
        stdout.WriteLine($"crashtest --replicated: {cycles} leader kill(s) in {clock.Elapsed.TotalSeconds:F1} s, journal {options.Mode}, ack {options.Ack}, "
            + $"seed {options.Seed}: {_totalAcks} acknowledged commands - {verdict}");
        return _violations.Count == 0 ? 0 : 1;
    }

    private bool Setup()
    {
        if (!DevelopmentProfile.TryConfigDir(stderr, out string? configDir)) return false;
        _baseEnv = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["HFT_JOURNAL__MODE"] = options.Mode,
            ["HFT_SERVER__HTTP_PORT"] = "0",
            ["HFT_GATEWAY__FIX_PORT"] = "0",
            ["HFT_FEED__ENABLED"] = "false", // marks of a feed would move the state on their own
            ["HFT_REPLICATION__ENABLED"] = "true",
            ["HFT_REPLICATION__ACK"] = options.Ack,
            ["HFT_REPLICATION__ELECTION_TIMEOUT_MS"] = options.ElectionTimeoutMs.ToString(CultureInfo.InvariantCulture),
        };
        PickPorts();
        if (configDir is not null) _baseEnv["HFT_CONFIG_DIR"] = configDir;
        return DevelopmentProfile.TryLoad(NodeEnvironment(0).ToDictionary(kv => kv.Key, kv => (string?)kv.Value), stderr, out _config);
    }

    /// <summary>Every member must know the others' ports before any starts, so they are picked free beforehand.</summary>
    private void PickPorts()
    {
        for (int i = 0; i < NodeCount; i++)
        {
            _httpPorts[i] = Loopback.FreePort();
            _raftPorts[i] = Loopback.FreePort();
        }
        _baseEnv["HFT_REPLICATION__PEERS"] = string.Join(',', _raftPorts.Select(p => $"127.0.0.1:{p}"));
        _baseEnv["HFT_REPLICATION__API_URLS"] = string.Join(',', _httpPorts.Select(p => $"http://127.0.0.1:{p}"));
    }

    /// <summary>
    /// Starts the three members. A port picked free can be taken by another process before the member binds it: then
    /// the whole group starts again, empty, on fresh ports (at most three tries); any other failure is a violation.
    /// </summary>
    private async Task<bool> StartGroupAsync()
    {
        for (int attempt = 1; ; attempt++)
        {
            for (int i = 0; i < NodeCount; i++) Start(i);
            int failed = -1;
            for (int i = 0; i < NodeCount && failed < 0; i++)
                if (!await WaitReady(i)) failed = i;
            if (failed < 0) return true;
            string output = _nodes[failed]!.Output;
            if (attempt == 3 || !output.Contains("address already in use", StringComparison.Ordinal))
            {
                _violations.Add($"node {failed} did not become ready\n{output}");
                return false;
            }
            for (int i = 0; i < NodeCount; i++)
            {
                _nodes[i]?.Dispose();
                _nodes[i] = null;
                string dir = Path.Combine(_root, $"node{i}");
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            PickPorts();
            stdout.WriteLine($"node {failed}: a port was taken before it could bind it; the group starts again on fresh ports "
                + $"(http {string.Join('/', _httpPorts)}, raft {string.Join('/', _raftPorts)})");
        }
    }

    private Dictionary<string, string> NodeEnvironment(int node)
    {
        string dir = Path.Combine(_root, $"node{node}");
        return new Dictionary<string, string>(_baseEnv, StringComparer.Ordinal)
        {
            ["HFT_REPLICATION__NODE_ID"] = node.ToString(CultureInfo.InvariantCulture),
            ["HFT_JOURNAL__DIR"] = Path.Combine(dir, "journal"),
            ["HFT_MONITORING__METRICS_PORT"] = _httpPorts[node].ToString(CultureInfo.InvariantCulture),
            ["HFT_GATEWAY__FIX_STORE_DIR"] = Path.Combine(dir, "fix"),
            ["HFT_SERVER__AUDIT_LOG"] = Path.Combine(dir, "audit.log"),
        };
    }

    private void Start(int node)
    {
        _nodes[node]?.Dispose();
        _nodes[node] = ServerProcess.Start(NodeEnvironment(node), _root, _httpPorts[node], "serve", "--profile", "development");
    }

    private async Task<bool> WaitReady(int node)
    {
        using var anonymous = LoopbackApi.Open(_httpPorts[node], null);
        return await _nodes[node]!.WaitReadyAsync(anonymous, s_startTimeout);
    }

    /// <summary>The node (not <paramref name="except"/>) that answers /ready?role=leader, and the time since <paramref name="since"/> started.</summary>
    private async Task<(int Node, double Ms)> WaitLeaderAsync(int except, Stopwatch since)
    {
        var clients = _httpPorts.Select(p => LoopbackApi.Open(p, null)).ToArray();
        try
        {
            while (since.Elapsed < s_leaderTimeout)
            {
                for (int i = 0; i < NodeCount; i++)
                {
                    if (i == except || _nodes[i] is not { HasExited: false }) continue;
                    var reply = await clients[i].ReadyAsync("leader");
                    if (reply.Status == 200) return (i, since.Elapsed.TotalMilliseconds);
                }
                await Task.Delay(10);
            }
            _violations.Add($"no node took order entry within {s_leaderTimeout.TotalSeconds:N0} s" + (except >= 0 ? $" after node {except} was killed" : ""));
            return (-1, 0);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    /// <summary>
    /// Clients trade on the leader until it is killed (or frozen); the summary, and the node that took order entry after
    /// it with the time from the kill. The wait for a new leader starts at the kill, alongside the clients noticing it
    /// (clients of a frozen leader notice only at their request timeout, which is no part of the failover).
    /// </summary>
    private async Task<(string Summary, int Leader, double Ms)> BurstAndKillAsync(int cycle, int leader)
    {
        var node = _nodes[leader]!;
        string inFlight = "";
        Task<(int Node, double Ms)>? failover = null;
        var burst = await TradingBurst.RunAsync(_httpPorts[leader], _config, _ledger, options, _rng, $"r{cycle}",
            () =>
            {
                inFlight = InFlightAt(leader);
                if (options.Partition) node.Signal("STOP");
                else node.Kill();
                failover = WaitLeaderAsync(except: leader, Stopwatch.StartNew());
            },
            problem => _violations.Add($"cycle {cycle}: {problem}"));
        _totalAcks += burst.Acks;
        var (next, ms) = await failover!;
        return ($"{burst.Acks} acks, {burst.Unanswered} unanswered, leader node {leader} "
            + (options.Partition ? "frozen (SIGSTOP)" : "kill -9") + $" after {burst.KillAfterMs} ms{inFlight}", next, ms);
    }

    /// <summary>The leader's replication pipeline just before the kill: entries in the Raft log not committed yet, and the most so far.</summary>
    private string InFlightAt(int leader)
    {
        using var api = new HftRestClient(HftRestClientOptions.Loopback(_httpPorts[leader]) with { Timeout = TimeSpan.FromSeconds(1) });
        var root = api.ReplicationStatusAsync().GetAwaiter().GetResult().Body;
        return root.ValueKind == System.Text.Json.JsonValueKind.Object
            && root.TryGetProperty("entriesInFlight", out var now) && root.TryGetProperty("maxEntriesInFlight", out var max)
            ? $" with {now.GetInt32()} Raft entries in flight (at most {max.GetInt32()} so far)"
            : "";
    }

    /// <summary>
    /// The frozen old leader is resumed after a new one took over. It must not take order entry again: it follows, or
    /// (holding records the group never committed) exits with code 75. True when it is running as a follower.
    /// </summary>
    private async Task<bool> RejoinAfterPartitionAsync(int cycle, int old)
    {
        var node = _nodes[old]!;
        node.Signal("CONT");
        using var anonymous = LoopbackApi.Open(_httpPorts[old], null);
        var clock = Stopwatch.StartNew();
        var following = Stopwatch.StartNew();
        bool wasFollowing = false;
        while (clock.Elapsed < TimeSpan.FromSeconds(45))
        {
            if (node.HasExited)
            {
                if (node.ExitCode != 75) _violations.Add($"cycle {cycle}: the resumed old leader exited with {node.ExitCode}, not 75\n{node.Output}");
                else stdout.Write("old leader exited 75 (uncommitted records), restarted; ");
                return false;
            }
            // Following for good: ready (a diverged node is not: it waits for its log to be reconciled, then exits 75).
            var status = await anonymous.ReplicationStatusAsync();
            var ready = await anonymous.ReadyAsync();
            bool follows = status.Status == 200 && status.Str("role") == "follower" && ready.Status == 200;
            if (follows && !wasFollowing) following.Restart();
            wasFollowing = follows;
            if (follows && following.Elapsed > TimeSpan.FromSeconds(1))
            {
                stdout.Write("old leader resumed as follower; ");
                return true;
            }
            await Task.Delay(20);
        }
        _violations.Add($"cycle {cycle}: the resumed old leader neither followed nor exited within 45 s");
        return false;
    }

    /// <summary>The new leader holds every acknowledged fact; all nodes converge on one journal sequence and one state hash.</summary>
    private async Task<bool> VerifyAsync(int cycle, int leader)
    {
        var clock = Stopwatch.StartNew();
        var (sequence, hashes) = await ConvergeAsync(leader);
        if (hashes is null)
        {
            var detail = new System.Text.StringBuilder();
            for (int i = 0; i < NodeCount; i++)
            {
                using var api = LoopbackApi.Open(_httpPorts[i], null);
                var status = await api.ReplicationStatusAsync();
                detail.Append($"\nnode {i}: {status.Status} {status.Text}\n  ")
                    .Append(string.Join("\n  ", (_nodes[i]?.Output ?? "").Split('\n').TakeLast(15)));
            }
            _violations.Add($"cycle {cycle}: the nodes did not reach one journal sequence within 30 s{detail}");
            return false;
        }
        if (hashes.Distinct().Count() != 1)
            _violations.Add($"cycle {cycle}: state hashes differ at journal sequence {sequence}: {string.Join(", ", hashes.Select((h, i) => $"node {i} {h[..12]}"))}");
        using var a1 = LoopbackApi.Open(_httpPorts[leader], TradingBurst.TraderToken(_config, "A1"));
        using var a2 = LoopbackApi.Open(_httpPorts[leader], TradingBurst.TraderToken(_config, "A2"));
        using var admin = LoopbackApi.Open(_httpPorts[leader], TradingBurst.AdminToken(_config));
        var (state, problem) = await RecoveredState.ReadAsync(admin, new Dictionary<string, HftRestClient> { ["A1"] = a1, ["A2"] = a2 });
        if (state is null)
        {
            _violations.Add($"cycle {cycle}: {problem}");
            return false;
        }
        var found = RecoveryVerifier.Check(_ledger, state, hashes[leader], sequence);
        foreach (var v in found) _violations.Add($"cycle {cycle}: {v}");
        RecoveryVerifier.Rebase(_ledger, state);
        stdout.WriteLine($"3 nodes at seq {sequence}, hash {hashes[leader][..12]} on all: {state.Orders.Count} orders, {state.Fills.Count / 2} trades, "
            + $"A1 position {state.Positions.GetValueOrDefault("A1")}, checked in {clock.Elapsed.TotalSeconds:F1} s: {(found.Count == 0 ? "ok" : $"{found.Count} violation(s)")}");
        if (state.OrderCounts.Values.Any(n => n > RecoveredState.OrderLimit - 1500) || state.FillCounts.Values.Any(n => n > RecoveredState.FillLimit - 400))
        {
            stdout.WriteLine("crashtest --replicated: order/trade listings near their limits; stopping the cycles here");
            return false;
        }
        return found.Count == 0;
    }

    /// <summary>Waits until every node reports the same journal sequence twice in a row; then each node's state hash.</summary>
    private async Task<(long Sequence, string[]? Hashes)> ConvergeAsync(int leader)
    {
        int probes = 0;
        string admin = TradingBurst.AdminToken(_config); // /debug/state-hash needs one
        var clients = _httpPorts.Select(p => LoopbackApi.Open(p, admin)).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            long previous = -1;
            while (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                RestartExited();
                var seqs = new long[NodeCount];
                for (int i = 0; i < NodeCount; i++)
                {
                    var reply = await clients[i].ReplicationStatusAsync();
                    seqs[i] = reply.Status == 200 ? reply.Body.GetProperty("journalSequence").GetInt64() : -1 - i;
                }
                // A node AHEAD of the leader holds a record the group never committed (a deposed leader's tail that its
                // restart applied again). The next record the group commits reveals it: the node cuts its journal and
                // restarts (exit 75). Trading would bring that record at once; an idle test places one order to do so.
                if (seqs[leader] >= 0 && seqs.Any(q => q > seqs[leader]) && clock.Elapsed > TimeSpan.FromSeconds(3) && probes < 3)
                {
                    probes++;
                    await ProbeAsync(leader, probes);
                }
                if (seqs.Distinct().Count() == 1 && seqs[0] == previous)
                {
                    var hashes = new string[NodeCount];
                    for (int i = 0; i < NodeCount; i++)
                    {
                        var h = await clients[i].StateHashAsync();
                        if (h.Status != 200 || h.Body.GetProperty("journalSequence").GetInt64() != seqs[0]) goto retry;
                        hashes[i] = h.Str("hash");
                    }
                    return (seqs[0], hashes);
                }
            retry:
                previous = seqs.Distinct().Count() == 1 ? seqs[0] : -1;
                await Task.Delay(50);
            }
            return (-1, null);
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    /// <summary>One IOC order on the leader (recorded in the ledger like any acknowledged order).</summary>
    private async Task ProbeAsync(int leader, int n)
    {
        using var a1 = LoopbackApi.Open(_httpPorts[leader], TradingBurst.TraderToken(_config, "A1"));
        string cid = $"probe-{Guid.NewGuid():N}"[..24];
        var reply = await a1.PlaceOrderAsync(new RestOrder("BTCUSD", "buy", "limit", "ioc", "49500.00", "0.01", cid));
        if (reply.Status != 201)
        {
            _ledger.MustNotExist[cid] = "A1";
            return;
        }
        long id = reply.Body.GetProperty("id").GetInt64();
        _ledger.Orders[id] = new OrderFacts
        {
            Id = id, ClientOrderId = cid, Account = "A1", Status = reply.Str("status"), Filled = reply.Dec("filledQty"), Remaining = reply.Dec("remainingQty"),
        };
        stdout.Write($"a node was ahead of the leader: probe order {n} placed; ");
    }

    /// <summary>The supervisor's part: a node that exited with 75 (its state is not the group's) is started again.</summary>
    private void RestartExited()
    {
        for (int i = 0; i < NodeCount; i++)
        {
            if (_nodes[i] is not { HasExited: true } node) continue;
            if (node.ExitCode != 75)
            {
                if (_reportedExits.Add(node)) _violations.Add($"node {i} exited with {node.ExitCode}\n{node.Output}");
                continue;
            }
            stdout.Write($"node {i} exited 75 (diverged from the group's log), restarted; ");
            Start(i);
        }
    }

    /// <summary>
    /// A follower is stopped (kill -9) while the leader acknowledges a bounded stream of orders, then restarted: the
    /// time until it holds the leader's journal sequence, and the records it had to take from the log.
    /// </summary>
    private async Task MeasureCatchUpAsync(int leader)
    {
        int follower = (leader + 1) % NodeCount;
        using var anonymousFollower = LoopbackApi.Open(_httpPorts[follower], null);
        using var anonymousLeader = LoopbackApi.Open(_httpPorts[leader], null);
        if (await JournalSequenceAsync(anonymousFollower, follower) is not { } before) return;
        _nodes[follower]!.Kill();
        using var a1 = LoopbackApi.Open(_httpPorts[leader], TradingBurst.TraderToken(_config, "A1"));
        var stream = Stopwatch.StartNew();
        int placed = 0;
        string stopped = "3000 orders or 15 s";
        for (int i = 0; i < 3000 && stream.Elapsed < TimeSpan.FromSeconds(15); i++)
        {
            var reply = await a1.PlaceOrderAsync(new RestOrder("BTCUSD", "buy", "limit", "ioc", "49500.00", "0.01"));
            if (reply.Status != 201)
            {
                stopped = $"order {i + 1} answered {reply.Status} {reply.Failure} {reply.Text}";
                break;
            }
            placed++;
        }
        if (placed == 0)
        {
            _violations.Add($"catch-up: the leader (node {leader}) took no order with a follower down: {stopped}");
            return;
        }
        if (await JournalSequenceAsync(anonymousLeader, leader) is not { } target) return;
        var restart = Stopwatch.StartNew();
        Start(follower);
        while (restart.Elapsed < TimeSpan.FromSeconds(60))
        {
            var reply = await anonymousFollower.ReplicationStatusAsync();
            if (JournalSequence(reply) >= target)
            {
                double ms = restart.Elapsed.TotalMilliseconds;
                long behind = target - before;
                _catchUps.Add($"follower node {follower} down while the leader took {placed} orders ({behind} journal records; stream ended at {stopped}); restarted and "
                    + $"at seq {target} after {ms:N0} ms (process start, local recovery and log catch-up: {behind / Math.Max(ms, 1) * 1000:N0} records/s overall)");
                return;
            }
            await Task.Delay(10);
        }
        var detail = new System.Text.StringBuilder($"catch-up: node {follower} did not reach seq {target} within 60 s; the leader's stream "
            + $"stopped after {placed} order(s) ({stopped})");
        for (int i = 0; i < NodeCount; i++)
        {
            using var api = LoopbackApi.Open(_httpPorts[i], null);
            var status = await api.ReplicationStatusAsync();
            detail.Append($"\nnode {i}: {status.Status} {status.Text}\n  ")
                .Append(string.Join("\n  ", (_nodes[i]?.Output ?? "").Split('\n').TakeLast(i == follower || i == leader ? 40 : 15)));
        }
        _violations.Add(detail.ToString());
    }

    /// <summary>The node's journal sequence from /replication/status; null (and a violation naming the answer) when it gave none.</summary>
    private async Task<long?> JournalSequenceAsync(HftRestClient client, int node)
    {
        var reply = await client.ReplicationStatusAsync();
        long sequence = JournalSequence(reply);
        if (sequence >= 0) return sequence;
        _violations.Add($"catch-up: node {node} gave no journal sequence at /replication/status (HTTP {reply.Status}: {reply.Text})");
        return null;
    }

    private static long JournalSequence(RestReply reply)
        => reply.Status == 200 && reply.Body.ValueKind == JsonValueKind.Object && reply.Body.TryGetProperty("journalSequence", out var seq)
            && seq.ValueKind == JsonValueKind.Number ? seq.GetInt64() : -1;
}
