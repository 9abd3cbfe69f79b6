using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The production shape (the 3-member Raft group): deployment/kubernetes/*.yaml as its kustomization
/// deployment/kubernetes/replicated builds them with the real kubectl, plus the Operator objects of
/// deployment/kubernetes/operator (no cluster here, so the objects are checked field by field against each other and
/// against the replication contract): the
/// StatefulSet's identity, peers, volumes, anti-affinity and probes; the headless, read and leader Services; the
/// majority disruption budget; the role-labeler sidecar, its script and its RBAC; ingress, network policy, monitor.
/// </summary>
public sealed class ReplicatedManifestTests
{
    private const string Overlay = "deployment/kubernetes/replicated";
    private static readonly Lazy<Dictionary<(string Kind, string Name), YamlMappingNode>> s_built = new(Build);

    private static Dictionary<(string, string), YamlMappingNode> Build()
    {
        Tool.RequireKustomizeOrSkip();
        var r = Tool.Run("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", Overlay], timeoutSeconds: 60);
        Assert.True(r.ExitCode == 0, r.ToString());
        var op = Tool.Run("kubectl", ["kustomize", "deployment/kubernetes/operator"], timeoutSeconds: 60);
        Assert.True(op.ExitCode == 0, op.ToString());
        return ByKindAndName(r.Stdout + "---\n" + op.Stdout);
    }

    /// <summary>Multi-document YAML (a kustomize build, a helm template) by kind and name.</summary>
    internal static Dictionary<(string Kind, string Name), YamlMappingNode> ByKindAndName(string yaml)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml)) stream.Load(reader);
        var all = new Dictionary<(string, string), YamlMappingNode>();
        foreach (var doc in stream.Documents.Where(d => d.RootNode is YamlMappingNode).Select(d => (YamlMappingNode)d.RootNode))
        {
            var name = doc.Req("metadata.name");
            // The generated ConfigMap's name carries a content hash (hft-role-labeler-<hash>).
            if (doc.Req("kind") == "ConfigMap" && name.StartsWith("hft-role-labeler-", StringComparison.Ordinal)) name = "hft-role-labeler";
            all.Add((doc.Req("kind"), name), doc);
        }
        return all;
    }

    /// <summary>The overlay's objects by kind and name (built once).</summary>
    internal static Dictionary<(string Kind, string Name), YamlMappingNode> Objects => s_built.Value;

    private static YamlMappingNode Obj(string kind, string name)
        => Objects.TryGetValue((kind, name), out var o) ? o : throw new Xunit.Sdk.XunitException($"no {kind} {name} in the kustomize build of {Overlay}");

    private static YamlMappingNode Sts => Obj("StatefulSet", "hft");

    private static YamlMappingNode PodSpec => Sts.Map("spec.template.spec");

    private static YamlNode Container(string name) => PodSpec.Seq("containers").Single(c => c.Str("name") == name);

    private static string Env(string name) => Container("hft-trading").Seq("env").Single(e => e.Str("name") == name).Req("value");

    private static int Port(YamlNode container, string name)
        => int.Parse(container.Seq("ports").Single(p => p.Str("name") == name).Req("containerPort"));

    private static Dictionary<string, string> Labels(YamlNode node, string path)
        => ((YamlMappingNode)node.At(path)!).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);

    private static bool Selects(Dictionary<string, string> selector, Dictionary<string, string> labels)
        => selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static IEnumerable<string> Scalars(YamlNode node, string path) => node.Seq(path).Select(x => ((YamlScalarNode)x).Value!);

    [SkippableFact]
    public void Kustomize_builds_the_overlay_with_the_shared_base_files_and_without_deployment_or_autoscaler()
    {
        string[] expected =
        [
            "Namespace/hft", "ConfigMap/hft-config", "ConfigMap/hft-role-labeler", "ServiceAccount/hft-trading", "ServiceAccount/hft-backup",
            "ServiceAccount/hft-role-labeler", "Role/hft-backup", "Role/hft-role-labeler", "RoleBinding/hft-backup", "RoleBinding/hft-role-labeler",
            "ServiceAccount/hft-secrets-generator", "Role/hft-secrets-generator", "RoleBinding/hft-secrets-generator", "Job/hft-secrets-generator",
            "PersistentVolumeClaim/hft-backups", "CronJob/hft-backup", "PrometheusRule/hft-trading", "ServiceMonitor/hft-trading", "ServiceMonitor/hft-dr",
            "NetworkPolicy/hft-trading-system", "StatefulSet/hft", "Service/hft-raft", "Service/hft", "Service/hft-leader", "Service/hft-trading-service",
            "PodDisruptionBudget/hft", "Ingress/hft-trading",
        ];
        Assert.Equal(expected.Order(), Objects.Keys.Select(k => $"{k.Kind}/{k.Name}").Order());
        foreach (var ((kind, name), o) in Objects)
        {
            if (kind == "Namespace") continue;
            Assert.True(o.Str("metadata.namespace") == "hft", $"{kind} {name} is not in namespace hft");
        }
        // The shared files come in unchanged: the ConfigMap is the base's, generated from config/*.toml.
        var baseConfig = Yaml.Load(Repo.Deployment("kubernetes", "configmap.yaml"));
        Assert.Null(Yaml.Difference(Yaml.Plain(baseConfig.At("data")), Yaml.Plain(Obj("ConfigMap", "hft-config").At("data"))));

        // The kustomization lists exactly the files `kubectl apply -f deployment/kubernetes/` applies: both forms deploy
        // the same objects (the Operator's come from deployment/kubernetes/operator in either case).
        var topLevel = Directory.GetFiles(Repo.Deployment("kubernetes"), "*.yaml").Select(f => Path.GetFileName(f)).Order().ToList();
        var listed = Yaml.Load(Repo.Deployment("kubernetes", "replicated", "kustomization.yaml")).Seq("resources")
            .Select(r => Path.GetFileName(((YamlScalarNode)r).Value!)).Order().ToList();
        Assert.Equal(topLevel, listed);
        Assert.DoesNotContain("kustomization.yaml", topLevel); // `apply -f` would try to create it as an object

        // Without the flag kustomize refuses the files in ../ (why docs/DEPLOYMENT.md gives the flag).
        var plain = Tool.Run("kubectl", ["kustomize", Overlay], timeoutSeconds: 60);
        Assert.NotEqual(0, plain.ExitCode);
        Assert.Contains("is not in or below", plain.Output);
    }

    [SkippableFact]
    public void Statefulset_has_an_odd_group_of_three_with_stable_names_parallel_start_and_rolling_updates()
    {
        int replicas = int.Parse(Sts.Req("spec.replicas"));
        Assert.Equal(3, replicas);
        Assert.Equal(1, replicas % 2);
        Assert.Equal("Parallel", Sts.Req("spec.podManagementPolicy"));
        Assert.Equal("RollingUpdate", Sts.Req("spec.updateStrategy.type"));
        Assert.Equal("0", Sts.Req("spec.updateStrategy.rollingUpdate.partition"));
        Assert.True(Selects(Labels(Sts, "spec.selector.matchLabels"), Labels(Sts, "spec.template.metadata.labels")));
        Assert.DoesNotContain("hft.io/role", Labels(Sts, "spec.selector.matchLabels").Keys); // the labeler changes it
        Assert.DoesNotContain("hft.io/role", Labels(Sts, "spec.template.metadata.labels").Keys);
        Assert.Equal("Retain", Sts.Req("spec.persistentVolumeClaimRetentionPolicy.whenScaled"));

        var c = Container("hft-trading");
        Assert.Matches(@"^hft/trading-system:[A-Za-z0-9_][A-Za-z0-9_.-]*$", c.Req("image"));
        Assert.Equal(["serve", "--profile", "production"], Scalars(c, "args"));
        Assert.Equal("hft-secrets", c.Req("envFrom.0.secretRef.name"));
        Assert.Equal("/app/config", Env("HFT_CONFIG_DIR"));
        Assert.Equal(("2", "4Gi", "4", "8Gi"),
            (c.Req("resources.requests.cpu"), c.Req("resources.requests.memory"), c.Req("resources.limits.cpu"), c.Req("resources.limits.memory")));
    }

    [SkippableFact]
    public void Members_are_spread_one_per_node_by_required_anti_affinity()
    {
        var term = Assert.Single(PodSpec.Seq("affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution"));
        Assert.Equal("kubernetes.io/hostname", term.Req("topologyKey"));
        Assert.True(Selects(Labels(term, "labelSelector.matchLabels"), Labels(Sts, "spec.template.metadata.labels")));
        Assert.Equal(Labels(Sts, "spec.selector.matchLabels"), Labels(term, "labelSelector.matchLabels"));
    }

    [SkippableFact]
    public void Each_member_keeps_its_journal_and_raft_log_on_its_own_claim()
    {
        var claim = Assert.Single(Sts.Seq("spec.volumeClaimTemplates"));
        Assert.Equal("data", claim.Req("metadata.name"));
        Assert.Equal(["ReadWriteOnce"], Scalars(claim, "spec.accessModes"));
        Assert.NotNull(claim.Str("spec.resources.requests.storage"));
        Assert.DoesNotContain(PodSpec.Seq("volumes"), v => v.Str("name") == "data"); // from the claim template, not a pod volume
        var mount = Container("hft-trading").Seq("volumeMounts").Single(m => m.Str("name") == "data");
        Assert.Equal("/app/data", mount.Req("mountPath"));
        // The production profile's journal dir and the Raft log dir are on that claim.
        var toml = Repo.ReadText("config", "production.toml");
        Assert.Equal("/app/data", Regex.Match(toml, @"(?m)^\[journal\][^\[]*?^dir\s*=\s*""([^""]+)""").Groups[1].Value);
        Assert.StartsWith("/app/data/", Env("HFT_REPLICATION__DIR"));
        Assert.Matches("^(sync|async)$", Regex.Match(toml, @"(?m)^\[journal\][^\[]*?^mode\s*=\s*""([^""]+)""").Groups[1].Value);
    }

    [SkippableFact]
    public void Headless_service_is_the_statefulsets_service_name_and_publishes_members_before_they_are_ready()
    {
        var raft = Obj("Service", Sts.Req("spec.serviceName"));
        Assert.Equal("hft-raft", raft.Req("metadata.name"));
        Assert.Equal("None", raft.Req("spec.clusterIP"));
        Assert.Equal("true", raft.Req("spec.publishNotReadyAddresses"));
        Assert.True(Selects(Labels(raft, "spec.selector"), Labels(Sts, "spec.template.metadata.labels")));
        var port = Assert.Single(raft.Seq("spec.ports"));
        Assert.Equal(9200, int.Parse(port.Req("port")));
        Assert.Equal("raft", port.Req("targetPort"));
        Assert.Equal(9200, Port(Container("hft-trading"), "raft"));
    }

    [SkippableFact]
    public void Replication_env_names_every_ordinal_by_its_stable_dns_name_in_the_same_order()
    {
        int replicas = int.Parse(Sts.Req("spec.replicas"));
        string sts = Sts.Req("metadata.name"), service = Sts.Req("spec.serviceName"), ns = Sts.Req("metadata.namespace");
        int raftPort = Port(Container("hft-trading"), "raft"), httpPort = Port(Container("hft-trading"), "http");
        var hosts = Enumerable.Range(0, replicas).Select(i => $"{sts}-{i}.{service}.{ns}.svc.cluster.local").ToList();

        Assert.Equal(hosts.Select(h => $"{h}:{raftPort}"), Env("HFT_REPLICATION__PEERS").Split(','));
        Assert.Equal(hosts.Select(h => $"https://{h}:{httpPort}"), Env("HFT_REPLICATION__API_URLS").Split(',')); // [tls] http of production
        Assert.Equal("true", Env("HFT_REPLICATION__ENABLED"));
        Assert.Equal("-1", Env("HFT_REPLICATION__NODE_ID")); // the ordinal of the host name hft-<i>
        Assert.Equal("majority", Env("HFT_REPLICATION__ACK"));
        Assert.InRange(int.Parse(Env("HFT_REPLICATION__GROUP")), 0, 1023);
        // Only keys of the replication contract's [replication] section.
        string[] contract = ["ENABLED", "NODE_ID", "PEERS", "API_URLS", "ACK", "ELECTION_TIMEOUT_MS", "DIR", "GROUP"];
        var set = Container("hft-trading").Seq("env").Select(e => e.Req("name")).Where(n => n.StartsWith("HFT_REPLICATION__", StringComparison.Ordinal));
        Assert.Empty(set.Select(n => n["HFT_REPLICATION__".Length..]).Except(contract));
    }

    [SkippableFact]
    public void Probes_grace_period_and_security_match_the_single_node_deployment()
    {
        var c = Container("hft-trading");
        Assert.Equal("/ready", c.Req("readinessProbe.httpGet.path"));
        Assert.Equal("/health", c.Req("livenessProbe.httpGet.path"));
        Assert.Equal("/health", c.Req("startupProbe.httpGet.path"));
        int startup = int.Parse(c.Req("startupProbe.periodSeconds")) * int.Parse(c.Req("startupProbe.failureThreshold"));
        Assert.True(startup >= 300, $"startup budget {startup} s");

        var toml = Repo.ReadText("config", "production.toml");
        int shutdown = int.Parse(Regex.Match(toml, @"(?m)^shutdown_timeout_seconds\s*=\s*(\d+)").Groups[1].Value);
        var preStop = Scalars(c, "lifecycle.preStop.exec.command").ToList();
        Assert.Equal("sleep", preStop[0]);
        int grace = int.Parse(PodSpec.Req("terminationGracePeriodSeconds"));
        Assert.True(grace > shutdown + int.Parse(preStop[1]), $"grace {grace} s <= shutdown {shutdown} s + preStop {preStop[1]} s");

        Assert.Equal("true", PodSpec.Req("securityContext.runAsNonRoot"));
        Assert.Equal("RuntimeDefault", PodSpec.Req("securityContext.seccompProfile.type"));
        Assert.Equal("false", PodSpec.Req("automountServiceAccountToken"));
        foreach (var container in PodSpec.Seq("containers"))
        {
            Assert.Equal("true", container.Req("securityContext.readOnlyRootFilesystem"));
            Assert.Equal("false", container.Req("securityContext.allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], Scalars(container, "securityContext.capabilities.drop"));
            Assert.NotNull(container.Str("resources.limits.memory"));
        }
    }

    [SkippableFact]
    public void Disruption_budget_keeps_a_majority()
    {
        int replicas = int.Parse(Sts.Req("spec.replicas"));
        var pdb = Obj("PodDisruptionBudget", "hft");
        Assert.Equal(replicas / 2 + 1, int.Parse(pdb.Req("spec.minAvailable")));
        Assert.Equal(Labels(Sts, "spec.selector.matchLabels"), Labels(pdb, "spec.selector.matchLabels"));
    }

    [SkippableFact]
    public void Leader_service_selects_the_label_the_role_labeler_sets_and_the_read_service_every_member()
    {
        var leader = Labels(Obj("Service", "hft-leader"), "spec.selector");
        var reads = Labels(Obj("Service", "hft"), "spec.selector");
        var pod = Labels(Sts, "spec.template.metadata.labels");
        Assert.True(Selects(reads, pod));
        Assert.Equal("leader", leader["hft.io/role"]);
        Assert.True(Selects(leader.Where(kv => kv.Key != "hft.io/role").ToDictionary(), pod));
        Assert.DoesNotContain("hft.io/role", reads.Keys);

        // What the labeler really runs for the leader and for a follower (dry run: the kubectl command it would run).
        var script = Repo.Deployment("scripts", "role-labeler.sh");
        var follower = Tool.Run(script, "--once", "--dry-run", "--pod", "hft-1", "--namespace", "hft", "--port", "1");
        Assert.True(follower.ExitCode == 0, follower.ToString());
        Assert.Equal("[dry-run] kubectl label pod hft-1 hft.io/role=follower --overwrite --request-timeout=5s --namespace hft", follower.Stdout.Trim());
        var text = File.ReadAllText(script);
        Assert.Contains("LABEL=\"hft.io/role\"", text);
        Assert.Contains("echo leader", text);
        Assert.Contains("GET /ready?role=leader ", text);
    }

    [SkippableFact]
    public void Role_labeler_sidecar_runs_the_repositorys_script_on_the_servers_port_with_only_its_own_token()
    {
        var labeler = Container("role-labeler");
        Assert.StartsWith("bitnami/kubectl:", labeler.Req("image"));
        Assert.Equal(["/bin/bash", "/opt/hft/role-labeler.sh"], Scalars(labeler, "command"));
        var args = Scalars(labeler, "args").ToList();
        // The plain operations listener (/ready?role=leader): the API port speaks TLS, which bash's /dev/tcp cannot.
        Assert.Equal(Port(Container("hft-trading"), "metrics"), int.Parse(args[args.IndexOf("--port") + 1]));
        Assert.Equal("1", args[args.IndexOf("--interval") + 1]);
        Assert.Equal("metadata.name", labeler.Seq("env").Single(e => e.Str("name") == "POD_NAME").Req("valueFrom.fieldRef.fieldPath"));

        // The script is the repository's file, through ConfigMap hft-role-labeler (role-labeler-configmap.yaml,
        // generated from it) mounted at /opt/hft.
        var cm = Objects.Single(o => o.Key == ("ConfigMap", "hft-role-labeler")).Value;
        Assert.True(File.ReadAllText(Repo.Deployment("scripts", "role-labeler.sh")) == cm.Map("data").Literal("role-labeler.sh"),
            "deployment/kubernetes/role-labeler-configmap.yaml differs from deployment/scripts/role-labeler.sh: regenerate it with the command in its header");
        var volume = PodSpec.Seq("volumes").Single(v => v.Str("name") == "role-labeler");
        Assert.Equal(cm.Req("metadata.name"), volume.Req("configMap.name"));
        Assert.Equal("/opt/hft", labeler.Seq("volumeMounts").Single(m => m.Str("name") == "role-labeler").Req("mountPath"));

        // The API token is projected into the labeler alone; the trading server has none.
        const string tokenDir = "/var/run/secrets/kubernetes.io/serviceaccount";
        Assert.Contains(labeler.Seq("volumeMounts"), m => m.Str("name") == "kube-api-access" && m.Str("mountPath") == tokenDir);
        Assert.DoesNotContain(Container("hft-trading").Seq("volumeMounts"), m => m.Str("name") == "kube-api-access" || m.Str("mountPath") == tokenDir);
        Assert.Equal("token", PodSpec.Seq("volumes").Single(v => v.Str("name") == "kube-api-access").Req("projected.sources.0.serviceAccountToken.path"));
    }

    [SkippableFact]
    public void Rbac_lets_the_labeler_get_and_patch_only_the_groups_pods()
    {
        string account = PodSpec.Req("serviceAccountName");
        Assert.Equal("false", Obj("ServiceAccount", account).Req("automountServiceAccountToken"));
        var binding = Objects.Values.Single(o => o.Str("kind") == "RoleBinding" && o.Seq("subjects").Any(s => s.Str("name") == account));
        var role = Obj("Role", binding.Req("roleRef.name"));
        var rule = Assert.Single(role.Seq("rules"));
        Assert.Equal([""], Scalars(rule, "apiGroups"));
        Assert.Equal(["pods"], Scalars(rule, "resources"));
        Assert.Equal(["get", "patch"], Scalars(rule, "verbs").Order());
        int replicas = int.Parse(Sts.Req("spec.replicas"));
        Assert.Equal(Enumerable.Range(0, replicas).Select(i => $"hft-{i}"), Scalars(rule, "resourceNames"));
        Assert.DoesNotContain(Objects.Keys, k => k.Kind is "ClusterRole" or "ClusterRoleBinding");
    }

    [SkippableFact]
    public void Ingress_sends_order_entry_and_admin_to_the_leader_and_the_rest_to_every_member()
    {
        var ingress = Obj("Ingress", "hft-trading");
        Assert.Equal(ingress.Req("spec.rules.0.host"), ingress.Req("spec.tls.0.hosts.0"));
        var paths = ingress.Seq("spec.rules.0.http.paths").ToDictionary(p => p.Req("path"), p => (Service: p.Req("backend.service.name"), Port: p.Req("backend.service.port.number")));
        Assert.Equal(("hft-leader", "8000"), paths["/api/v1/orders"]);
        Assert.Equal(("hft-leader", "8000"), paths["/api/v1/admin"]);
        Assert.Equal(("hft", "8000"), paths["/"]);
        Assert.All(ingress.Seq("spec.rules.0.http.paths"), p => Assert.Equal("Prefix", p.Req("pathType")));
        // The routes behind the prefixes exist as mapped by the server.
        var source = string.Concat(Directory.GetFiles(Repo.Path("src", "Hft.Server", "Api"), "*.cs").Select(File.ReadAllText));
        Assert.Contains("MapGroup(\"/api/v1/orders\")", source);
        Assert.Contains("MapGroup(\"/api/v1/admin\")", source);
    }

    [SkippableFact]
    public void Network_policy_adds_raft_between_members_and_the_api_server_for_the_labeler()
    {
        var np = Obj("NetworkPolicy", "hft-trading-system");
        var pod = Labels(Sts, "spec.template.metadata.labels");
        Assert.True(Selects(Labels(np, "spec.podSelector.matchLabels"), pod));
        var raftIn = np.Seq("spec.ingress").Single(r => r.Str("ports.0.port") == "9200");
        Assert.True(Selects(Labels(raftIn, "from.0.podSelector.matchLabels"), pod));
        var raftOut = np.Seq("spec.egress").Single(r => r.Str("ports.0.port") == "9200");
        Assert.True(Selects(Labels(raftOut, "to.0.podSelector.matchLabels"), pod));
        Assert.Contains(np.Seq("spec.egress"), r => r.Seq("ports").Any(p => p.Str("port") == "443"));
        // The base rules stay: the ingress controller on 8000, Prometheus on 8080, Redis and DNS out.
        Assert.Contains(np.Seq("spec.ingress"), r => r.Str("ports.0.port") == "8000");
        Assert.Contains(np.Seq("spec.ingress"), r => r.Str("ports.0.port") == "8080");
        Assert.Contains(np.Seq("spec.egress"), r => r.Str("ports.0.port") == "6379");
    }

    [SkippableFact]
    public void Service_monitor_scrapes_each_member_once_through_the_read_service()
    {
        var selector = Labels(Obj("ServiceMonitor", "hft-trading"), "spec.selector.matchLabels");
        var scraped = Objects.Where(o => o.Key.Kind == "Service" && Selects(selector, Labels(o.Value, "metadata.labels"))).Select(o => o.Key.Name);
        Assert.Equal(["hft"], scraped);
        // The disaster-recovery replica through its own Service hft-dr (deployment/kubernetes/replicated/dr).
        var dr = Yaml.Documents(Repo.Deployment("kubernetes", "replicated", "dr", "service.yaml")).Single(d => d.Req("kind") == "Service");
        Assert.True(Selects(Labels(Obj("ServiceMonitor", "hft-dr"), "spec.selector.matchLabels"), Labels(dr, "metadata.labels")));
        Assert.Equal("hft-dr", dr.Req("metadata.name"));
        Assert.Contains(dr.Seq("spec.ports"), p => p.Str("name") == "metrics");
        Assert.Contains(Obj("Service", "hft").Seq("spec.ports"), p => p.Str("name") == "http");
        // Through its port metrics: the operations listener, the only one serving /metrics.
        Assert.Contains(Obj("Service", "hft").Seq("spec.ports"), p => p.Str("name") == "metrics" && p.Str("targetPort") == "metrics");
        // The backup job's exec target is the trading container, which the members keep under the same name.
        Assert.Contains("-c hft-trading", Obj("CronJob", "hft-backup").Req("spec.jobTemplate.spec.template.spec.containers.0.args.0"));
        Assert.Contains(Container("hft-trading").Seq("volumeMounts"), m => m.Str("mountPath") == "/backups");
    }
}
