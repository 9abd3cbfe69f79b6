using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Node;
using Hft.Server;
using Hft.Server.Auth;

namespace Hft.Deployment.Tests;

/// <summary>
/// deploy.sh, backup.sh and restore.sh run for real: argument handling, the dry-run plan, and a local online backup of
/// a running server restored into a fresh directory that a new server recovers to the same state hash. The CLI
/// commands and flags the scripts and manifests use are checked against the real CLI's help.
/// </summary>
public sealed class ScriptTests
{
    private static string Script(string name) => Repo.Deployment("scripts", name);

    [Theory]
    [InlineData("deploy.sh")]
    [InlineData("backup.sh")]
    [InlineData("restore.sh")]
    public void Help_exits_0_and_unknown_arguments_exit_2(string script)
    {
        var help = Tool.Run(Script(script), "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("usage: ", help.Stdout);
        Assert.Contains("--dry-run", help.Stdout);
        var bad = Tool.Run(Script(script), "--bogus");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("unknown argument '--bogus'", bad.Stderr);
    }

    [Fact]
    public void Deploy_dry_run_plans_helm_with_the_environments_values_config_and_tag_then_rollout_and_smoke_check()
    {
        var r = Tool.Run(Script("deploy.sh"), "--environment", "production", "--tag", "v1.0.0", "--dry-run");
        Assert.True(r.ExitCode == 0, r.ToString());
        var plan = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(plan, l => Assert.StartsWith("[dry-run] ", l));
        var helm = Assert.Single(plan, l => l.Contains(" helm upgrade --install hft-trading ", StringComparison.Ordinal));
        Assert.Contains("deployment/helm/hft-trading --namespace hft", helm);
        Assert.Contains("deployment/helm/hft-trading/values-production.yaml", helm);
        Assert.Contains("--set image.tag=v1.0.0", helm);
        Assert.Contains("--set-file config.toml=" + Repo.Path("config", "production.toml"), helm);
        // Production is the replicated group: its StatefulSet's rollout, reads through Service hft and the leader through
        // Service hft-trading-service.
        Assert.Contains("--set replication.enabled=true", helm);
        Assert.Contains(plan, l => l == "[dry-run] kubectl rollout status statefulset/hft -n hft --timeout 600s");
        Assert.Contains(plan, l => l.StartsWith("[dry-run] kubectl port-forward service/hft 18080:8080 ", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.StartsWith("[dry-run] kubectl port-forward service/hft-trading-service ", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.EndsWith("/health", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.EndsWith("/ready", StringComparison.Ordinal));
        Assert.Contains("nothing was changed", r.Stderr);

        var kubectl = Tool.Run(Script("deploy.sh"), "-e", "production", "-t", "v1.1.0", "--method", "kubectl", "--dry-run");
        Assert.True(kubectl.ExitCode == 0, kubectl.ToString());
        Assert.Contains("[dry-run] kubectl apply -f " + Repo.Deployment("kubernetes") + "/", kubectl.Stdout);
        Assert.Contains("kubectl set image statefulset/hft hft-trading=hft/trading-system:v1.1.0", kubectl.Stdout);
        Assert.Contains("[dry-run] kubectl rollout status statefulset/hft -n hft", kubectl.Stdout);

        // The single engine is a choice (helm only); staging and development default to it.
        var single = Tool.Run(Script("deploy.sh"), "-e", "production", "-t", "v1.1.0", "--single", "--dry-run");
        Assert.True(single.ExitCode == 0, single.ToString());
        Assert.Contains("--set replication.enabled=false", single.Stdout);
        Assert.Contains("[dry-run] kubectl rollout status deployment/hft-trading-system -n hft", single.Stdout);
        var staging = Tool.Run(Script("deploy.sh"), "-e", "staging", "-t", "v1.1.0", "--dry-run");
        Assert.True(staging.ExitCode == 0, staging.ToString());
        Assert.Contains("[dry-run] kubectl rollout status deployment/hft-trading-system -n hft", staging.Stdout);
    }

    [Theory]
    [InlineData("refuses an unknown environment", "unknown environment 'qa'", "--environment", "qa", "--tag", "v1")]
    [InlineData("needs a tag", "--tag is required", "--environment", "staging")]
    [InlineData("needs an environment", "--environment is required", "--tag", "v1")]
    [InlineData("refuses a tag that is not a tag", "invalid image tag", "--environment", "staging", "--tag", "v1;rm -rf /")]
    [InlineData("keeps kubectl manifests to production", "use helm for staging", "-e", "staging", "-t", "v1", "--method", "kubectl")]
    [InlineData("keeps the single engine to helm", "--single deploys with helm", "-e", "production", "-t", "v1", "--single", "--method", "kubectl")]
    public void Deploy_refuses_bad_arguments_with_exit_2(string why, string message, params string[] args)
    {
        var r = Tool.Run(Script("deploy.sh"), [.. args, "--dry-run"]);
        Assert.True(r.ExitCode == 2, $"{why}: {r}");
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain(r.Stdout.Split('\n'), l => l.StartsWith("[dry-run]", StringComparison.Ordinal));
    }

    [Fact]
    public void Cli_commands_and_flags_used_by_scripts_and_manifests_exist()
    {
        string Help(string command)
        {
            var r = Tool.Run("dotnet", [Repo.CliDll, command, "--help"], null, null, 30);
            Assert.True(r.ExitCode == 0, r.ToString());
            return r.Stdout;
        }
        var backup = Help("backup");
        foreach (var flag in new[] { "--out", "--url", "--token", "--data", "--verify" }) Assert.Contains(flag, backup);
        var restore = Help("restore");
        foreach (var flag in new[] { "--data", "--force" }) Assert.Contains(flag, restore);
        var token = Help("token");
        foreach (var flag in new[] { "--account", "--role", "--lifetime", "trader|admin" }) Assert.Contains(flag, token);
        var serve = Help("serve");
        Assert.Contains("--profile development|staging|production", serve);
        Assert.Contains("HFT_PROFILE", serve);
        Assert.Contains("HFT_CONFIG_DIR", serve);
    }

    [Fact]
    public async Task Local_online_backup_then_restore_gives_a_server_with_the_same_state()
    {
        var root = Directory.CreateTempSubdirectory("hft-deploy-backup-");
        string data = Path.Combine(root.FullName, "data"), restored = Path.Combine(root.FullName, "restored"), archives = Path.Combine(root.FullName, "out");
        var cli = new Dictionary<string, string?> { ["HFT_CLI"] = $"dotnet {Repo.CliDll}" };
        try
        {
            string hashBefore;
            await using (var server = await StartAsync(data))
            {
                await using var stop = Stopper(server);
                using var http = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
                var tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
                await PlaceAsync(http, tokens.Mint("A2", Roles.Trader), "sell", "50000", "0.5");
                await PlaceAsync(http, tokens.Mint("A1", Roles.Trader), "buy", "50000", "0.2"); // trades 0.2
                await PlaceAsync(http, tokens.Mint("A1", Roles.Trader), "buy", "49000", "0.1"); // rests
                hashBefore = await StateHashAsync(http, tokens.Mint("ADMIN", Roles.Admin));

                var env = new Dictionary<string, string?>(cli) { ["HFT_TOKEN"] = tokens.Mint("ADMIN", Roles.Admin) };
                var r = Tool.Run(Script("backup.sh"), ["--local", "--url", server.Urls[0], "--data", data, "--out-dir", archives], null, env, 120);
                Assert.True(r.ExitCode == 0, r.ToString());
                var noToken = Tool.Run(Script("backup.sh"), ["--local", "--url", server.Urls[0], "--out-dir", archives], null,
                    new Dictionary<string, string?>(cli) { ["HFT_TOKEN"] = null }, 60);
                Assert.Equal(2, noToken.ExitCode);
                Assert.Contains("HFT_TOKEN", noToken.Stderr);
            }
            var archive = Assert.Single(Directory.GetFiles(archives, "hft-*.tar.gz"));

            var restore = Tool.Run(Script("restore.sh"), ["--archive", archive, "--data", restored], null, cli, 120);
            Assert.True(restore.ExitCode == 0, restore.ToString());
            // A second restore into the now non-empty directory is refused by hft restore (no --force): exit 1.
            var again = Tool.Run(Script("restore.sh"), ["--archive", archive, "--data", restored], null, cli, 120);
            Assert.Equal(1, again.ExitCode);

            await using (var server = await StartAsync(restored))
            {
                await using var stop = Stopper(server);
                using var http = new HttpClient { BaseAddress = new Uri(server.Urls[0]) };
                var tokens = new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth));
                Assert.Equal(hashBefore, await StateHashAsync(http, tokens.Mint("ADMIN", Roles.Admin)));
            }

            // A corrupted archive: restore.sh stops at the verification, the target directory stays untouched.
            var bad = Path.Combine(root.FullName, "bad.tar.gz");
            var bytes = File.ReadAllBytes(archive);
            bytes[bytes.Length / 2] ^= 0xFF;
            File.WriteAllBytes(bad, bytes);
            string empty = Path.Combine(root.FullName, "empty");
            var refused = Tool.Run(Script("restore.sh"), ["--archive", bad, "--data", empty], null, cli, 120);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("does not verify", refused.Stderr);
            Assert.False(Directory.Exists(empty) && Directory.EnumerateFileSystemEntries(empty).Any());
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static async Task<TradingNode> StartAsync(string dataDir)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false }, // REST only
            Journal = config.Journal with { Dir = dataDir, Mode = "sync", SnapshotIntervalSeconds = 0 },
            Server = config.Server with { AuditLog = Path.Combine(dataDir, "audit.log") },
            Feed = config.Feed with { Enabled = false }, // the mock feed moves marks: the state hashes compared must not
        };
        var server = TradingNode.Create(config, logging: _ => { });
        await server.StartAsync();
        return server;
    }

    /// <summary>Stops the server gracefully before it is disposed (disposing a running host races its threads).</summary>
    private static AsyncStop Stopper(TradingNode server) => new(server);

    private sealed class AsyncStop(TradingNode server) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await server.StopAsync();
    }

    private static async Task PlaceAsync(HttpClient http, string token, string side, string price, string qty)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { symbol = "BTCUSD", side, type = "limit", price, qty }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);
    }

    private static async Task<string> StateHashAsync(HttpClient http, string adminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/debug/state-hash");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("hash").GetString()!;
    }
}
