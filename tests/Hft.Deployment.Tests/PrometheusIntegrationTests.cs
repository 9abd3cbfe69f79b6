using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Configuration;
using Hft.Node;
using Hft.Server;
using Hft.Server.Auth;
using Hft.Server.Listeners;
using Hft.Tools;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The real server (in-process, loopback, sync journal) scraped by a real Prometheus (Debian package) started with the
/// repository's prometheus.yml and alert-rules.yml — only the target rewritten to the server's loopback port, the
/// intervals shortened to 1 s and the Alertmanager left out. After a few scrapes every alert expression and every
/// Grafana panel query is sent to Prometheus' HTTP API (/api/v1/query) and must parse and evaluate.
///
/// "Returns series": a healthy server makes no alert fire, so an alert's expression rightly returns nothing. What must
/// hold is that each alert COULD fire on this server's metrics: (1) the whole expression parses and evaluates;
/// (2) every condition (each and/or/unless operand, without its "op threshold" comparison) returns series; (3) every
/// metric selector in it (name and label matchers) returns series. A misspelt metric or label, or a label value the
/// server never exports, fails (2) or (3). Panel queries must return series with their variables set to real values.
/// Every family the alerts and dashboards name is exported, the Redis and reference-price-feed ones included (the
/// development profile runs the mock feed; Redis not configured still exports hft_redis_up 0 and hft_redis_configured 0).
/// </summary>
public sealed class PrometheusIntegrationTests(ITestOutputHelper output)
{
    /// <summary>Families exported only by parts of the server that a profile may leave off (Redis, reference price feed).</summary>
    private static readonly string[] s_conditionalFamilies = ["hft_redis_up", "hft_redis_configured", "hft_feed_staleness_seconds", "hft_feed_stale"];

    /// <summary>
    /// Families only a node in another role exports: a disaster-recovery replica's (hft_replication_dr_*). Their alerts
    /// must still parse and evaluate here; that a DR replica exports them is checked on a real one (DrReplicaTests).
    /// </summary>
    private static readonly string[] s_otherRoleFamilyPrefixes = ["hft_replication_dr_"];

    private static bool OtherRole(string query)
        => Array.Exists(s_otherRoleFamilyPrefixes, prefix => query.Contains(prefix, StringComparison.Ordinal));

