using System.Text.RegularExpressions;
using Hft.Configuration;
using Hft.Node;
using Hft.Server;

namespace Hft.Deployment.Tests;

/// <summary>
/// The Dockerfile and the compose stack, checked without a Docker daemon (none here): the Dockerfile's structure,
/// the resolved compose configuration (docker-compose config), nginx and Prometheus service discovery pointing at
/// the scalable service, and the container health check script run against a real server.
/// </summary>
public sealed class DockerTests
{
    private static string Dockerfile => File.ReadAllText(Repo.Deployment("docker", "Dockerfile"));

    [Fact]
    public void Dockerfile_is_multi_stage_non_root_with_health_check_and_the_cli_as_entry_point()
    {
        var lines = Dockerfile.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var from = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, from.Count);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/sdk:\S+ AS build$", from[0]);
        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:\S+ AS runtime$", from[1]);
        // Everything after the runtime FROM: a non-root USER before the entry point, data volume, port, health check.
        var runtime = lines.SkipWhile(l => l != from[1]).ToList();
        var user = runtime.Single(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user);
        Assert.Equal("USER $APP_UID", user); // the aspnet image's non-root user (1654), as the manifests' runAsUser
        Assert.Contains("VOLUME [\"/app/data\"]", runtime);
        Assert.Contains("EXPOSE 8000 8080", runtime);
        Assert.Contains(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal) && l.EndsWith("CMD [\"/app/healthcheck.sh\"]", StringComparison.Ordinal));
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/hft.dll\"]", runtime);
        Assert.Contains("CMD [\"serve\"]", runtime);
        Assert.True(runtime.IndexOf(user) < runtime.FindIndex(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal)));
        // The build publishes the CLI (assembly hft) ReadyToRun; config/ ships as HFT_CONFIG_DIR.
        Assert.Contains(lines, l => l.Contains("dotnet publish src/Hft.Cli/Hft.Cli.csproj", StringComparison.Ordinal));
        Assert.Contains("-p:PublishReadyToRun=true", Dockerfile);
        Assert.Contains("HFT_CONFIG_DIR=/app/config", Dockerfile);
        Assert.Contains("<AssemblyName>hft</AssemblyName>", Repo.ReadText("src", "Hft.Cli", "Hft.Cli.csproj"));
    }

    [Fact]
    public void Dockerfile_sets_the_documented_dotnet_runtime_settings()
    {
        foreach (var setting in new[] { "DOTNET_gcServer=0", "DOTNET_gcConcurrent=0", "DOTNET_TieredPGO=1", "DOTNET_GCgen0size=" })
            Assert.Contains(setting, Dockerfile);
        // Same GC choice as the build (Directory.Build.props): workstation, non-concurrent.
        var props = Repo.ReadText("Directory.Build.props");
        Assert.Contains("<ServerGarbageCollector>false</ServerGarbageCollector>", props);
        Assert.Contains("<ConcurrentGarbageCollection>false</ConcurrentGarbageCollection>", props);
        // Every COPY source of the build context exists.
        foreach (Match m in Regex.Matches(Dockerfile, @"(?m)^COPY (?!--from)(.+) \S+$"))
            foreach (var source in m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(File.Exists(Repo.Path(source)) || Directory.Exists(Repo.Path(source)), $"COPY source {source} missing");
    }

    [Fact]
    public void Compose_runs_hft_trading_read_only_scalable_with_data_and_health_and_all_its_services()
    {
        var r = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "config"], Repo.Deployment("docker"),
            new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = new string('s', 40), ["HFT_PROFILE"] = null });
        Assert.True(r.ExitCode == 0, r.ToString());
        var c = Yaml.LoadText(r.Stdout);
        var hft = c.Map("services.hft-trading");
        Assert.Equal("true", hft.Req("read_only"));
        Assert.Contains(hft.Seq("tmpfs"), t => t.ToString().StartsWith("/tmp", StringComparison.Ordinal));
        // An anonymous volume (one per replica; docker-compose 1.x prints it in the short form).
        Assert.Equal("/app/data", Assert.Single(hft.Seq("volumes")).ToString());
        Assert.Null(hft.At("ports"));          // no fixed host port: --scale hft-trading=3 must not collide
        Assert.Null(hft.At("container_name"));
        Assert.Equal(["serve", "--profile", "development"], hft.Seq("command").Select(x => x.ToString()));
        // Development listens on loopback and admits only loopback to /metrics: nginx and Prometheus are on the network.
        Assert.Equal("0.0.0.0", hft.Req("environment.HFT_SERVER__BIND"));
        Assert.Contains("172.16.0.0/12", hft.Req("environment.HFT_MONITORING__ALLOWED_CIDRS"));
        Assert.Equal("/app/healthcheck.sh", hft.Req("healthcheck.test.1"));
        Assert.Equal("ALL", hft.Req("cap_drop.0"));
        Assert.Equal("redis:6379", hft.Req("environment.HFT_REDIS__CONNECTION"));
        // The API (nginx's upstream) and the operations listener (Prometheus's target) apart, whatever the profile.
        Assert.Equal(("8000", "8080"), (hft.Req("environment.HFT_SERVER__HTTP_PORT"), hft.Req("environment.HFT_MONITORING__METRICS_PORT")));
        Assert.Equal("8080", c.Req("services.nginx.ports.0.published"));
        foreach (var s in new[] { "redis", "prometheus", "grafana", "alertmanager", "nginx" })
            Assert.NotNull(c.At($"services.{s}.healthcheck.test"));
        Assert.Contains(c.Seq("services.grafana.volumes"), v => v.ToString().EndsWith("/deployment/monitoring/grafana/provisioning:/etc/grafana/provisioning:ro", StringComparison.Ordinal));
        Assert.Contains(c.Seq("services.prometheus.volumes"), v => v.ToString().EndsWith("/deployment/monitoring/alert-rules.yml:/etc/prometheus/alert-rules.yml:ro", StringComparison.Ordinal));

        // nginx balances over the service name; Prometheus discovers every replica by the same name.
        var nginx = File.ReadAllText(Repo.Deployment("docker", "nginx.conf"));
        Assert.Contains("server hft-trading:8000 resolve", nginx); // the API port: nginx never proxies /metrics or /debug
        Assert.Contains("proxy_set_header Upgrade $http_upgrade", nginx); // /ws
        var prom = Yaml.Load(Repo.Deployment("monitoring", "prometheus.yml"));
        var job = prom.Seq("scrape_configs").Single(j => j.Str("job_name") == "hft-trading");
        Assert.Equal("hft-trading", job.Req("dns_sd_configs.0.names.0"));
        Assert.Equal("A", job.Req("dns_sd_configs.0.type"));
        Assert.Equal("8080", job.Req("dns_sd_configs.0.port"));
    }

    [Fact]
    public void Grafana_provisioning_points_at_the_dashboards_and_the_prometheus_datasource_uid()
    {
        var ds = Yaml.Load(Repo.Deployment("monitoring", "grafana", "provisioning", "datasources", "prometheus.yml"));
        Assert.Equal("prometheus", ds.Req("datasources.0.uid"));
        Assert.Equal("http://prometheus:9090", ds.Req("datasources.0.url"));
        var provider = Yaml.Load(Repo.Deployment("monitoring", "grafana", "provisioning", "dashboards", "hft.yml"));
        Assert.Equal("/var/lib/grafana/dashboards", provider.Req("providers.0.options.path"));
        var dashboards = Dashboard.Load();
        Assert.Equal(["hft-latency", "hft-risk-pnl", "hft-system", "hft-trading-overview"], dashboards.Select(d => d.Uid).Order());
        Assert.All(dashboards.SelectMany(d => d.Queries), q => Assert.Equal("prometheus", q.DatasourceUid));
        Assert.Contains(dashboards.Single(d => d.Uid == "hft-latency").Queries, q => q.PanelType == "heatmap");
    }

    [Fact]
    public async Task Health_check_script_passes_against_a_live_server_and_fails_once_it_stopped()
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with { Monitoring = config.Monitoring with { MetricsPort = 0 }, Gateway = config.Gateway with { BinaryEnabled = false, FixEnabled = false } };
        var server = TradingNode.Create(config, logging: _ => { });
        await server.StartAsync();
        int port = new Uri(server.Urls[0]).Port;
        var env = new Dictionary<string, string?> { ["HFT_MONITORING__METRICS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        try
        {
            var ok = Tool.Run(Repo.Deployment("docker", "healthcheck.sh"), [], null, env, timeoutSeconds: 20);
            Assert.True(ok.ExitCode == 0, ok.ToString());
        }
        finally
        {
            await server.StopAsync();
            await server.DisposeAsync();
        }
        var down = Tool.Run(Repo.Deployment("docker", "healthcheck.sh"), [], null, env, timeoutSeconds: 20);
        Assert.NotEqual(0, down.ExitCode);
    }
}
