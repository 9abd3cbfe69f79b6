using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Hft.Client.Rest;
using Hft.Configuration;
using Hft.Journal;
using Hft.Node;
using Hft.Pipeline;
using Hft.Pipeline.Recovery;

namespace Hft.Tools.CrashTest;

/// <summary>
/// <c>hft crashtest</c>: start the real server, trade against it from concurrent clients, kill -9 it at a random
/// moment, recover its journal offline, restart it and verify (see <see cref="RecoveryVerifier"/>); repeat.
/// </summary>
public sealed partial class CrashTestRunner(CrashTestOptions options, TextWriter stdout, TextWriter stderr)
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private readonly Random _rng = new(options.Seed);
    private readonly List<string> _violations = new();
    private string _root = "";
    private string _dataDir = "";
    private int _epoch;
    private Dictionary<string, string?> _configEnv = new();
    private HftConfig _config = null!;
    private AckLedger _ledger = new();
    private ServerProcess? _server;
    private long _totalAcks, _totalRecords;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        foreach (var a in args)
        {
            if (a is "-h" or "--help") { stdout.WriteLine(CrashTestOptions.Help); return 0; }
        }
        if (!CrashTestOptions.TryParse(args, out var options, out var error))
        {
            stderr.WriteLine($"hft crashtest: {error}");
            return 2;
        }
        return options.Replicated
            ? new FailoverTestRunner(options, stdout, stderr).RunAsync().GetAwaiter().GetResult()
            : new CrashTestRunner(options, stdout, stderr).RunAsync().GetAwaiter().GetResult();
    }

    public async Task<int> RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var budget = TimeSpan.FromSeconds(options.Seconds);
        _root = Directory.CreateTempSubdirectory("hft-crashtest-").FullName;
        try
        {
            NewEpoch();
            if (!Setup()) return 2;
            stdout.WriteLine($"crashtest: seed {options.Seed}, mode {options.Mode}, up to {options.Iterations} kill -9 cycles in {options.Seconds} s, "
                + $"{options.ClientsPerAccount} client(s) per account, data in {_root}");
            // Cycle 0: an empty data dir starts with 0 records and hashes like an offline replay of nothing.
            if (!await RestartAndVerifyAsync(0, expectEmpty: true)) return Finish(clock, 0);
            int done = 0;
            while (done < options.Iterations && clock.Elapsed < budget && _violations.Count == 0)
            {
                done++;
                var burst = await BurstAndKillAsync(done);
                stdout.Write($"cycle {done}: {burst}; ");
                if (!await RestartAndVerifyAsync(done, expectEmpty: false)) break;
            }
            return Finish(clock, done);
        }
        finally
        {
            _server?.Dispose();
            ScratchDirectory.Release(_root, options.Keep, stdout);
        }
    }

    private int Finish(Stopwatch clock, int cycles)
    {
        string verdict = Verdict.Write(_violations, stdout);
        stdout.WriteLine($"crashtest: {cycles} kill -9 cycle(s) in {clock.Elapsed.TotalSeconds:F1} s, mode {options.Mode}, seed {options.Seed}: "
            + $"{_totalAcks} acknowledged commands, {_totalRecords} journal records recovered in total, {_epoch} data dir(s) - {verdict}");
        return _violations.Count == 0 ? 0 : 1;
    }

    /// <summary>The environment the server and the offline replay share; false when the profile cannot be loaded.</summary>
    private bool Setup()
    {
        if (!DevelopmentProfile.TryConfigDir(stderr, out string? configDir)) return false;
        _configEnv = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HFT_JOURNAL__MODE"] = options.Mode,
            ["HFT_SERVER__HTTP_PORT"] = "0",
            ["HFT_GATEWAY__FIX_PORT"] = "0", // the FIX acceptor (on in development) on a free port, its files under the test's root
            ["HFT_GATEWAY__FIX_STORE_DIR"] = Path.Combine(_root, "fix"),
            ["HFT_SERVER__AUDIT_LOG"] = Path.Combine(_root, "audit.log"),
            // The reference price feed changes the state on its own (journaled marks): the restarted server's hash
            // would move between recovery and the comparison. The feed's replay is tested in Hft.Server.Tests/Feed.
            ["HFT_FEED__ENABLED"] = "false",
        };
        if (configDir is not null) _configEnv["HFT_CONFIG_DIR"] = configDir;
        return DevelopmentProfile.TryLoad(ServerEnvironment(), stderr, out _config);
    }

    private Dictionary<string, string?> ServerEnvironment(int? port = null)
    {
        var env = new Dictionary<string, string?>(_configEnv, StringComparer.Ordinal) { ["HFT_JOURNAL__DIR"] = _dataDir };
        if (port is { } p) env["HFT_MONITORING__METRICS_PORT"] = p.ToString(CultureInfo.InvariantCulture);
        return env;
    }

    /// <summary>A fresh data dir and ledger (the listings of orders and fills are bounded, so long runs rotate).</summary>
    private void NewEpoch()
    {
        _epoch++;
        _dataDir = Path.Combine(_root, $"data-{_epoch}");
        _ledger = new AckLedger();
    }

    /// <summary>Clients trade until a random moment, then the server gets SIGKILL; returns a summary.</summary>
    private async Task<string> BurstAndKillAsync(int cycle)
    {
        var burst = await TradingBurst.RunAsync(_server!.Port, _config, _ledger, options, _rng, $"e{_epoch}c{cycle}", _server.Kill,
            problem => _violations.Add($"cycle {cycle}: {problem}"));
        _totalAcks += burst.Acks;
        return $"{burst.Acks} acks, {burst.Unanswered} unanswered, kill -9 after {burst.KillAfterMs} ms";
    }

    /// <summary>Recovers the journal offline, restarts the server and verifies what it recovered.</summary>
    private async Task<bool> RestartAndVerifyAsync(int cycle, bool expectEmpty)
    {
        var clock = Stopwatch.StartNew();
        string offlineHash;
        RecoveryReport offline;
        try
        {
            (offlineHash, offline, _) = OfflineRecovery.Recover(_config with { Journal = _config.Journal with { Dir = _dataDir } }, _dataDir);
        }
        catch (JournalCorruptException e)
        {
            _violations.Add($"cycle {cycle}: offline replay: {e.Message}");
            stdout.WriteLine("offline replay FAILED");
            return false;
        }
        GC.Collect();
        _totalRecords += offline.RecordsReplayed;
        if (expectEmpty && offline.RecordsReplayed != 0) _violations.Add($"cycle {cycle}: an empty data dir replayed {offline.RecordsReplayed} records");

        int port = Loopback.FreePort();
        var env = ServerEnvironment(port).ToDictionary(kv => kv.Key, kv => kv.Value ?? "", StringComparer.Ordinal);
        _server?.Dispose();
        _server = ServerProcess.Start(env, _root, port, "serve", "--profile", "development");
        using var anonymous = LoopbackApi.Open(port, null);
        if (!await _server.WaitReadyAsync(anonymous, s_startTimeout))
        {
            _violations.Add($"cycle {cycle}: the server did not become ready after the kill (exited: {_server.HasExited})\n{_server.Output}");
            stdout.WriteLine("restart FAILED");
            return false;
        }
        if (RecordsReplayedLine().Match(_server.Output) is { Success: true } m
            && long.Parse(m.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) != offline.RecordsReplayed)
            _violations.Add($"cycle {cycle}: the server replayed {m.Groups[1].Value} records, the offline replay {offline.RecordsReplayed}");

        using var a1 = LoopbackApi.Open(port, TradingBurst.TraderToken(_config, "A1"));
        using var a2 = LoopbackApi.Open(port, TradingBurst.TraderToken(_config, "A2"));
        using var admin = LoopbackApi.Open(port, TradingBurst.AdminToken(_config));
        var (state, problem) = await RecoveredState.ReadAsync(admin, new Dictionary<string, HftRestClient> { ["A1"] = a1, ["A2"] = a2 });
        if (state is null)
        {
            _violations.Add($"cycle {cycle}: {problem}");
            return false;
        }
        var found = RecoveryVerifier.Check(_ledger, state, offlineHash, offline.LastSequence);
        foreach (var v in found) _violations.Add($"cycle {cycle}: {v}");
        RecoveryVerifier.Rebase(_ledger, state);
        stdout.WriteLine($"recovered {offline.RecordsReplayed} records (seq {offline.LastSequence}{(offline.Warnings.Count > 0 ? ", " + string.Join("; ", offline.Warnings) : "")}), "
            + $"{state.Orders.Count} orders, {state.Fills.Count / 2} trades, A1 position {state.Positions.GetValueOrDefault("A1")}, hash {offlineHash[..12]} "
            + $"in {clock.Elapsed.TotalSeconds:F1} s: {(found.Count == 0 ? "ok" : $"{found.Count} violation(s)")}");

        // Order and trade listings are bounded: start a fresh data dir before they would be cut.
        if (state.OrderCounts.Values.Any(n => n > RecoveredState.OrderLimit - 1500) || state.FillCounts.Values.Any(n => n > RecoveredState.FillLimit - 400))
        {
            _server.Kill();
            NewEpoch();
            stdout.WriteLine($"crashtest: new data dir {_dataDir}");
            return await RestartAndVerifyAsync(cycle, expectEmpty: true);
        }
        return found.Count == 0;
    }

    [GeneratedRegex(@"(\d[\d,]*) journal records replayed")]
    private static partial Regex RecordsReplayedLine();
}