    [Fact]
    public async Task Every_alert_expression_and_dashboard_query_evaluates_against_a_real_scrape_of_the_server()
    {
        var root = Directory.CreateTempSubdirectory("hft-prometheus-");
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            // As staging and production run: Prometheus scrapes the operations listener, whose allowed network is the
            // credential (no ops token); the per-account series the risk alerts and dashboards need are exported there only.
            Monitoring = config.Monitoring with { MetricsPort = 0, OpsTokenSha256 = null },
            Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false }, // REST only
            Journal = config.Journal with { Dir = Path.Combine(root.FullName, "journal"), Mode = "sync", SnapshotIntervalSeconds = 0 },
            Server = config.Server with { AuditLog = Path.Combine(root.FullName, "audit.log") },
            // the binary feed's families (its alerts and panels): packets to the discard port, recovery on a free port
            MarketData = config.MarketData with { BinaryFeedEnabled = true, BinaryFeedTargets = ["127.0.0.1:9"], BinaryFeedRecoveryPort = 0 },
        };
        var server = TradingNode.Create(config, logging: _ => { }, listeners: ListenerPlan.SeparateOnFreePorts);
        Process? prometheus = null;
        try
        {
            await server.StartAsync();
            var target = server.Api!.Listeners.OperationsUrl;
            using var http = new HttpClient { BaseAddress = server.Api.Listeners.ApiUrl, Timeout = TimeSpan.FromSeconds(30) };
            using var operations = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
            await TradeAsync(http, new TokenService(server.Config.Auth, SigningKeys.From(server.Config.Auth)));
            string exported = await operations.GetStringAsync("/metrics");
            foreach (var family in s_conditionalFamilies)
                Assert.True(exported.Contains($"# TYPE {family} ", StringComparison.Ordinal), $"the server does not export {family}");

            (prometheus, int port) = await StartPrometheusAsync(root.FullName, $"127.0.0.1:{target.Port}");
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForScrapesAsync(api, prometheus);

            var failures = new List<string>();
            async Task Check(string what, string query, bool mustReturnSeries)
            {
                var (ok, series, error) = await QueryAsync(api, query);
                if (!ok) failures.Add($"{what}: `{query}` does not evaluate: {error}");
                else if (mustReturnSeries && series == 0) failures.Add($"{what}: `{query}` returns no series");
            }

            var alerts = AlertRule.Load(Path.Combine(root.FullName, "alert-rules.yml"));
            foreach (var alert in alerts)
            {
                await Check($"alert {alert.Name}", alert.Expr, mustReturnSeries: false);
                foreach (var condition in PromQl.Conditions(alert.Expr)) await Check($"alert {alert.Name} condition", condition, !OtherRole(condition));
                foreach (var selector in PromQl.Selectors(alert.Expr)) await Check($"alert {alert.Name} selector", selector, !OtherRole(selector));
            }
            var dashboards = Dashboard.Load();
            foreach (var d in dashboards)
            {
                foreach (var q in d.Queries) await Check($"dashboard {d.Uid} panel '{q.Panel}'", Dashboard.Substitute(q.Expr, $"127.0.0.1:{target.Port}"), true);
                foreach (var (name, query) in d.Variables)
                {
                    // label_values(metric, label) is Grafana's: the metric must have series carrying the label.
                    var m = System.Text.RegularExpressions.Regex.Match(query, @"^label_values\((\w+), (\w+)\)$");
                    Assert.True(m.Success, $"{d.Uid} variable {name}: {query}");
                    await Check($"dashboard {d.Uid} variable {name}", $"count by ({m.Groups[2].Value}) ({m.Groups[1].Value})", true);
                }
            }

            // Prometheus itself loaded the rules and evaluates them without error.
            using var rules = JsonDocument.Parse(await api.GetStringAsync("/api/v1/rules"));
            var loaded = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
                .SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            Assert.Equal(alerts.Count, loaded.Count);
            foreach (var r in loaded)
                if (r.GetProperty("health").GetString() == "err")
                    failures.Add($"Prometheus evaluates rule {r.GetProperty("name").GetString()} with error {r.GetProperty("lastError").GetString()}");

            int queries = alerts.Count + dashboards.Sum(d => d.Queries.Count);
            output.WriteLine($"{alerts.Count} alerts, {dashboards.Sum(d => d.Queries.Count)} panel queries evaluated ({queries} expressions)");
            Assert.True(failures.Count == 0, string.Join("\n", failures));
        }
        finally
        {
            if (prometheus is not null) Stop(prometheus);
            await server.StopAsync();
            await server.DisposeAsync();
            root.Delete(recursive: true);
        }
    }

    /// <summary>Orders that make every sparse family appear: a trade (positions, PnL), a resting order, a cancel, a
    /// price-band reject (a risk-limit reason).</summary>
    private static async Task TradeAsync(HttpClient http, TokenService tokens)
    {
        string a1 = tokens.Mint("A1", Roles.Trader), a2 = tokens.Mint("A2", Roles.Trader);
        Assert.Equal(201, (await PlaceAsync(http, a2, "sell", "50000", "0.5")).Status);
        Assert.Equal(201, (await PlaceAsync(http, a1, "buy", "50000", "0.2")).Status);
        var bid = await PlaceAsync(http, a1, "buy", "49000", "0.1");
        Assert.Equal(201, bid.Status);
        using (var cancel = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/orders/{bid.Body.GetProperty("id").GetInt64()}"))
        {
            cancel.Headers.Authorization = new AuthenticationHeaderValue("Bearer", a1);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(cancel)).StatusCode);
        }
        Assert.Equal(422, (await PlaceAsync(http, a1, "buy", "60000", "1")).Status); // price_band
    }

    private static async Task<(int Status, JsonElement Body)> PlaceAsync(HttpClient http, string token, string side, string price, string qty)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { symbol = "BTCUSD", side, type = "limit", price, qty }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>
    /// The repository's prometheus.yml with the hft-trading job's DNS discovery replaced by the server's loopback
    /// address, 1 s intervals, no Alertmanager and no self-scrape; alert-rules.yml next to it as in the compose stack.
    /// </summary>
    private static async Task<(Process Prometheus, int Port)> StartPrometheusAsync(string dir, string target)
    {
        WriteConfiguration(dir, target);
        // Prometheus must be given its port: a free one is picked, and another process may take it before Prometheus
        // binds it. Then Prometheus exits saying so, and it is started again on another port.
        for (int attempt = 1; ; attempt++)
        {
            int port = Loopback.FreePort();
            var (p, stderr) = Start(dir, port);
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var clock = Stopwatch.StartNew();
            while (!p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    using var _ = await probe.GetAsync($"http://127.0.0.1:{port}/-/healthy");
                    return (p, port); // listening (healthy or still starting: either way the port is its own)
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
                catch (TaskCanceledException)
                {
                    // a busy machine: ask again
                }
            }
            p.WaitForExit(10_000);
            string errors;
            lock (stderr) errors = stderr.ToString();
            bool taken = p.HasExited && errors.Contains("address already in use", StringComparison.Ordinal);
            Stop(p);
            if (!taken || attempt == 5)
                throw new Xunit.Sdk.XunitException($"prometheus did not listen on 127.0.0.1:{port} (attempt {attempt}):\n{errors}");
        }
    }

    private static void WriteConfiguration(string dir, string target)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(Repo.Deployment("monitoring", "prometheus.yml")))) stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var global = (YamlMappingNode)root["global"];
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode("1s");
        global.Children[new YamlScalarNode("scrape_timeout")] = new YamlScalarNode("1s");
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode("1s");
        root.Children.Remove(new YamlScalarNode("alerting"));
        var jobs = (YamlSequenceNode)root["scrape_configs"];
        var hft = jobs.Children.Cast<YamlMappingNode>().Single(j => j["job_name"].ToString() == "hft-trading");
        Assert.True(hft.Children.Remove(new YamlScalarNode("dns_sd_configs")), "the hft-trading job has no dns_sd_configs to replace");
        hft.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(
            new YamlMappingNode(new YamlScalarNode("targets"), new YamlSequenceNode(new YamlScalarNode(target))));
        foreach (var other in jobs.Children.Cast<YamlMappingNode>().Where(j => j != hft).ToList()) jobs.Children.Remove(other);
        using (var writer = new StreamWriter(Path.Combine(dir, "prometheus.yml"))) stream.Save(writer, assignAnchors: false);
        File.Copy(Repo.Deployment("monitoring", "alert-rules.yml"), Path.Combine(dir, "alert-rules.yml"));
    }

    private static (Process Prometheus, StringBuilder Stderr) Start(string dir, int port)
    {
        Assert.True(Tool.Exists("prometheus"), "prometheus is not installed (scripts/test.sh TEST_PACKAGES installs it)");
        var psi = new ProcessStartInfo("prometheus")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        foreach (var a in new[]
        {
            $"--config.file={Path.Combine(dir, "prometheus.yml")}", $"--web.listen-address=127.0.0.1:{port}",
            $"--storage.tsdb.path={Path.Combine(dir, "tsdb")}", "--log.level=warn",
        })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, stderr);
    }

    /// <summary>Waits (at most 60 s) until the target is up and has been scraped at least 4 times (rate() needs 2).</summary>
    private static async Task WaitForScrapesAsync(HttpClient api, Process prometheus)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(prometheus.HasExited, $"prometheus exited with {(prometheus.HasExited ? prometheus.ExitCode : 0)}");
            try
            {
                var (ok, series, _) = await QueryAsync(api, "count_over_time(hft_uptime_seconds[1m]) >= 4 and on () up{job=\"hft-trading\"} == 1");
                if (ok && series > 0) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException("prometheus did not scrape the server 4 times within 60 s");
    }

    private static async Task<(bool Ok, int Series, string? Error)> QueryAsync(HttpClient api, string query)
    {
        using var response = await api.PostAsync("/api/v1/query", new FormUrlEncodedContent([new("query", query)]));
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable) // still starting: "Service Unavailable" as plain text
            return (false, 0, "prometheus not ready");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success") return (false, 0, root.GetProperty("error").GetString());
        var data = root.GetProperty("data");
        int series = data.GetProperty("resultType").GetString() is "vector" or "matrix" ? data.GetProperty("result").GetArrayLength() : 1;
        return (true, series, null);
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
        p.Dispose();
    }
}
