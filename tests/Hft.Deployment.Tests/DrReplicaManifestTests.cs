using Hft.Configuration;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// deployment/kubernetes/replicated/dr (the disaster-recovery replica of the replicated group) as kustomize builds it
/// with the real kubectl, checked against the members' overlay (no cluster here): one pod with its own claim, the [dr]
/// variables naming every member's operations listener, the ops token mounted as a file, no Raft identity, the
/// network policies that let it stream, and the production profile accepting what it sets.
/// </summary>
public sealed class DrReplicaManifestTests
{
    private const string Dir = "deployment/kubernetes/replicated/dr";
    private static readonly Lazy<Dictionary<(string Kind, string Name), YamlMappingNode>> s_built = new(() =>
    {
        Tool.RequireKustomizeOrSkip();
        var r = Tool.Run("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", Dir], timeoutSeconds: 60);
        Assert.True(r.ExitCode == 0, r.ToString());
        return ReplicatedManifestTests.ByKindAndName(r.Stdout);
    });

    private static Dictionary<(string Kind, string Name), YamlMappingNode> Objects => s_built.Value;

    private static YamlMappingNode Sts => Objects[("StatefulSet", "hft-dr")];

    private static YamlNode Server => Sts.Seq("spec.template.spec.containers").Single(c => c.Str("name") == "hft-trading");

    private static Dictionary<string, string> Env(YamlNode container)
        => container.Seq("env").Where(e => e.Str("value") is not null).ToDictionary(e => e.Req("name"), e => e.Req("value"));

    private static Dictionary<string, string> Labels(YamlNode node, string path)
        => ((YamlMappingNode)node.At(path)!).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);

    private static bool Selects(Dictionary<string, string> selector, Dictionary<string, string> labels)
        => selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static YamlMappingNode Members => ReplicatedManifestTests.Objects[("StatefulSet", "hft")];

    private static YamlNode MemberServer => Members.Seq("spec.template.spec.containers").Single(c => c.Str("name") == "hft-trading");

    private static int Port(YamlNode container, string name)
        => int.Parse(container.Seq("ports").Single(p => p.Str("name") == name).Req("containerPort"));

    [SkippableFact]
    public void Kustomize_builds_the_replica_its_service_and_policy_with_the_shared_namespace_and_profiles()
    {
        string[] expected = ["Namespace/hft", "ConfigMap/hft-config", "StatefulSet/hft-dr", "Service/hft-dr", "NetworkPolicy/hft-dr"];
        Assert.Equal(expected.Order(), Objects.Keys.Select(k => $"{k.Kind}/{k.Name}").Order());
        foreach (var ((kind, name), o) in Objects.Where(o => o.Key.Kind != "Namespace"))
            Assert.True(o.Str("metadata.namespace") == "hft", $"{kind} {name} is not in namespace hft");
        var baseConfig = Yaml.Load(Repo.Deployment("kubernetes", "configmap.yaml"));
        Assert.Null(Yaml.Difference(Yaml.Plain(baseConfig.At("data")), Yaml.Plain(Objects[("ConfigMap", "hft-config")].At("data"))));
        // The members' overlay does not pull the replica in: it is deployed on its own (another cluster, usually). (The
        // Operator's ServiceMonitor hft-dr selects its Service wherever it runs, and nothing where it does not.)
        Assert.DoesNotContain(ReplicatedManifestTests.Objects.Keys, k => k.Kind != "ServiceMonitor" && k.Name.StartsWith("hft-dr", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Statefulset_is_one_pod_with_its_own_claim_the_members_image_and_probes()
    {
        Assert.Equal("1", Sts.Req("spec.replicas"));
        Assert.Equal("hft-dr", Sts.Req("spec.serviceName"));
        Assert.True(Selects(Labels(Sts, "spec.selector.matchLabels"), Labels(Sts, "spec.template.metadata.labels")));
        var claim = Assert.Single(Sts.Seq("spec.volumeClaimTemplates"));
        Assert.Equal("data", claim.Req("metadata.name"));
        Assert.Equal("ReadWriteOnce", claim.Req("spec.accessModes.0"));
        Assert.Equal("Retain", Sts.Req("spec.persistentVolumeClaimRetentionPolicy.whenDeleted"));
        Assert.Contains(Server.Seq("volumeMounts"), m => m.Str("name") == "data" && m.Str("mountPath") == "/app/data");

        Assert.Equal(MemberServer.Req("image"), Server.Req("image"));
        Assert.Null(Yaml.Difference(Yaml.Plain(MemberServer.At("args")), Yaml.Plain(Server.At("args"))));
        Assert.Equal("hft-secrets", Server.Req("envFrom.0.secretRef.name"));
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.Null(Yaml.Difference(Yaml.Plain(MemberServer.At(probe + ".httpGet")), Yaml.Plain(Server.At(probe + ".httpGet"))));
        Assert.Equal("/ready", Server.Req("readinessProbe.httpGet.path"));
        Assert.Equal("true", Server.Req("securityContext.readOnlyRootFilesystem"));
        Assert.Equal("false", Sts.Req("spec.template.spec.automountServiceAccountToken"));
    }

    [SkippableFact]
    public void Dr_variables_name_every_members_operations_listener_over_https_and_no_raft_identity()
    {
        var env = Env(Server);
        Assert.Equal("true", env["HFT_DR__ENABLED"]);
        int members = int.Parse(Members.Req("spec.replicas")), ops = Port(MemberServer, "metrics");
        var expected = Enumerable.Range(0, members).Select(i => $"https://hft-{i}.hft-raft.hft.svc.cluster.local:{ops}");
        Assert.Equal(expected, env["HFT_DR__SOURCES"].Split(','));
        // The names are those of the members' headless Service, the same hosts as their API URLs.
        Assert.Equal("hft-raft", Members.Req("spec.serviceName"));
        var memberApis = Env(MemberServer)["HFT_REPLICATION__API_URLS"].Split(',').Select(u => new Uri(u).Host);
        Assert.Equal(memberApis, env["HFT_DR__SOURCES"].Split(',').Select(u => new Uri(u).Host));
        Assert.Equal(Env(MemberServer)["HFT_MONITORING__METRICS_PORT"], env["HFT_MONITORING__METRICS_PORT"]);

        // Never a member: no Raft variables or port, and not in the members' peers.
        Assert.DoesNotContain(Server.Seq("env"), e => e.Req("name").StartsWith("HFT_REPLICATION__", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Seq("ports"), p => p.Str("name") == "raft");
        Assert.DoesNotContain("hft-dr", Env(MemberServer)["HFT_REPLICATION__PEERS"]);
        Assert.DoesNotContain("HFT_DR__TOKEN", env.Keys); // the token comes from a file, never a literal
    }

    [SkippableFact]
    public void Ops_token_is_a_secret_mounted_read_only_as_the_token_file()
    {
        var tokenFile = Env(Server)["HFT_DR__TOKEN_FILE"];
        var mount = Server.Seq("volumeMounts").Single(m => tokenFile.StartsWith(m.Req("mountPath") + "/", StringComparison.Ordinal));
        Assert.Equal("true", mount.Req("readOnly"));
        var volume = Sts.Seq("spec.template.spec.volumes").Single(v => v.Str("name") == mount.Req("name"));
        Assert.Equal("hft-ops-token", volume.Req("secret.secretName"));
        var item = Assert.Single(volume.Seq("secret.items"));
        Assert.Equal(tokenFile, mount.Req("mountPath") + "/" + item.Req("path"));
        // The guide's and the kustomization's command create that Secret and key.
        const string create = "kubectl create secret generic hft-ops-token -n hft --from-literal=ops-token=\"$HFT_OPS_TOKEN\"";
        Assert.Equal("ops-token", item.Req("key"));
        Assert.Contains(create, File.ReadAllText(Repo.Path(Dir, "kustomization.yaml")));
        Assert.Contains(create, Repo.ReadText("docs", "DEPLOYMENT.md"));
    }

    [SkippableFact]
    public void Service_reaches_the_replica_only_and_the_members_services_never_reach_it()
    {
        var svc = Objects[("Service", "hft-dr")];
        var podLabels = Labels(Sts, "spec.template.metadata.labels");
        Assert.True(Selects(Labels(svc, "spec.selector"), podLabels));
        Assert.False(Selects(Labels(svc, "spec.selector"), Labels(Members, "spec.template.metadata.labels")));
        Assert.Equal(["http", "metrics"], svc.Seq("spec.ports").Select(p => p.Req("targetPort")));
        foreach (var ((kind, name), member) in ReplicatedManifestTests.Objects.Where(o => o.Key.Kind == "Service"))
            Assert.False(Selects(Labels(member, "spec.selector"), podLabels), $"Service {name} of the members selects the DR replica");
    }

    [SkippableFact]
    public void Network_policies_let_the_replica_reach_the_members_operations_port()
    {
        int ops = Port(MemberServer, "metrics");
        var egress = Objects[("NetworkPolicy", "hft-dr")];
        Assert.True(Selects(Labels(egress, "spec.podSelector.matchLabels"), Labels(Sts, "spec.template.metadata.labels")));
        Assert.Contains(egress.Seq("spec.egress"), r => r.Seq("ports").Any(p => p.Req("port") == ops.ToString()));

        var sources = Yaml.Load(Repo.Path(Dir, "members-networkpolicy.yaml"));
        Assert.Equal("NetworkPolicy", sources.Req("kind"));
        Assert.True(Selects(Labels(sources, "spec.podSelector.matchLabels"), Labels(Members, "spec.template.metadata.labels")));
        var rule = Assert.Single(sources.Seq("spec.ingress"));
        Assert.True(Selects(Labels(rule, "from.0.podSelector.matchLabels"), Labels(Sts, "spec.template.metadata.labels")));
        Assert.Equal(ops.ToString(), rule.Req("ports.0.port"));
        // Not part of the replica's build: it is applied where the members run.
        Assert.DoesNotContain(Objects.Keys, k => k == ("NetworkPolicy", "hft-dr-sources"));
    }

    [SkippableFact]
    public void Production_profile_accepts_the_replicas_variables()
    {
        var token = Path.Combine(Path.GetTempPath(), $"hft-ops-token-{Guid.NewGuid():N}");
        File.WriteAllText(token, "ops-token\n");
        try
        {
            var env = new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = new string('s', 40) };
            foreach (var (name, value) in Env(Server)) env[name] = value;
            env["HFT_DR__TOKEN_FILE"] = token; // the mounted Secret, here a file
            var c = ConfigLoader.Load("production", Repo.Path("config"), env);
            Assert.True(c.Dr.Enabled);
            Assert.False(c.Replication.Enabled);
            Assert.Equal(int.Parse(Members.Req("spec.replicas")), c.Dr.Sources.Count);
            Assert.Equal("ops-token", c.Dr.ResolveToken());

            // http:// sources are refused by production: why the manifest names https ones.
            env["HFT_DR__SOURCES"] = env["HFT_DR__SOURCES"]!.Replace("https://", "http://", StringComparison.Ordinal);
            Assert.ThrowsAny<Exception>(() => ConfigLoader.Load("production", Repo.Path("config"), env));
        }
        finally
        {
            File.Delete(token);
        }
    }
}
