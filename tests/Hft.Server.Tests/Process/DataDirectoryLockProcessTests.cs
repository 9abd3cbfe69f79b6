using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Hft.Journal;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Process;

/// <summary>
/// One process per data directory, between real <c>hft</c> processes: a second <c>hft serve</c> on a running
/// server's journal directory exits 2 with one line naming the directory and the holder, while the first keeps
/// acknowledging; after a kill -9 of the holder a new server starts at once with every acknowledged order. Offline
/// backup and restore are refused the same way, replay reads a copy; a server refuses to run where the lock would not
/// be in force.
/// </summary>
public sealed class DataDirectoryLockProcessTests : IDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hft-datadir-lock-");

    private string JournalDir => Path.Combine(_work.FullName, "journal");

    private string FullJournalDir => DataDirectoryLock.FullPath(JournalDir);

    public void Dispose()
    {
        try { _work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// A server on the shared journal directory, in a working directory of its own (<paramref name="name"/>): its
    /// FIX store (data/fix, relative) is its own, so the journal directory is all two servers share.
    /// </summary>
    private (Dictionary<string, string> Env, string WorkingDirectory) Serve(string name, int port)
    {
        string cwd = Directory.CreateDirectory(Path.Combine(_work.FullName, name)).FullName;
        var env = new Dictionary<string, string>
        {
            ["HFT_CONFIG_DIR"] = Repo.ConfigDir,
            ["HFT_MONITORING__METRICS_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["HFT_GATEWAY__FIX_PORT"] = "0",
            ["HFT_JOURNAL__MODE"] = "sync",
            ["HFT_JOURNAL__DIR"] = JournalDir,
            ["HFT_JOURNAL__SNAPSHOT_INTERVAL_SECONDS"] = "0", // no periodic snapshot: the directory changes only with orders
            ["HFT_FEED__ENABLED"] = "false",
        };
        return (env, cwd);
    }

    private async Task<(HftProcess Process, int Port)> StartAsync(string name)
    {
        string cwd = Serve(name, 0).WorkingDirectory;
        return await HftProcess.StartServeAsync(["serve"], port => Serve(name, port).Env, cwd, s_startTimeout);
    }

    private static async Task<HttpClient> TraderAsync(int port, string account)
    {
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        var token = (await anonymous.Post("api/v1/auth/token", new { apiKey = $"dev-key-{account}" })).AssertStatus(HttpStatusCode.OK).Str("token");
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(20) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task PlaceRestingAsync(HttpClient trader, string clientOrderId, int i)
        => (await trader.Place(Rest.Limit("buy", (49_000 + i).ToString(CultureInfo.InvariantCulture), "0.1", clientOrderId: clientOrderId)))
            .AssertStatus(HttpStatusCode.Created);

    private static async Task<List<string>> OpenClientOrderIdsAsync(HttpClient trader)
        => (await trader.Get("api/v1/orders?status=open")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray()
            .Select(o => o.GetProperty("clientOrderId").GetString()!).Order(StringComparer.Ordinal).ToList();

    private static async Task StopAsync(HftProcess server)
    {
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(s_exitTimeout));
    }

    /// <summary>Runs an <c>hft</c> command to its end; asserts exit 2 and exactly one line on stderr, and returns it.</summary>
    private async Task<string> RefusedWithOneLineAsync(string[] args)
    {
        var (exit, run) = await HftProcess.RunAsync(args, new Dictionary<string, string> { ["HFT_CONFIG_DIR"] = Repo.ConfigDir }, s_exitTimeout,
            _work.FullName);
        using (run)
        {
            Assert.True(exit == 2, $"hft {string.Join(' ', args)}: exit {exit}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
            return Assert.Single(run.StderrLines, l => l.Length > 0);
        }
    }

    [Fact]
    public async Task A_second_server_on_the_journal_directory_exits_2_and_after_a_kill_9_of_the_first_a_restart_has_every_acknowledged_order()
    {
        var (a, portA) = await StartAsync("a");
        using (a)
        {
            using var traderA = await TraderAsync(portA, "A1");
            for (int i = 1; i <= 3; i++) await PlaceRestingAsync(traderA, $"a{i}", i);

            // The probe: server B, its own ports, the same journal directory, started after a3.
            var (envB, cwdB) = Serve("b", HftProcess.FreePort());
            var (exitB, b) = await HftProcess.RunAsync(["serve"], envB, s_exitTimeout, cwdB);
            using (b)
            {
                Assert.True(exitB == 2, $"exit {exitB}\nstdout:\n{b.Stdout}\nstderr:\n{b.Stderr}");
                string line = Assert.Single(b.StderrLines, l => l.Length > 0);
                Assert.StartsWith($"hft serve: journal directory '{FullJournalDir}' is in use by another process: pid {a.Pid} on {Environment.MachineName} (hft serve), since ",
                    line, StringComparison.Ordinal);
                Assert.DoesNotContain("listening", b.Stdout, StringComparison.Ordinal);
            }

            // A goes on acknowledging, alone on its journal (sync: acknowledged means on disk).
            for (int i = 4; i <= 5; i++) await PlaceRestingAsync(traderA, $"a{i}", i);
        } // kill -9, waited for: A releases nothing itself

        // The kernel dropped A's lock with A: a new server starts at once and recovers everything A acknowledged.
        var (restarted, port) = await StartAsync("restart");
        using (restarted)
        {
            using var trader = await TraderAsync(port, "A1");
            Assert.Equal(["a1", "a2", "a3", "a4", "a5"], await OpenClientOrderIdsAsync(trader));
            await StopAsync(restarted);
        }
    }

    [Fact]
    public async Task Offline_backup_and_restore_are_refused_while_a_server_holds_the_directory_and_replay_reads_a_copy()
    {
        string archive = Path.Combine(_work.FullName, "offline.tar.gz");
        var (first, port) = await StartAsync("first");
        using (first)
        {
            using var trader = await TraderAsync(port, "A1");
            await PlaceRestingAsync(trader, "kept-1", 1);
            await StopAsync(first);
        }
        var (backupExit, backup) = await HftProcess.RunAsync(["backup", "--out", archive, "--data", JournalDir], new Dictionary<string, string>(),
            s_exitTimeout, _work.FullName);
        using (backup) Assert.True(backupExit == 0, $"offline backup of a stopped server: exit {backupExit}\n{backup.Stdout}\n{backup.Stderr}");

        var (server, serverPort) = await StartAsync("server");
        using (server)
        {
            using var trader = await TraderAsync(serverPort, "A1");
            await PlaceRestingAsync(trader, "kept-2", 2);
            string holder = $"is in use by another process: pid {server.Pid} on {Environment.MachineName} (hft serve)";
            var files = Listing(JournalDir);

            string refusedBackup = await RefusedWithOneLineAsync(["backup", "--out", Path.Combine(_work.FullName, "refused.tar.gz"), "--data", JournalDir]);
            Assert.StartsWith($"hft backup: data directory '{FullJournalDir}' {holder}", refusedBackup, StringComparison.Ordinal);
            Assert.Contains("--url", refusedBackup, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_work.FullName, "refused.tar.gz")));

            string refusedRestore = await RefusedWithOneLineAsync(["restore", archive, "--data", JournalDir, "--force"]);
            Assert.StartsWith($"hft restore: data directory '{FullJournalDir}' {holder}", refusedRestore, StringComparison.Ordinal);

            // Replay of the live journal still works, on a copy: it reaches both acknowledged orders (kept-1 from
            // the shutdown snapshot, kept-2 from the journal after it).
            var (replayExit, replay) = await HftProcess.RunAsync(["replay", "--journal", JournalDir],
                new Dictionary<string, string> { ["HFT_CONFIG_DIR"] = Repo.ConfigDir }, s_exitTimeout, _work.FullName);
            using (replay)
            {
                Assert.True(replayExit == 0, $"replay: exit {replayExit}\nstdout:\n{replay.Stdout}\nstderr:\n{replay.Stderr}");
                Assert.Contains(replay.StderrLines, l => l.StartsWith($"hft replay: journal directory '{FullJournalDir}' {holder}", StringComparison.Ordinal)
                    && l.EndsWith("replayed a consistent copy of it (its complete records so far)", StringComparison.Ordinal));
                var hash = System.Text.Json.JsonDocument.Parse(replay.Stdout.Split('\n').Single(l => l.Contains("state_hash", StringComparison.Ordinal))).RootElement;
                Assert.True(hash.GetProperty("lastSequence").GetInt64() >= 2 && hash.GetProperty("records").GetInt64() >= 1, replay.Stdout);
            }

            // Nothing was touched: the server's files are as they were, and it still trades on them.
            Assert.Equal(files, Listing(JournalDir));
            await PlaceRestingAsync(trader, "kept-3", 3);
            Assert.Equal(["kept-1", "kept-2", "kept-3"], await OpenClientOrderIdsAsync(trader));
            await StopAsync(server);
        }
    }

    /// <summary>The directory's files with their sizes (a server without orders or periodic snapshots writes nothing).</summary>
    private static List<string> Listing(string dir)
        => Directory.GetFiles(dir).Select(f => $"{Path.GetFileName(f)} {new FileInfo(f).Length}").Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task A_server_refuses_to_run_where_file_locking_is_not_in_force()
    {
        var (env, cwd) = Serve("unlocked", HftProcess.FreePort());
        env["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1"; // .NET then takes no flock at all
        var (exit, run) = await HftProcess.RunAsync(["serve"], env, s_exitTimeout, cwd);
        using (run)
        {
            Assert.True(exit == 2, $"exit {exit}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
            string line = Assert.Single(run.StderrLines, l => l.Length > 0);
            Assert.StartsWith($"hft serve: cannot lock journal directory '{FullJournalDir}': file locking is not in force here", line, StringComparison.Ordinal);
        }
    }
}
