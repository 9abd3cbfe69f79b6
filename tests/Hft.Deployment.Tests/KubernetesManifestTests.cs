using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The single-engine option, deployment/kubernetes/development (its own files and the shared ones of
/// deployment/kubernetes/ it lists), and the Operator objects of deployment/kubernetes/operator, parsed and checked
/// field by field: names, labels, image, probes, resources, security context, anti-affinity, rollout strategy, the
/// policy, RBAC, autoscaling, monitoring and backup objects. (The production shape, the replicated group at the top of
/// deployment/kubernetes/, is ReplicatedManifestTests'; applying the guide's steps is DeploymentGuideWalkTests'.)
/// </summary>
public sealed class KubernetesManifestTests
{
    private static readonly Dictionary<(string Kind, string Name), YamlMappingNode> s_objects = LoadAll();

    private static Dictionary<(string, string), YamlMappingNode> LoadAll()
    {
        var all = new Dictionary<(string, string), YamlMappingNode>();
        foreach (var file in Files())
            foreach (var doc in Yaml.Documents(file))
                all.Add((doc.Req("kind"), doc.Req("metadata.name")), doc);
        return all;
    }

    /// <summary>The files of the development kustomization (resolved) and of the operator kustomization.</summary>
    internal static List<string> Files()
        => KustomizationResources("development").Concat(KustomizationResources("operator")).ToList();

    internal static IEnumerable<string> KustomizationResources(string dir)
    {
        var k = Yaml.Load(Repo.Deployment("kubernetes", dir, "kustomization.yaml"));
        return k.Seq("resources").Select(r => Path.GetFullPath(Path.Combine(Repo.Deployment("kubernetes", dir), ((YamlScalarNode)r).Value!)));
    }

    private static YamlMappingNode Obj(string kind, string name)
        => s_objects.TryGetValue((kind, name), out var o) ? o : throw new Xunit.Sdk.XunitException($"no {kind} {name} in deployment/kubernetes/development or operator");

    private static YamlMappingNode PodSpec => Obj("Deployment", "hft-trading-system").Map("spec.template.spec");

    private static YamlNode Container(string name = "hft-trading")
        => PodSpec.Seq("containers").Single(c => c.Str("name") == name);

    [Fact]
    public void Every_object_is_in_namespace_hft_and_labelled_app_hft_trading()
    {
        Assert.Equal("hft", Obj("Namespace", "hft").Req("metadata.name"));
        foreach (var ((kind, name), o) in s_objects)
        {
            if (kind == "Namespace") continue;
            Assert.True(o.Str("metadata.namespace") == "hft", $"{kind} {name} is not in namespace hft");
            if (kind != "ConfigMap") Assert.True(o.Str("metadata.labels.app") == "hft-trading", $"{kind} {name} lacks app=hft-trading");
        }
        var expected = new[]
        {
            "Namespace", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy",
            "ServiceAccount", "Role", "RoleBinding", "Ingress", "ServiceMonitor", "PrometheusRule", "CronJob", "PersistentVolumeClaim", "Job",
        };
        Assert.Empty(expected.Except(s_objects.Keys.Select(k => k.Kind)));
    }

    [Fact]
    public void The_deployment_runs_the_image_with_replicas_anti_affinity_and_a_zero_downtime_rollout()
    {
        var d = Obj("Deployment", "hft-trading-system");
        Assert.True(int.Parse(d.Req("spec.replicas")) >= 2);
        Assert.Equal("hft-trading", d.Req("spec.selector.matchLabels.app"));
        Assert.Equal("hft-trading", d.Req("spec.template.metadata.labels.app"));
        Assert.Equal("RollingUpdate", d.Req("spec.strategy.type"));
        Assert.Equal("0", d.Req("spec.strategy.rollingUpdate.maxUnavailable"));
        var term = PodSpec.Seq("affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution")[0];
        Assert.Equal("kubernetes.io/hostname", term.Req("podAffinityTerm.topologyKey"));
        Assert.Equal("hft-trading", term.Req("podAffinityTerm.labelSelector.matchLabels.app"));

        var c = Container();
        Assert.Matches(@"^hft/trading-system:[A-Za-z0-9_][A-Za-z0-9_.-]*$", c.Req("image"));
        Assert.Equal(["serve", "--profile", "production"], c.Seq("args").Select(a => ((YamlScalarNode)a).Value!));
        Assert.Equal(("http", "8000"), (c.Req("ports.0.name"), c.Req("ports.0.containerPort")));
        Assert.Equal(("metrics", "8080"), (c.Req("ports.1.name"), c.Req("ports.1.containerPort")));
        Assert.Equal("hft-secrets", c.Req("envFrom.0.secretRef.name"));
        Assert.Equal("/app/config", c.Seq("env").Single(e => e.Str("name") == "HFT_CONFIG_DIR").Req("value"));
    }

    [Fact]
    public void Probes_use_health_for_liveness_and_ready_for_readiness_on_the_api_port()
    {
        var c = Container();
        Assert.Equal("/health", c.Req("livenessProbe.httpGet.path"));
        Assert.Equal("/ready", c.Req("readinessProbe.httpGet.path"));
        Assert.Equal("/health", c.Req("startupProbe.httpGet.path"));
        foreach (var probe in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
            Assert.Equal("http", c.Req($"{probe}.httpGet.port"));
        Assert.Equal("http", c.Req("ports.0.name"));
        // Start-up recovery (snapshot + journal replay) gets minutes before liveness applies.
        int startup = int.Parse(c.Req("startupProbe.periodSeconds")) * int.Parse(c.Req("startupProbe.failureThreshold"));
        Assert.True(startup >= 120, $"startup budget {startup} s");
    }

    [Fact]
    public void Resources_are_the_guides_requests_and_limits()
    {
        var c = Container();
        Assert.Equal("2", c.Req("resources.requests.cpu"));
        Assert.Equal("4Gi", c.Req("resources.requests.memory"));
        Assert.Equal("4", c.Req("resources.limits.cpu"));
        Assert.Equal("8Gi", c.Req("resources.limits.memory"));
    }

    [Fact]
    public void Pods_run_non_root_read_only_without_capabilities_or_privilege_escalation_under_seccomp()
    {
        Assert.Equal("true", PodSpec.Req("securityContext.runAsNonRoot"));
        Assert.NotEqual("0", PodSpec.Req("securityContext.runAsUser"));
        Assert.Equal("RuntimeDefault", PodSpec.Req("securityContext.seccompProfile.type"));
        Assert.Equal("false", PodSpec.Req("automountServiceAccountToken"));
        foreach (var c in PodSpec.Seq("containers").Concat(PodSpec.Seq("initContainers")))
        {
            Assert.Equal("true", c.Req("securityContext.readOnlyRootFilesystem"));
            Assert.Equal("false", c.Req("securityContext.allowPrivilegeEscalation"));
            Assert.Equal(["ALL"], c.Seq("securityContext.capabilities.drop").Select(x => ((YamlScalarNode)x).Value!));
            // Writable: only /app/data and /tmp (plus the backups volume); config is mounted read-only.
            var mounts = c.Seq("volumeMounts").ToDictionary(m => m.Req("mountPath"), m => m.Str("readOnly") == "true");
            Assert.Contains("/app/data", mounts.Keys);
            Assert.Contains("/tmp", mounts.Keys);
            Assert.All(mounts.Where(m => m.Key is not ("/app/data" or "/tmp" or "/backups")), m => Assert.True(m.Value, $"{m.Key} must be read-only"));
        }
        var cron = Obj("CronJob", "hft-backup").Map("spec.jobTemplate.spec.template.spec");
        Assert.Equal("true", cron.Req("securityContext.runAsNonRoot"));
        Assert.Equal("true", cron.Req("containers.0.securityContext.readOnlyRootFilesystem"));
    }

    [Fact]
    public void Grace_period_covers_the_production_shutdown_timeout_and_the_pre_stop_delay()
    {
        var toml = Repo.ReadText("config", "production.toml");
        int shutdown = int.Parse(Regex.Match(toml, @"(?m)^shutdown_timeout_seconds\s*=\s*(\d+)").Groups[1].Value);
        int grace = int.Parse(PodSpec.Req("terminationGracePeriodSeconds"));
        var preStop = Container().Seq("lifecycle.preStop.exec.command").Select(x => ((YamlScalarNode)x).Value!).ToList();
        Assert.Equal("sleep", preStop[0]);
        Assert.True(grace >= shutdown + int.Parse(preStop[1]), $"grace {grace} s < shutdown {shutdown} s + preStop {preStop[1]} s");
    }

    [Fact]
    public void Data_lives_on_a_per_pod_claim_and_the_restore_init_container_uses_the_cli()
    {
        var data = PodSpec.Seq("volumes").Single(v => v.Str("name") == "data");
        Assert.Equal("ReadWriteOnce", data.Req("ephemeral.volumeClaimTemplate.spec.accessModes.0"));
        Assert.Equal("Memory", PodSpec.Seq("volumes").Single(v => v.Str("name") == "tmp").Req("emptyDir.medium"));
        Assert.Equal("hft-config", PodSpec.Seq("volumes").Single(v => v.Str("name") == "config").Req("configMap.name"));
        var init = PodSpec.Seq("initContainers").Single(c => c.Str("name") == "restore");
        Assert.Equal(Container().Req("image"), init.Req("image"));
        Assert.Contains("dotnet /app/hft.dll restore \"$archive\" --data /app/data --force", init.Req("args.0"));
    }

    [Fact]
    public void Service_exposes_the_api_on_8000_and_the_operations_listener_on_8080_with_client_affinity()
    {
        var s = Obj("Service", "hft-trading-service");
        Assert.Equal("hft-trading", s.Req("spec.selector.app"));
        Assert.Equal(("http", "8000", "http"), (s.Req("spec.ports.0.name"), s.Req("spec.ports.0.port"), s.Req("spec.ports.0.targetPort")));
        Assert.Equal(("metrics", "8080", "metrics"), (s.Req("spec.ports.1.name"), s.Req("spec.ports.1.port"), s.Req("spec.ports.1.targetPort")));
        Assert.Equal("ClientIP", s.Req("spec.sessionAffinity"));
    }

    [Fact]
    public void Autoscaler_disruption_budget_and_ingress_match_the_guide()
    {
        var hpa = Obj("HorizontalPodAutoscaler", "hft-trading-system");
        Assert.Equal("hft-trading-system", hpa.Req("spec.scaleTargetRef.name"));
        Assert.Equal(("2", "10"), (hpa.Req("spec.minReplicas"), hpa.Req("spec.maxReplicas")));
        Assert.Equal("cpu", hpa.Req("spec.metrics.0.resource.name"));
        Assert.Equal("70", hpa.Req("spec.metrics.0.resource.target.averageUtilization"));
        var pdb = Obj("PodDisruptionBudget", "hft-trading-system");
        Assert.Equal("hft-trading", pdb.Req("spec.selector.matchLabels.app"));
        Assert.True(int.Parse(pdb.Req("spec.minAvailable")) >= 1);
        var ingress = Obj("Ingress", "hft-trading");
        Assert.NotNull(ingress.Str("spec.tls.0.secretName"));
        Assert.Equal(ingress.Req("spec.rules.0.host"), ingress.Req("spec.tls.0.hosts.0"));
        Assert.Equal("hft-trading-service", ingress.Req("spec.rules.0.http.paths.0.backend.service.name"));
        Assert.Equal("8000", ingress.Req("spec.rules.0.http.paths.0.backend.service.port.number")); // the API, never /metrics
    }

    [Fact]
    public void Network_policy_admits_the_ingress_to_the_api_port_and_prometheus_to_the_operations_port_and_lets_out_only_redis_and_dns()
    {
        var np = Obj("NetworkPolicy", "hft-trading-system");
        Assert.Equal("hft-trading", np.Req("spec.podSelector.matchLabels.app"));
        Assert.Equal(["Ingress", "Egress"], np.Seq("spec.policyTypes").Select(x => ((YamlScalarNode)x).Value!));
        var ingress = np.Seq("spec.ingress");
        Assert.Equal(2, ingress.Count);
        var controller = Assert.Single(ingress[0].Seq("from"));
        Assert.Equal("ingress-nginx", controller.Map("namespaceSelector.matchLabels").Literal("kubernetes.io/metadata.name"));
        Assert.Equal("8000", Assert.Single(ingress[0].Seq("ports")).Req("port"));
        var prometheus = Assert.Single(ingress[1].Seq("from"));
        Assert.Equal("monitoring", prometheus.Map("namespaceSelector.matchLabels").Literal("kubernetes.io/metadata.name"));
        Assert.Equal("prometheus", prometheus.Map("podSelector.matchLabels").Literal("app.kubernetes.io/name"));
        Assert.Equal("8080", Assert.Single(ingress[1].Seq("ports")).Req("port"));
        var egress = np.Seq("spec.egress");
        Assert.Equal(2, egress.Count);
        Assert.Equal("6379", egress[0].Req("ports.0.port"));
        Assert.Equal(["53", "53"], egress[1].Seq("ports").Select(p => p.Req("port")));
    }

    [Fact]
    public void Rbac_grants_the_server_nothing_and_the_backup_job_only_pod_listing_and_exec()
    {
        Assert.Equal("false", Obj("ServiceAccount", "hft-trading").Req("automountServiceAccountToken"));
        Assert.DoesNotContain(s_objects.Values, o => o.Str("kind") == "RoleBinding" && o.Seq("subjects").Any(s => s.Str("name") == "hft-trading"));
        var rules = Obj("Role", "hft-backup").Seq("rules")
            .SelectMany(r => r.Seq("resources").SelectMany(res => r.Seq("verbs").Select(v => $"{((YamlScalarNode)res).Value}:{((YamlScalarNode)v).Value}")))
            .Order().ToList();
        Assert.Equal(["pods/exec:create", "pods:get", "pods:list"], rules);
        Assert.DoesNotContain(s_objects.Keys, k => k.Kind is "ClusterRole" or "ClusterRoleBinding");
        Assert.Equal("hft-backup", Obj("CronJob", "hft-backup").Req("spec.jobTemplate.spec.template.spec.serviceAccountName"));
    }

    [Fact]
    public void Backup_cron_job_runs_hft_backup_every_six_hours_and_verifies()
    {
        var cron = Obj("CronJob", "hft-backup");
        Assert.Equal("0 */6 * * *", cron.Req("spec.schedule"));
        Assert.Equal("Forbid", cron.Req("spec.concurrencyPolicy"));
        var script = cron.Req("spec.jobTemplate.spec.template.spec.containers.0.args.0");
        Assert.Contains("dotnet /app/hft.dll backup --url https://127.0.0.1:8000 --ca-file /app/tls/ca.crt --token \"$T\" --out \"$2\"", script);
        Assert.Contains("dotnet /app/hft.dll backup --verify \"$2\"", script);
        Assert.Contains("dotnet /app/hft.dll token --account ADMIN --role admin --lifetime 300", script);
        Assert.Equal("ReadWriteMany", Obj("PersistentVolumeClaim", "hft-backups").Req("spec.accessModes.0"));
    }

    [Fact]
    public void Service_monitor_scrapes_metrics_and_the_prometheus_rule_carries_the_same_groups_as_alert_rules_yml()
    {
        var sm = Obj("ServiceMonitor", "hft-trading");
        Assert.Equal("hft-trading", sm.Req("spec.selector.matchLabels.app"));
        Assert.Equal("metrics", sm.Req("spec.endpoints.0.port")); // the operations listener: the API port has no /metrics
        Assert.Equal("/metrics", sm.Req("spec.endpoints.0.path"));
        Assert.Equal("hft-trading", sm.Req("spec.endpoints.0.relabelings.0.replacement")); // job="hft-trading" as the alerts expect

        var rule = Obj("PrometheusRule", "hft-trading");
        var source = Yaml.Load(Repo.Deployment("monitoring", "alert-rules.yml"));
        Assert.Null(Yaml.Difference(Yaml.Plain(source.At("groups")), Yaml.Plain(rule.At("spec.groups"))));
    }

    [Fact]
    public void Config_map_holds_exactly_the_repository_profiles()
    {
        var cm = Obj("ConfigMap", "hft-config");
        var files = Directory.GetFiles(Repo.Path("config"), "*.toml").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        var data = cm.Map("data").Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
        Assert.Equal(files.Keys.Order(), data.Keys.Order());
        foreach (var (name, text) in files)
            Assert.True(text == data[name],
                $"deployment/kubernetes/configmap.yaml differs from config/{name}: regenerate it with the command in its header");
    }

    [Fact]
    public void Secret_template_names_the_auth_secret_and_is_not_applied_with_the_directory()
    {
        var template = File.ReadAllText(Repo.Deployment("kubernetes", "secret.yaml.template"));
        var secret = Yaml.LoadText(template);
        Assert.Equal("hft-secrets", secret.Req("metadata.name"));
        Assert.Equal("${HFT_AUTH__SECRET}", secret.Req("stringData.HFT_AUTH__SECRET"));
        Assert.DoesNotContain(s_objects.Keys, k => k.Kind == "Secret"); // no placeholder secret gets applied by accident
    }

    [SkippableFact]
    public void Kustomize_builds_the_development_option_and_the_operator_objects_offline()
    {
        Tool.RequireKustomizeOrSkip();
        int built = 0;
        foreach (var dir in new[] { "development", "operator" })
        {
            var r = Tool.Run("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", $"deployment/kubernetes/{dir}"], timeoutSeconds: 60);
            Assert.True(r.ExitCode == 0, r.ToString());
            built += Regex.Matches(r.Stdout, "(?m)^kind: ").Count;
        }
        Assert.Equal(s_objects.Count, built);
    }
}
