using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// deployment/kubernetes/ (and its replicated overlay, built with kubectl kustomize) against config/production.toml's
/// [tls]: every server pod running the production profile mounts Secret hft-tls read-only where the profile reads its
/// files, probes of the API port use HTTPS, the ingress re-encrypts to the backend, the backup job dials HTTPS with the
/// CA, the cert-manager example names every Service, every Raft peer and 127.0.0.1, and Redis is required over TLS.
/// </summary>
public sealed class KubernetesTlsTests
{
    private const string TlsDir = "/app/tls";

    /// <summary>The development option's objects (its Deployment, Service and Ingress and the shared files).</summary>
    private static List<YamlMappingNode> BaseObjects()
        => KubernetesManifestTests.KustomizationResources("development").SelectMany(Yaml.Documents).ToList();

    /// <summary>Every Deployment and StatefulSet of the development option and of the production shape (replicated).</summary>
    private static IEnumerable<(string Name, YamlMappingNode Workload)> ServerWorkloads()
        => BaseObjects().Select(o => ("development", o))
            .Concat(ReplicatedManifestTests.Objects.Values.Select(o => ("replicated", o)))
            .Where(x => x.o.Req("kind") is "Deployment" or "StatefulSet")
            .Select(x => ($"{x.Item1} {x.o.Req("kind")} {x.o.Req("metadata.name")}", x.o));

