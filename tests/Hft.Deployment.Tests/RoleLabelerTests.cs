using System.Diagnostics;
using System.Net.Sockets;
using Hft.Configuration;
using Hft.Node;
using Hft.Server;

namespace Hft.Deployment.Tests;

/// <summary>
/// deployment/scripts/role-labeler.sh run for real: against a real server on 127.0.0.1 (a single node takes order
/// entry, so it is labelled leader), against a port nobody listens on (follower), with the real kubectl against an API
/// server address that refuses (the failure is reported, exit 1), with bad arguments (exit 2), and in its loop, which a
/// TERM ends at once.
/// </summary>
public sealed class RoleLabelerTests
{
    private static readonly string s_script = Repo.Deployment("scripts", "role-labeler.sh");

    private static Dictionary<string, string?> NoPodEnv() => new() { ["POD_NAME"] = null, ["POD_NAMESPACE"] = null };

    [Fact]
    public async Task A_ready_single_node_server_is_labelled_leader()
    {
        var dir = Directory.CreateTempSubdirectory("hft-labeler-");
        try
        {
            var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
            config = config with
            {
                Monitoring = config.Monitoring with { MetricsPort = 0 },
                Journal = config.Journal with { Dir = dir.FullName, Mode = "none" },
                Server = config.Server with { AuditLog = Path.Combine(dir.FullName, "audit.log") },
                Feed = config.Feed with { Enabled = false },
                Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false }, // only the HTTP port is probed
            };
            var server = TradingNode.Create(config, logging: _ => { });
            await server.StartAsync();
            try
            {
                var port = new Uri(server.Urls[0]).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
                using (var http = new HttpClient { BaseAddress = new Uri(server.Urls[0]) })
                    Assert.Equal(200, (int)(await http.GetAsync("/ready?role=leader")).StatusCode);
                var r = Tool.Run(s_script, ["--once", "--dry-run", "--port", port, "--pod", "hft-0", "--namespace", "hft"], null, NoPodEnv(), 30);
                Assert.True(r.ExitCode == 0, r.ToString());
                Assert.Equal("[dry-run] kubectl label pod hft-0 hft.io/role=leader --overwrite --request-timeout=5s --namespace hft", r.Stdout.Trim());
                Assert.Contains("pod hft-0 is leader", r.Stderr);
            }
            finally
            {
                await server.StopAsync();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Nothing_listening_means_follower_and_the_pod_name_defaults_to_the_host_name()
    {
        int port = ClosedPort();
        var env = NoPodEnv();
        env["HOSTNAME"] = "hft-2";
        var r = Tool.Run(s_script, ["--once", "--dry-run", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], null, env, 30);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("[dry-run] kubectl label pod hft-2 hft.io/role=follower --overwrite --request-timeout=5s", r.Stdout.Trim());
    }

    [SkippableFact]
    public void A_failing_kubectl_is_reported_and_once_exits_1()
    {
        Tool.RequireOrSkip("kubectl", "the real kubectl must fail against a closed API server (scripts/test.sh installs kubernetes-client)");
        var dir = Directory.CreateTempSubdirectory("hft-labeler-kube-");
        try
        {
            // A kubeconfig whose API server is a closed local port: the real kubectl parses the command, then cannot connect.
            var kubeconfig = Path.Combine(dir.FullName, "config");
            File.WriteAllText(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:PORT"}}]
                contexts: [{name: c, context: {cluster: c, user: u}}]
                current-context: c
                users: [{name: u, user: {token: t}}]
                """.Replace("PORT", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            var env = NoPodEnv();
            env["KUBECONFIG"] = kubeconfig;
            env["HOME"] = dir.FullName;
            var r = Tool.Run(s_script, ["--once", "--pod", "hft-1", "--namespace", "hft", "--port", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture)],
                null, env, 60);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("kubectl label pod hft-1 hft.io/role=follower failed", r.Stderr);
            Assert.Contains("refused", r.Stderr);
            Assert.DoesNotContain("unknown flag", r.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("invalid port '0'", "--port", "0", "--pod", "hft-0")]
    [InlineData("invalid port '70000'", "--port", "70000", "--pod", "hft-0")]
    [InlineData("invalid interval 'x'", "--interval", "x", "--pod", "hft-0")]
    [InlineData("invalid pod name 'hft-0;id'", "--pod", "hft-0;id")]
    [InlineData("no pod name", "--port", "8080")]
    [InlineData("unknown argument '--bogus'", "--bogus")]
    [InlineData("--port needs a value", "--port")]
    public void Bad_arguments_exit_2_before_any_kubectl(string message, params string[] args)
    {
        var env = NoPodEnv();
        env["HOSTNAME"] = "";
        var r = Tool.Run(s_script, ["--once", "--dry-run", .. args], null, env, 30);
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains(message, r.Stderr);
        Assert.DoesNotContain("[dry-run]", r.Stdout);
    }

    [Fact]
    public async Task The_loop_labels_once_per_change_and_stops_at_once_on_term()
    {
        var psi = new ProcessStartInfo(s_script)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "--dry-run", "--interval", "1", "--pod", "hft-0", "--port", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        try
        {
            var first = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal("[dry-run] kubectl label pod hft-0 hft.io/role=follower --overwrite --request-timeout=5s", first);
            await Task.Delay(2500); // two or three more probes: same role, no new label
            var sw = Stopwatch.StartNew();
            var kill = Tool.Run("kill", "-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(kill.ExitCode == 0, kill.ToString());
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"stopped after {sw.Elapsed}");
            Assert.Equal(0, p.ExitCode);
            Assert.Equal("", (await p.StandardOutput.ReadToEndAsync()).Trim());
            Assert.Contains("stopping", await p.StandardError.ReadToEndAsync());
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A local TCP port with no listener (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
