using Hft.Configuration;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The replicated compose stack (docker-compose.yml + docker-compose.replicated.yml), checked without a Docker daemon:
/// the resolved configuration (docker-compose config) holds three members of one Raft group and a DR replica, each
/// node's environment loads as a valid configuration of its profile, nginx balances over the members only, and
/// Prometheus scrapes all four nodes.
/// </summary>
public sealed class DockerReplicatedTests
{
    private static readonly string[] s_members = ["hft-trading", "hft-1", "hft-2"];

    private static YamlMappingNode Resolved()
    {
        var r = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "-f", "docker-compose.replicated.yml", "config"], Repo.Deployment("docker"),
            new Dictionary<string, string?>
            {
                ["HFT_AUTH__SECRET"] = new string('s', 40), ["HFT_PROFILE"] = null, ["HFT_OPS_TOKEN"] = "the-ops-token",
                ["HFT_OPS_TOKEN_SHA256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("the-ops-token"u8)),
            });
        Assert.True(r.ExitCode == 0, r.ToString());
        return Yaml.LoadText(r.Stdout);
    }

    private static Dictionary<string, string?> Environment(YamlMappingNode service)
        => service.Map("environment").Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value);

    [Fact]
    public void Three_members_and_a_dr_replica_each_with_a_valid_configuration()
    {
        var c = Resolved();
        var peers = new HashSet<string>();
        for (int i = 0; i < 3; i++)
        {
            var service = c.Map($"services.{s_members[i]}");
            // The profile the node runs (`serve --profile`, which wins over HFT_PROFILE) is the group's, not the base
            // file's development profile.
            Assert.Equal(["serve", "--profile", "staging"], service.Seq("command").Select(x => x.ToString()));
            Assert.Equal("staging", Environment(service)["HFT_PROFILE"]);
            var config = ConfigLoader.Load("staging", Repo.Path("config"), Environment(service));
            Assert.True(config.Replication.Enabled);
            Assert.Equal(i, config.Replication.NodeId);
            Assert.Equal(["hft-trading:9200", "hft-1:9200", "hft-2:9200"], config.Replication.Peers);
            Assert.Equal($"http://localhost:800{i + 1}", config.Replication.ApiUrls[i]);
            Assert.Equal($"800{i + 1}", service.Req("ports.0.published"));
            Assert.Contains(service.Seq("expose"), p => p.ToString() == "9200");
            Assert.Equal("sync", config.Journal.Mode);
            Assert.NotNull(config.Monitoring.OpsTokenSha256); // the DR replica's bearer is checked against it
            peers.Add(Assert.Single(service.Seq("volumes")).ToString());
        }
        Assert.Equal(3, peers.Count); // a journal volume per member

        var dr = c.Map("services.hft-dr");
        var replica = ConfigLoader.Load("staging", Repo.Path("config"), Environment(dr));
        Assert.True(replica.Dr.Enabled);
        Assert.False(replica.Replication.Enabled);
        Assert.Equal(["http://hft-trading:8080", "http://hft-1:8080", "http://hft-2:8080"], replica.Dr.Sources);
        Assert.Equal("the-ops-token", replica.Dr.ResolveToken());
        Assert.DoesNotContain(dr.Seq("expose"), p => p.ToString() == "9200"); // no Raft port: it never votes
        Assert.Equal("/app/healthcheck.sh", dr.Req("healthcheck.test.1"));
        Assert.Equal("true", dr.Req("read_only"));
        Assert.DoesNotContain(peers, v => v == Assert.Single(dr.Seq("volumes")).ToString());
    }

    [Fact]
    public void Nginx_balances_over_the_members_and_prometheus_scrapes_every_node()
    {
        var c = Resolved();
        Assert.Contains(c.Seq("services.nginx.volumes"), v => v.ToString().EndsWith("/deployment/docker/nginx.replicated.conf:/etc/nginx/nginx.conf:ro", StringComparison.Ordinal));
        Assert.Contains(c.Seq("services.prometheus.volumes"),
            v => v.ToString().EndsWith("/deployment/monitoring/prometheus.replicated.yml:/etc/prometheus/prometheus.yml:ro", StringComparison.Ordinal));
        Assert.DoesNotContain(c.Seq("services.prometheus.volumes"), v => v.ToString().Contains("/monitoring/prometheus.yml:", StringComparison.Ordinal));

        var nginx = File.ReadAllText(Repo.Deployment("docker", "nginx.replicated.conf"));
        foreach (var member in s_members) Assert.Contains($"server {member}:8000 resolve", nginx);
        Assert.DoesNotContain("hft-dr", nginx);

        var prom = Yaml.Load(Repo.Deployment("monitoring", "prometheus.replicated.yml"));
        var job = prom.Seq("scrape_configs").Single(j => j.Str("job_name") == "hft-trading");
        Assert.Equal(["hft-trading", "hft-1", "hft-2", "hft-dr"], job.Seq("dns_sd_configs.0.names").Select(n => n.ToString()));
        Assert.Equal("8080", job.Req("dns_sd_configs.0.port"));
        var check = Tool.Run("promtool", ["check", "config", "prometheus.replicated.yml"], Repo.Deployment("monitoring"));
        Assert.True(check.ExitCode == 0, check.ToString());
    }
}