    private static string? ProductionTomlValue(string section, string key)
    {
        var text = Repo.ReadText("config", "production.toml");
        var body = Regex.Match(text, $@"^\[{Regex.Escape(section)}\]\s*$(.*?)(?=^\[|\z)", RegexOptions.Multiline | RegexOptions.Singleline).Groups[1].Value;
        var m = Regex.Match(body, $@"^{Regex.Escape(key)}\s*=\s*""([^""]*)""", RegexOptions.Multiline);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static bool RunsProduction(YamlNode container)
        => container.At("args") is YamlSequenceNode args && args.Children.Select(a => a.ToString()).SequenceEqual(["serve", "--profile", "production"]);

    [SkippableFact]
    public void The_production_profile_reads_its_certificate_files_under_app_tls()
    {
        foreach (var key in new[] { "cert_file", "key_file", "ca_file" })
            Assert.StartsWith(TlsDir + "/", ProductionTomlValue("tls", key));
    }

    [SkippableFact]
    public void Every_server_pod_running_the_production_profile_mounts_secret_hft_tls_read_only_at_app_tls()
    {
        var checkedPods = 0;
        foreach (var (name, workload) in ServerWorkloads())
        {
            var pod = workload.Map("spec.template.spec");
            foreach (var container in pod.Seq("containers").Where(RunsProduction))
            {
                checkedPods++;
                var mount = container.At("volumeMounts") is YamlSequenceNode mounts ? mounts.Children.SingleOrDefault(m => m.Str("mountPath") == TlsDir) : null;
                Assert.True(mount is not null, $"{name}: container {container.Str("name")} does not mount {TlsDir}");
                Assert.Equal("true", mount!.Str("readOnly"));
                var volume = pod.Seq("volumes").Single(v => v.Str("name") == mount.Req("name"));
                Assert.Equal("hft-tls", volume.Str("secret.secretName"));
            }
        }
        Assert.Equal(2, checkedPods); // the single-node Deployment and the replicated StatefulSet
    }

    [SkippableFact]
    public void Probes_of_the_api_port_use_https_and_probes_of_the_operations_port_stay_plain()
    {
        var probes = 0;
        foreach (var (name, workload) in ServerWorkloads())
            foreach (var container in workload.Seq("spec.template.spec.containers"))
            {
                var ports = container.At("ports") is YamlSequenceNode p
                    ? p.Children.ToDictionary(x => x.Req("name"), x => x.Req("containerPort"))
                    : [];
                foreach (var kind in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
                {
                    if (container.At($"{kind}.httpGet") is not YamlMappingNode get) continue;
                    var port = get.Req("port");
                    port = ports.GetValueOrDefault(port, port);
                    var expected = port == "8000" ? "HTTPS" : "HTTP";
                    Assert.True((get.Str("scheme") ?? "HTTP") == expected, $"{name}/{container.Str("name")} {kind} on port {port}: scheme must be {expected}");
                    probes++;
                }
            }
        Assert.True(probes >= 6, $"only {probes} probes found");
    }

    [SkippableFact]
    public void The_ingress_re_encrypts_to_the_https_backend_and_verifies_it_against_the_ca()
    {
        var ingresses = BaseObjects().Concat(ReplicatedManifestTests.Objects.Values).Where(o => o.Req("kind") == "Ingress").ToList();
        Assert.Equal(2, ingresses.Count);
        foreach (var ingress in ingresses)
        {
            var annotations = ingress.Map("metadata.annotations");
            Assert.Equal("HTTPS", annotations.Literal("nginx.ingress.kubernetes.io/backend-protocol"));
            Assert.Equal("hft/hft-tls", annotations.Literal("nginx.ingress.kubernetes.io/proxy-ssl-secret"));
            Assert.Equal("on", annotations.Literal("nginx.ingress.kubernetes.io/proxy-ssl-verify"));
            // The name nginx checks is one the node certificate carries.
            Assert.Contains(annotations.Literal("nginx.ingress.kubernetes.io/proxy-ssl-name"), CertificateDnsNames());
        }
    }

    [SkippableFact]
    public void The_backup_job_dials_the_api_over_https_with_the_mounted_ca()
    {
        var job = BaseObjects().Single(o => o.Req("kind") == "CronJob" && o.Req("metadata.name") == "hft-backup");
        var script = job.Req("spec.jobTemplate.spec.template.spec.containers.0.args.0");
        Assert.Contains("backup --url https://127.0.0.1:8000 --ca-file /app/tls/ca.crt", script);
        Assert.DoesNotContain("http://127.0.0.1:8000", script);
    }

    private static YamlMappingNode Certificate()
        => Assert.Single(Yaml.Documents(Repo.Deployment("kubernetes", "tls", "certificate.yaml")), d => d.Req("kind") == "Certificate");

    private static List<string> CertificateDnsNames() => Certificate().Seq("spec.dnsNames").Select(n => n.ToString()).ToList();

    /// <summary>Does a certificate name (possibly "*.x") match a host, as TLS clients match it.</summary>
    private static bool Covers(IEnumerable<string> names, string host)
        => names.Any(n => n == host || (n.StartsWith("*.", StringComparison.Ordinal) && host.IndexOf('.') is int dot and > 0 && host[(dot + 1)..] == n[2..]));

    [SkippableFact]
    public void The_certificate_example_covers_every_service_every_raft_peer_and_the_loopback_address()
    {
        var certificate = Certificate();
        Assert.Equal("cert-manager.io/v1", certificate.Req("apiVersion"));
        Assert.Equal("hft-tls", certificate.Req("spec.secretName"));
        Assert.Equal("hft", certificate.Req("metadata.namespace"));
        Assert.NotNull(certificate.Str("spec.issuerRef.name"));
        var usages = certificate.Seq("spec.usages").Select(u => u.ToString()).ToList();
        Assert.Contains("server auth", usages);
        Assert.Contains("client auth", usages); // Raft peers and Redis see it as a client certificate
        Assert.Contains("127.0.0.1", certificate.Seq("spec.ipAddresses").Select(a => a.ToString()));

        var names = CertificateDnsNames();
        Assert.Contains("localhost", names);
        var services = BaseObjects().Concat(ReplicatedManifestTests.Objects.Values)
            .Where(o => o.Req("kind") == "Service" && o.Str("spec.clusterIP") != "None").Select(o => o.Req("metadata.name")).Distinct().ToList();
        Assert.Contains("hft-trading-service", services);
        foreach (var service in services)
            foreach (var host in new[] { service, $"{service}.hft", $"{service}.hft.svc", $"{service}.hft.svc.cluster.local" })
                Assert.True(Covers(names, host), $"the certificate does not name {host}");

        var sts = ReplicatedManifestTests.Objects[("StatefulSet", "hft")];
        var peers = sts.Seq("spec.template.spec.containers.0.env").Single(e => e.Str("name") == "HFT_REPLICATION__PEERS").Req("value").Split(',');
        Assert.Equal(3, peers.Length);
        foreach (var peer in peers)
        {
            var host = peer[..peer.LastIndexOf(':')];
            Assert.True(Covers(names, host), $"the certificate does not name Raft peer {host}");
        }
        var apis = sts.Seq("spec.template.spec.containers.0.env").Single(e => e.Str("name") == "HFT_REPLICATION__API_URLS").Req("value").Split(',');
        Assert.All(apis, a => Assert.Equal("https", new Uri(a).Scheme));
    }

    [SkippableFact]
    public void The_certificate_example_is_outside_the_applied_directory_so_a_cluster_without_cert_manager_applies_it()
    {
        Assert.DoesNotContain(BaseObjects(), o => o.Req("apiVersion").StartsWith("cert-manager.io/", StringComparison.Ordinal));
        Assert.DoesNotContain(ReplicatedManifestTests.Objects.Values, o => o.Req("apiVersion").StartsWith("cert-manager.io/", StringComparison.Ordinal));
        Assert.True(IPAddress.TryParse(Certificate().Req("spec.ipAddresses.0"), out _));
    }

    [SkippableFact]
    public void Redis_is_required_over_tls_when_the_production_connection_says_ssl()
    {
        var connection = ProductionTomlValue("redis", "connection");
        Assert.NotNull(connection);
        Assert.Contains("ssl=true", connection);
        // The manifests ship no Redis server (a plain one here would contradict the profile) ...
        var redisServers = Directory.GetFiles(Repo.Deployment("kubernetes"), "*.yaml", SearchOption.AllDirectories)
            .Where(f => File.ReadAllText(f).Contains("redis-server", StringComparison.Ordinal)).ToList();
        foreach (var file in redisServers)
            Assert.Contains("--tls-port 6379", File.ReadAllText(file));
        // ... so the guide states what the operator's Redis must run.
        var guide = Repo.ReadText("docs", "DEPLOYMENT.md");
        Assert.Contains("redis-server --port 0 --tls-port 6379 --tls-cert-file /tls/tls.crt --tls-key-file /tls/tls.key --tls-ca-cert-file /tls/ca.crt", guide);
        Assert.Contains("redis-cli --tls", guide);
    }
}
