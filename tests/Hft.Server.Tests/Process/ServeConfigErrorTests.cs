using Hft.Configuration.Tests;

namespace Hft.Server.Tests.Process;

/// <summary>
/// <c>hft serve</c> with each kind of configuration mistake: exit code 2 and exactly one line on stderr naming the
/// file (or variable) and the key; nothing listens.
/// </summary>
public sealed class ServeConfigErrorTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<string> FailsWithOneLine(string[] args, Dictionary<string, string>? env = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["HFT_CONFIG_DIR"] = _dir.Path,
            ["HFT_MONITORING__METRICS_PORT"] = HftProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (k, v) in env ?? []) environment[k] = v;
        var (exit, run) = await HftProcess.RunAsync(["serve", .. args], environment, TimeSpan.FromSeconds(60));
        using (run)
        {
            Assert.True(exit == 2, $"exit {exit}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
            var line = Assert.Single(run.StderrLines, l => l.Length > 0);
            Assert.DoesNotContain("listening", run.Stdout, StringComparison.Ordinal);
            return line;
        }
    }

    private static Func<string, string> Replace(string from, string to) => s => s.Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public async Task Unknown_key()
    {
        var file = _dir.WriteEdited("development", Replace("max_workers = 2", "max_worker = 2"));
        Assert.Equal($"{file}: [system] max_worker: unknown key (did you mean max_workers?)", await FailsWithOneLine([]));
    }

    [Fact]
    public async Task Wrong_type()
    {
        var file = _dir.WriteEdited("development", Replace("max_workers = 2", "max_workers = \"8\""));
        Assert.Equal($"{file}: [system] max_workers: expected an integer, got string \"8\"", await FailsWithOneLine(["--profile", "development"]));
    }

    [Fact]
    public async Task Out_of_range()
    {
        var file = _dir.WriteEdited("development", Replace("worker_queue_size = 65536", "worker_queue_size = 4"));
        var line = await FailsWithOneLine([]);
        Assert.StartsWith($"{file}: [system] worker_queue_size: must be between 16 and", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_environment_override()
    {
        var file = _dir.CopyShipped("development");
        var line = await FailsWithOneLine([], new() { ["HFT_SYSTEM__MAX_WORKERS"] = "lots" });
        Assert.StartsWith($"{file}: [system] max_workers (from env HFT_SYSTEM__MAX_WORKERS):", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_profile_file()
    {
        var line = await FailsWithOneLine(["--profile", "staging"]);
        Assert.StartsWith($"{Path.Combine(_dir.Path, "staging.toml")}: file not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_secret()
    {
        var file = _dir.CopyShipped("production");
        Assert.Equal($"{file}: [auth] secret: required when auth is enabled: set HFT_AUTH__SECRET (or [auth] key_file)",
            await FailsWithOneLine(["--profile", "production"]));
    }

    [Fact]
    public async Task Unknown_profile()
    {
        var line = await FailsWithOneLine(["--profile", "prod"]);
        Assert.Equal("--profile: unknown profile \"prod\" (expected development, staging or production)", line);
    }
}
