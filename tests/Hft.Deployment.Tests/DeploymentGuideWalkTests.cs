using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// Walks the deployment guide (../shared/spec/deployment-guide.md from the repository root): every command of its bash
/// blocks, in the guide's order, is one test case with an entry in <see cref="s_coverage"/> — run here (compose config
/// of each compose file, kubectl's client dry runs against <see cref="FakeKubeApi"/>, deploy.sh's dry run, kubectl's
/// and promtool's checks), checked statically and reported skipped where it needs a cluster or a running server (with
/// the reason), or a deviation that docs/DEPLOYMENT.md's table maps to what to run here (whose target is then checked).
/// A command added to the guide without an entry fails; so does an entry the guide no longer has.
/// </summary>
public sealed partial class DeploymentGuideWalkTests
{
    private static readonly string s_guidePath = Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "spec", "deployment-guide.md"));
    private static readonly string s_docs = Repo.ReadText("docs", "DEPLOYMENT.md");

    private const string NeedsCluster = "needs a Kubernetes cluster (none here); what it relies on in the repository was checked first";

    /// <summary>
    /// docs/DEPLOYMENT.md's "Step by step", in order: the guide's steps 1 and 2 with what must exist before
    /// deployment.yaml (the Secrets, the ConfigMap, the ServiceAccounts and the backups volume), then the rest.
    /// </summary>
    internal static readonly string[] StepByStep =
    [
        "kubectl create namespace hft",
        "kubectl create secret generic hft-secrets -n hft --from-literal=HFT_AUTH__SECRET=\"$(openssl rand -hex 32)\"",
        "kubectl create secret generic hft-tls -n hft --from-file=tls.crt --from-file=tls.key --from-file=ca.crt",
        "kubectl apply -f deployment/kubernetes/configmap.yaml",
        "kubectl apply -f deployment/kubernetes/rbac.yaml -f deployment/kubernetes/role-labeler-rbac.yaml -f deployment/kubernetes/role-labeler-configmap.yaml -f deployment/kubernetes/backups-pvc.yaml",
        "kubectl apply -f deployment/kubernetes/deployment.yaml",
        "kubectl apply -f deployment/kubernetes/",
    ];

    private sealed record Coverage(string How, Action Check, string? SkipReason = null);

    private static Coverage Runs(string how, Action check) => new(how, check);

    private static Coverage CheckedThenSkipped(string how, string reason, Action check) => new(how, check, reason);

    private static Coverage Deviation(string row, Action check)
        => new($"deviation: docs/DEPLOYMENT.md's table row for '{row}'", () => { AssertDeviationRow(row); check(); });

    /// <summary>Each command of the guide (whitespace-normalized, continuation lines joined) and how it is covered.</summary>
    private static readonly Dictionary<string, Coverage> s_coverage = new()
    {
        ["curl -fsSL https://get.docker.com | sh"] = CheckedThenSkipped("installs Docker", "downloads and installs software from the internet: not run by the tests", () => { }),
        ["curl -fsSL https://raw.githubusercontent.com/helm/helm/main/scripts/get-helm-3 | bash"] =
            CheckedThenSkipped("installs Helm", "downloads and installs software from the internet: not run by the tests", () => { }),
        ["docker --version"] = Runs("docker --version where docker is installed", () => RunIfInstalled("docker", ["--version"])),
        ["kubectl version --client"] = Runs("kubectl version --client", () => Assert.Equal(0, Tool.Run("kubectl", ["version", "--client"]).ExitCode)),
        ["helm version"] = Runs("helm version where Helm is installed", () => RunIfInstalled("helm", ["version"])),
        ["git clone <repository-url>"] = CheckedThenSkipped("clones the repository", "needs the repository's URL and the network; this is the clone", () => Assert.True(File.Exists(Repo.Path("Hft.sln")))),
        ["cd hft/deployment/docker"] = Runs("the directory holds the compose files", () => Assert.True(File.Exists(Repo.Deployment("docker", "docker-compose.yml")))),
        ["docker-compose up -d"] = Runs("docker-compose config of every compose file; docker-compose.yml needs no secret", ComposeConfigOfEveryFile),
        ["docker-compose logs -f hft-trading"] = Runs("service hft-trading exists", () => Assert.NotNull(DevelopmentCompose().At("services.hft-trading"))),
        ["docker-compose up -d --scale hft-trading=3"] = Runs("hft-trading has no fixed host port, name or shared data volume", ComposeScales),
        ["docker-compose down"] = Runs("docker-compose config", () => Assert.NotNull(DevelopmentCompose().At("services"))),
        ["./deployment/scripts/deploy.sh --environment production --tag v1.0.0"] = Runs("deploy.sh with --dry-run", DeployScriptDryRun),
        ["kubectl apply -f deployment/kubernetes/"] = Runs("kubectl apply --dry-run=client -f deployment/kubernetes/ against an empty API server", ApplyDirectory),
        ["kubectl create namespace hft"] = Runs("kubectl create namespace hft --dry-run=client", CreateNamespace),
        ["kubectl apply -f deployment/kubernetes/deployment.yaml"] = Runs("docs/DEPLOYMENT.md's step by step, in order, with kubectl's client dry run", ApplyStepByStep),
        ["kubectl get pods -n hft"] = CheckedThenSkipped("the group's pods are in namespace hft", NeedsCluster,
            () => Assert.Equal("hft", Production(("StatefulSet", "hft")).Req("metadata.namespace"))),
        ["kubectl get services -n hft"] = CheckedThenSkipped("Services in namespace hft", NeedsCluster,
            () => Assert.Contains(ProductionObjects().Keys, k => k.Kind == "Service")),
        ["kubectl port-forward service/hft-trading-service 8080:8080 -n hft"] = Runs("Service hft-trading-service in hft, port 8080 to the pods' operations port", PortForwardHftTradingService),
        ["curl http://localhost:8080/health"] = Runs("port 8080 is the operations listener; the guide's curl against a real server's operations listener",
            () => { OperationsPortServesHealth(); Assert.Contains("\"ok\"", CurlOnServer("curl http://localhost:8080/health")); }),
        ["kubectl port-forward service/grafana 3000:3000 -n monitoring"] = Runs("Service grafana in monitoring, port 3000 to Grafana's", PortForwardGrafana),
        ["open http://localhost:3000"] = Runs("Grafana's default login admin/admin", GrafanaDefaultLogin),
        ["echo 'isolated_cores=0-3' >> /etc/default/grub"] = Deviation("echo 'isolated_cores=0-3' >> /etc/default/grub", () => { }),
        ["echo 'vm.nr_hugepages=1024' >> /etc/sysctl.conf"] = Deviation("echo 'vm.nr_hugepages=1024' >> /etc/sysctl.conf", () => { }),
        ["echo 'net.core.rmem_max=134217728' >> /etc/sysctl.conf"] = Deviation("net.core.rmem_max", () => { }),
        ["echo 'net.core.wmem_max=134217728' >> /etc/sysctl.conf"] = Deviation("wmem_max", () => { }),
        ["export JAVA_OPTS=\"-Xms4g -Xmx8g -XX:+UseG1GC -XX:MaxGCPauseMillis=200\""] = Deviation("export JAVA_OPTS=...", () => { }),
        ["kubectl describe node <node-name>"] = CheckedThenSkipped("nothing of the repository", NeedsCluster, () => { }),
        ["kubectl exec -it <pod-name> -- ping <target>"] = Deviation("kubectl exec -it <pod-name> -- ping <target>", () => { }),
        ["kubectl top pods -n hft"] = CheckedThenSkipped("the pods declare requests and limits", NeedsCluster,
            () => Assert.NotNull(TradingContainer().At("resources.limits.memory"))),
        ["kubectl logs <pod-name> -n hft | grep -i memory"] = Deviation("kubectl logs <pod-name> -n hft \\| grep -i memory", () => { }),
        ["curl http://localhost:8080/debug/orderbook/BTCUSD"] = Runs("production trades BTCUSD; the guide's curl against a real server's operations listener",
            () => { OrderBookEndpoint(); Assert.Contains("BTCUSD", CurlOnServer("curl http://localhost:8080/debug/orderbook/BTCUSD")); }),
        ["kubectl rollout restart deployment/hft-trading-system -n hft"] = Deviation("kubectl rollout restart deployment/hft-trading-system -n hft", StatefulSetTarget),
        ["kubectl logs -l app=hft-trading -n hft --tail=1000"] = CheckedThenSkipped("the trading pods carry app=hft-trading", NeedsCluster,
            () => Assert.Equal("hft-trading", Production(("StatefulSet", "hft")).Req("spec.template.metadata.labels.app"))),
        ["kubectl logs -f deployment/hft-trading-system -n hft"] = Deviation("kubectl logs -f deployment/hft-trading-system -n hft", StatefulSetLogsDefaultToTheServer),
        ["kubectl logs deployment/hft-trading-system -n hft > hft-logs.txt"] = Deviation("kubectl logs deployment/hft-trading-system -n hft > hft-logs.txt", StatefulSetLogsDefaultToTheServer),
        ["curl -s http://localhost:8080/metrics | grep hft_"] = Runs("the pods' operations port is the scraped /metrics port; the guide's pipe against a real server",
            () =>
            {
                Assert.Equal("/metrics", Production(("StatefulSet", "hft")).Map("spec.template.metadata.annotations").Literal("prometheus.io/path"));
                var lines = CurlOnServer("curl -s http://localhost:8080/metrics | grep hft_").Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(lines.Length > 10 && lines.All(l => l.Contains("hft_", StringComparison.Ordinal)), string.Join('\n', lines.Take(5)));
            }),
        ["kubectl exec -it <pod-name> -- perf top"] = Deviation("kubectl exec -it <pod-name> -- perf top", () => { }),
        ["kubectl exec -it <pod-name> -- ss -tulpn"] = Deviation("-- ss -tulpn", () => { }),
        ["kubectl set image deployment/hft-trading-system hft-trading=hft/trading-system:v1.1.0 -n hft"] =
            Deviation("kubectl set image deployment/hft-trading-system hft-trading=hft/trading-system:v1.1.0 -n hft", StatefulSetTarget),
        ["kubectl rollout status deployment/hft-trading-system -n hft"] = Deviation("kubectl rollout status deployment/hft-trading-system -n hft", StatefulSetTarget),
        ["kubectl rollout undo deployment/hft-trading-system -n hft"] = Deviation("kubectl rollout undo deployment/hft-trading-system -n hft", StatefulSetTarget),
        ["kubectl scale deployment hft-trading-system --replicas=5 -n hft"] = Deviation("kubectl scale deployment hft-trading-system --replicas=5 -n hft", DevelopmentDeploymentTarget),
        ["kubectl autoscale deployment hft-trading-system --cpu-percent=70 --min=2 --max=10 -n hft"] =
            Deviation("kubectl autoscale deployment hft-trading-system", DevelopmentDeploymentTarget),
        ["kubectl get configmaps -n hft -o yaml > hft-config-backup.yaml"] = CheckedThenSkipped("the ConfigMaps are in namespace hft", NeedsCluster,
            () => Assert.All(ProductionObjects().Where(o => o.Key.Kind == "ConfigMap"), o => Assert.Equal("hft", o.Value.Req("metadata.namespace")))),
        ["kubectl exec -it <pod-name> -- tar -czf /tmp/backup.tar.gz /app/data"] = Deviation("kubectl exec -it <pod-name> -- tar -czf /tmp/backup.tar.gz /app/data", () => { }),
        ["kubectl apply -f hft-config-backup.yaml"] = CheckedThenSkipped("restores what the backup command saved", NeedsCluster, () => { }),
    };

    // ---- the guide ----

    /// <summary>The commands of the guide's bash blocks in order, or null when the guide is not there.</summary>
    internal static List<string>? GuideCommands()
    {
        if (!File.Exists(s_guidePath)) return null;
        var commands = new List<string>();
        foreach (Match block in BashBlockRegex().Matches(File.ReadAllText(s_guidePath)))
        {
            var pending = "";
            foreach (var raw in block.Groups[1].Value.Split('\n'))
            {
                var line = raw.Trim();
                if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
                if (line.EndsWith('\\'))
                {
                    pending += line[..^1] + " ";
                    continue;
                }
                commands.Add(Normalize(pending + line));
                pending = "";
            }
        }
        return commands;
    }

    private static string Normalize(string command) => Regex.Replace(command.Trim(), @"\s+", " ");

    public static IEnumerable<object[]> GuideSteps()
    {
        var commands = GuideCommands();
        if (commands is null)
        {
            yield return [0, "(the guide is missing)"];
            yield break;
        }
        for (int i = 0; i < commands.Count; i++) yield return [i + 1, commands[i]];
    }

    [SkippableTheory]
    [MemberData(nameof(GuideSteps))]
    public void Guide_command(int step, string command)
    {
        Skip.If(step == 0, $"the deployment guide is not at {s_guidePath}");
        Assert.True(s_coverage.TryGetValue(command, out var coverage),
            $"guide step {step}: `{command}` has no entry in DeploymentGuideWalkTests' coverage table: add the check that runs it here, or its deviation (docs/DEPLOYMENT.md's table)");
        coverage!.Check();
        Skip.If(coverage.SkipReason is not null, $"`{command}`: {coverage.SkipReason}");
    }

    [SkippableFact]
    public void Every_guide_command_has_an_entry_and_every_entry_is_a_guide_command()
    {
        var commands = GuideCommands();
        Skip.If(commands is null, $"the deployment guide is not at {s_guidePath}");
        Assert.True(commands!.Count >= 40, $"only {commands.Count} commands found in the guide's bash blocks");
        var uncovered = commands.Where(c => !s_coverage.ContainsKey(c)).ToList();
        Assert.True(uncovered.Count == 0, "guide commands without coverage: " + string.Join(" | ", uncovered));
        var stale = s_coverage.Keys.Where(k => !commands.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "coverage entries the guide no longer has: " + string.Join(" | ", stale));
    }

    [Fact]
    public void Docs_give_the_step_by_step_commands_in_order()
    {
        int at = s_docs.IndexOf("### Step by step", StringComparison.Ordinal);
        Assert.True(at >= 0, "docs/DEPLOYMENT.md has no 'Step by step'");
        foreach (var command in StepByStep)
        {
            int next = s_docs.IndexOf(command, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"docs/DEPLOYMENT.md's step by step lacks (or has out of order) `{command}`");
            at = next + command.Length;
        }
    }

    // ---- compose ----

    private static readonly Lazy<YamlMappingNode> s_devCompose = new(() =>
    {
        var r = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "config"], Repo.Deployment("docker"),
            new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = null, ["HFT_PROFILE"] = null });
        Assert.True(r.ExitCode == 0, "docker-compose config without any secret: " + r);
        return Yaml.LoadText(r.Stdout);
    });

    private static YamlMappingNode DevelopmentCompose()
    {
        Tool.RequireOrSkip("docker-compose", "docker-compose config checks the compose files (scripts/test.sh installs docker-compose)");
        return s_devCompose.Value;
    }

    private static void ComposeConfigOfEveryFile()
    {
        var dev = DevelopmentCompose();
        Assert.Equal("development", dev.Req("services.hft-trading.environment.HFT_PROFILE"));
        Assert.Contains(dev.Str("services.hft-trading.environment.HFT_AUTH__SECRET"), new string?[] { null, "null" }); // YAML null: passed through only when set
        var secrets = new Dictionary<string, string?>
        {
            ["HFT_AUTH__SECRET"] = new string('s', 40), ["HFT_PROFILE"] = null, ["HFT_OPS_TOKEN"] = "the-ops-token",
            ["HFT_OPS_TOKEN_SHA256"] = new string('a', 64),
        };
        var files = Directory.GetFiles(Repo.Deployment("docker"), "docker-compose.*.yml").Select(f => Path.GetFileName(f)).Order().ToList();
        Assert.Contains("docker-compose.replicated.yml", files);
        Assert.Contains("docker-compose.production.yml", files);
        foreach (var file in files)
        {
            var r = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "-f", file, "config"], Repo.Deployment("docker"), secrets);
            Assert.True(r.ExitCode == 0, $"docker-compose -f docker-compose.yml -f {file} config: {r}");
        }
    }

    private static void ComposeScales()
    {
        var hft = DevelopmentCompose().Map("services.hft-trading");
        Assert.Null(hft.At("ports"));
        Assert.Null(hft.At("container_name"));
        Assert.Equal("/app/data", Assert.Single(hft.Seq("volumes")).ToString());
    }

    // ---- Kubernetes ----

    private static readonly Lazy<Dictionary<(string Kind, string Name), YamlMappingNode>> s_production = new(() =>
    {
        var all = new Dictionary<(string, string), YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Repo.Deployment("kubernetes"), "*.yaml").Order())
            foreach (var doc in Yaml.Documents(file))
                all.Add((doc.Req("kind"), doc.Req("metadata.name")), doc);
        return all;
    });

    /// <summary>deployment/kubernetes/*.yaml: what `kubectl apply -f deployment/kubernetes/` applies.</summary>
    private static Dictionary<(string Kind, string Name), YamlMappingNode> ProductionObjects() => s_production.Value;

    private static YamlMappingNode Production((string Kind, string Name) key)
        => ProductionObjects().TryGetValue(key, out var o) ? o : throw new Xunit.Sdk.XunitException($"no {key.Kind} {key.Name} in deployment/kubernetes/*.yaml");

    private static YamlNode TradingContainer()
        => Production(("StatefulSet", "hft")).Seq("spec.template.spec.containers").Single(c => c.Str("name") == "hft-trading");

    private static void RequireKubectl() => Tool.RequireOrSkip("kubectl", "kubectl's client dry runs (scripts/test.sh installs kubernetes-client)");

    /// <summary>Runs a guide command with kubectl's client dry run against an empty API server.</summary>
    private static ToolResult DryRun(FakeKubeApi api, string command, string? workingDirectory = null)
    {
        var line = command.StartsWith("kubectl apply", StringComparison.Ordinal) ? command + " --dry-run=client --validate=false"
            : command.StartsWith("kubectl create", StringComparison.Ordinal) ? command + " --dry-run=client -o name"
            : throw new ArgumentException("not a kubectl apply or create: " + command);
        var r = api.Shell(line, workingDirectory);
        Assert.True(r.ExitCode == 0, $"`{line}`: {r}");
        return r;
    }

    private static void ApplyDirectory()
    {
        RequireKubectl();
        using var api = new FakeKubeApi();
        var r = DryRun(api, "kubectl apply -f deployment/kubernetes/");
        // Every object of every file, none refused (a kustomization.yaml here would be refused: no such kind).
        Assert.Equal(ProductionObjects().Count, Regex.Matches(r.Stdout, @"(?m) created \(dry run\)$").Count);
        Assert.Contains("statefulset.apps/hft created (dry run)", r.Stdout);
        Assert.Contains("service/hft-trading-service created (dry run)", r.Stdout);
        Assert.Contains("poddisruptionbudget.policy/hft created (dry run)", r.Stdout);
        Assert.DoesNotContain("deployment.apps/", r.Stdout); // the single engine is the development option only
        // Nothing the pods need is missing: Secret hft-secrets is the generator Job's when nobody created it; Secret
        // hft-tls (the production profile serves TLS) is the one prerequisite, which the docs create first.
        var created = ProductionObjects().Keys.ToHashSet();
        created.Add(("Secret", "hft-secrets"));
        Assert.Equal(new List<(string Kind, string Name)> { ("Secret", "hft-tls") }, MissingReferences(ProductionObjects().Values, created));
        Assert.Contains("Job", ProductionObjects().Keys.Where(k => k.Name == "hft-secrets-generator").Select(k => k.Kind));
        Assert.Contains("kubectl create secret generic hft-tls -n hft", s_docs[s_docs.IndexOf("### Manual deployment", StringComparison.Ordinal)..]);
    }

    private static void CreateNamespace()
    {
        RequireKubectl();
        using var api = new FakeKubeApi();
        Assert.Equal("namespace/hft", DryRun(api, "kubectl create namespace hft").Stdout.Trim());
        Assert.Equal("hft", Production(("Namespace", "hft")).Req("metadata.name"));
    }

    private static void ApplyStepByStep()
    {
        RequireKubectl();
        using var api = new FakeKubeApi();
        var tls = Directory.CreateTempSubdirectory("hft-tls-");
        try
        {
            foreach (var f in new[] { "tls.crt", "tls.key", "ca.crt" }) File.WriteAllText(Path.Combine(tls.FullName, f), "test");
            var available = new HashSet<(string Kind, string Name)>();
            foreach (var step in StepByStep)
            {
                var r = DryRun(api, step, step.Contains("--from-file=", StringComparison.Ordinal) ? tls.FullName : null);
                var objects = ObjectsOf(step);
                foreach (var o in objects) available.Add((o.Req("kind"), o.Req("metadata.name")));
                if (step.StartsWith("kubectl create namespace", StringComparison.Ordinal)) available.Add(("Namespace", "hft"));
                var secret = Regex.Match(step, @"^kubectl create secret generic (\S+)");
                if (secret.Success) available.Add(("Secret", secret.Groups[1].Value));
                // Everything this step's pods need was created by this step or an earlier one.
                var missing = MissingReferences(objects, available);
                Assert.True(missing.Count == 0, $"`{step}`: its pods would wait for {string.Join(", ", missing)}");
                Assert.All(objects, o => Assert.Contains($"{o.Req("metadata.name")} created (dry run)", r.Stdout));
                if (step == "kubectl apply -f deployment/kubernetes/deployment.yaml")
                {
                    // The guide's step 2: the group, its Services (step 4 port-forwards to one) and its budget.
                    Assert.Contains(("StatefulSet", "hft"), available);
                    Assert.Contains(("Service", "hft-trading-service"), available);
                    Assert.Contains(("PodDisruptionBudget", "hft"), available);
                }
            }
        }
        finally
        {
            tls.Delete(recursive: true);
        }
    }

    /// <summary>The objects a `kubectl apply -f ...` step applies (files, or a directory's *.yaml).</summary>
    private static List<YamlMappingNode> ObjectsOf(string step)
    {
        var files = Regex.Matches(step, @"-f (\S+)").Select(m => m.Groups[1].Value)
            .SelectMany(p => p.EndsWith('/') ? Directory.GetFiles(Repo.Path(p.TrimEnd('/')), "*.yaml").Order().ToArray() : new[] { Repo.Path(p) });
        return files.SelectMany(Yaml.Documents).ToList();
    }

    /// <summary>ConfigMaps, Secrets, ServiceAccounts and claims the objects' pod templates need that are not available.</summary>
    private static List<(string Kind, string Name)> MissingReferences(IEnumerable<YamlMappingNode> objects, HashSet<(string Kind, string Name)> available)
    {
        var missing = new List<(string, string)>();
        foreach (var o in objects)
        {
            var pod = o.Req("kind") switch
            {
                "StatefulSet" or "Deployment" or "Job" => o.At("spec.template.spec"),
                "CronJob" => o.At("spec.jobTemplate.spec.template.spec"),
                _ => null,
            };
            if (pod is null) continue;
            var needed = new List<(string, string)>();
            if (pod.Str("serviceAccountName") is { } sa) needed.Add(("ServiceAccount", sa));
            foreach (var v in pod.At("volumes") is YamlSequenceNode vs ? vs.Children : [])
            {
                if (v.Str("configMap.name") is { } cm && v.Str("configMap.optional") != "true") needed.Add(("ConfigMap", cm));
                if (v.Str("secret.secretName") is { } s && v.Str("secret.optional") != "true") needed.Add(("Secret", s));
                if (v.Str("persistentVolumeClaim.claimName") is { } pvc) needed.Add(("PersistentVolumeClaim", pvc));
                foreach (var src in v.At("projected.sources") is YamlSequenceNode ps ? ps.Children : [])
                    if (src.Str("configMap.name") is { } pcm && pcm != "kube-root-ca.crt") needed.Add(("ConfigMap", pcm)); // kube-root-ca.crt: every namespace has it
            }
            foreach (var c in new[] { "containers", "initContainers" }.SelectMany(k => pod.At(k) is YamlSequenceNode cs ? cs.Children : []))
                foreach (var e in c.At("envFrom") is YamlSequenceNode es ? es.Children : [])
                {
                    if (e.Str("secretRef.name") is { } s && e.Str("secretRef.optional") != "true") needed.Add(("Secret", s));
                    if (e.Str("configMapRef.name") is { } cm && e.Str("configMapRef.optional") != "true") needed.Add(("ConfigMap", cm));
                }
            missing.AddRange(needed.Where(n => !available.Contains(n)));
        }
        return missing.Distinct().Order().ToList();
    }

    private static void DeployScriptDryRun()
    {
        var r = Tool.Run(Repo.Deployment("scripts", "deploy.sh"), ["--environment", "production", "--tag", "v1.0.0", "--dry-run"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("--set replication.enabled=true", r.Stdout);
        Assert.Contains("[dry-run] kubectl rollout status statefulset/hft -n hft", r.Stdout);
    }

    private static void PortForwardHftTradingService()
    {
        var service = Production(("Service", "hft-trading-service"));
        Assert.Equal("hft", service.Req("metadata.namespace"));
        var port = service.Seq("spec.ports").Single(p => p.Str("port") == "8080");
        var target = port.Req("targetPort");
        var containerPort = TradingContainer().Seq("ports").Single(p => p.Str("name") == target);
        Assert.Equal(("metrics", "8080"), (target, containerPort.Req("containerPort")));
        // It selects the members (the leader among them: the role-labeler sets hft.io/role on the pods).
        var podLabels = ((YamlMappingNode)Production(("StatefulSet", "hft")).At("spec.template.metadata.labels")!).Children
            .ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        podLabels["hft.io/role"] = "leader";
        var selector = ((YamlMappingNode)service.At("spec.selector")!).Children.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToString());
        Assert.All(selector, kv => Assert.Equal(kv.Value, podLabels.GetValueOrDefault(kv.Key)));
    }

    private static void OperationsPortServesHealth()
    {
        PortForwardHftTradingService();
        var env = TradingContainer().Seq("env").Where(e => e.Str("value") is not null).ToDictionary(e => e.Req("name"), e => e.Req("value"));
        Assert.Equal("8080", env["HFT_MONITORING__METRICS_PORT"]);
        // The role-labeler asks the same plain listener for /ready?role=leader; /health is served beside it.
        Assert.Contains("8080", Production(("StatefulSet", "hft")).Seq("spec.template.spec.containers").Single(c => c.Str("name") == "role-labeler").Seq("args").Select(a => a.ToString()));
        Assert.Contains("\"/health\"", string.Concat(Directory.GetFiles(Repo.Path("src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText)));
    }

    private static void OrderBookEndpoint()
    {
        Assert.Contains("/debug/orderbook/", string.Concat(Directory.GetFiles(Repo.Path("src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText)));
        Assert.Matches(@"(?m)^enabled_symbols\s*=.*""BTCUSD""", Repo.ReadText("config", "production.toml"));
    }

    private static void StatefulSetTarget()
    {
        var sts = Production(("StatefulSet", "hft"));
        Assert.Equal("hft", sts.Req("metadata.namespace"));
        Assert.Contains(sts.Seq("spec.template.spec.containers"), c => c.Str("name") == "hft-trading");
        Assert.Equal("RollingUpdate", sts.Req("spec.updateStrategy.type"));
        // State survives the restart: each member's claim (data-hft-<i>) outlives its pod.
        Assert.Equal("data", sts.Req("spec.volumeClaimTemplates.0.metadata.name"));
        Assert.Equal("Retain", sts.Req("spec.persistentVolumeClaimRetentionPolicy.whenDeleted"));
    }

    private static void StatefulSetLogsDefaultToTheServer()
    {
        StatefulSetTarget();
        Assert.Equal("hft-trading", Production(("StatefulSet", "hft")).Map("spec.template.metadata.annotations").Literal("kubectl.kubernetes.io/default-container"));
    }

    private static void DevelopmentDeploymentTarget()
    {
        var d = Yaml.Documents(Repo.Deployment("kubernetes", "development", "deployment.yaml")).Single(o => o.Req("kind") == "Deployment");
        Assert.Equal("hft-trading-system", d.Req("metadata.name"));
        Assert.Equal("hft", d.Req("metadata.namespace"));
    }

    // ---- monitoring ----

    private static readonly Lazy<Dictionary<(string Kind, string Name), YamlMappingNode>> s_monitoring = new(() =>
    {
        Tool.RequireKustomizeOrSkip();
        var r = Tool.Run("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", "deployment/kubernetes/monitoring"], timeoutSeconds: 60);
        Assert.True(r.ExitCode == 0, r.ToString());
        return ReplicatedManifestTests.ByKindAndName(r.Stdout);
    });

    private static void PortForwardGrafana()
    {
        var objects = s_monitoring.Value;
        var service = objects[("Service", "grafana")];
        Assert.Equal("monitoring", service.Req("metadata.namespace"));
        var port = service.Seq("spec.ports").Single(p => p.Str("port") == "3000");
        var grafana = objects[("Deployment", "grafana")].Seq("spec.template.spec.containers").Single(c => c.Str("name") == "grafana");
        Assert.Equal("3000", grafana.Seq("ports").Single(p => p.Str("name") == port.Req("targetPort")).Req("containerPort"));
        Assert.True(objects.ContainsKey(("Service", "prometheus")));
    }

    private static void GrafanaDefaultLogin()
    {
        var grafana = s_monitoring.Value[("Deployment", "grafana")].Seq("spec.template.spec.containers").Single(c => c.Str("name") == "grafana");
        var env = grafana.Seq("env").ToDictionary(e => e.Req("name"), e => e.Str("value"));
        Assert.Equal(("admin", "admin"), (env["GF_SECURITY_ADMIN_USER"], env["GF_SECURITY_ADMIN_PASSWORD"]));
    }

    [SkippableFact]
    public void Monitoring_on_kubernetes_provisions_the_compose_stacks_dashboards_rules_and_datasource_from_the_same_files()
    {
        var objects = s_monitoring.Value;
        // The dashboards: every JSON file of deployment/monitoring/grafana/dashboards, byte for byte.
        var dashboards = objects.Single(o => o.Key.Kind == "ConfigMap" && o.Key.Name.StartsWith("grafana-dashboards-", StringComparison.Ordinal)).Value.Map("data");
        var files = Directory.GetFiles(Repo.Deployment("monitoring", "grafana", "dashboards"), "*.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);
        Assert.Equal(files.Keys.Order(), dashboards.Children.Keys.Select(k => k.ToString()).Order());
        foreach (var (name, text) in files) Assert.Equal(text, dashboards.Literal(name));
        var rules = objects.Single(o => o.Key.Kind == "ConfigMap" && o.Key.Name.StartsWith("prometheus-config-", StringComparison.Ordinal)).Value.Map("data");
        Assert.Equal(File.ReadAllText(Repo.Deployment("monitoring", "alert-rules.yml")), rules.Literal("alert-rules.yml"));
        var datasource = objects.Single(o => o.Key.Kind == "ConfigMap" && o.Key.Name.StartsWith("grafana-datasources-", StringComparison.Ordinal)).Value.Map("data");
        Assert.Equal(File.ReadAllText(Repo.Deployment("monitoring", "grafana", "provisioning", "datasources", "prometheus.yml")), datasource.Literal("prometheus.yml"));
        Assert.Contains("url: http://prometheus:9090", datasource.Literal("prometheus.yml"));
        // The configMapGenerator refers to the files (no copies in deployment/kubernetes/monitoring).
        Assert.Empty(Directory.GetFiles(Repo.Deployment("kubernetes", "monitoring"), "*.json"));
        Assert.False(File.Exists(Repo.Deployment("kubernetes", "monitoring", "alert-rules.yml")));

        // Prometheus may reach the trading pods: the hft NetworkPolicy admits its label from namespace monitoring.
        var prometheus = objects[("Deployment", "prometheus")];
        Assert.Equal("prometheus", prometheus.Map("spec.template.metadata.labels").Literal("app.kubernetes.io/name"));
        Assert.Equal("monitoring", prometheus.Req("metadata.namespace"));
        var discovery = objects[("Role", "prometheus-discovery")];
        Assert.Equal("hft", discovery.Req("metadata.namespace"));
        Assert.DoesNotContain(objects.Keys, k => k.Kind is "ClusterRole" or "ClusterRoleBinding");
    }

    [SkippableFact]
    public void Promtool_checks_the_kubernetes_scrape_config_with_the_alert_rules()
    {
        Tool.RequireOrSkip("promtool", "promtool checks the Prometheus configuration (scripts/test.sh installs prometheus)");
        var config = File.ReadAllText(Repo.Deployment("kubernetes", "monitoring", "prometheus.yml"));
        var scrape = Yaml.LoadText(config).Seq("scrape_configs").Single(j => j.Str("job_name") == "hft-trading");
        Assert.Equal("pod", scrape.Req("kubernetes_sd_configs.0.role"));
        Assert.Equal("hft", scrape.Req("kubernetes_sd_configs.0.namespaces.names.0"));
        var keeps = scrape.Seq("relabel_configs").Where(r => r.Str("action") == "keep").Select(r => (r.Req("source_labels.0"), r.Req("regex"))).ToList();
        Assert.Contains(("__meta_kubernetes_pod_label_app", "hft-trading"), keeps);
        Assert.Contains(("__meta_kubernetes_pod_container_port_name", "metrics"), keeps);
        // The scrape covers the members and the disaster-recovery replica (both annotated, both with port metrics).
        var dr = Yaml.Documents(Repo.Deployment("kubernetes", "replicated", "dr", "statefulset.yaml")).Single(d => d.Req("kind") == "StatefulSet");
        foreach (var sts in new[] { Production(("StatefulSet", "hft")), dr })
        {
            Assert.Equal("true", sts.Map("spec.template.metadata.annotations").Literal("prometheus.io/scrape"));
            Assert.Equal("hft-trading", sts.Req("spec.template.metadata.labels.app"));
            Assert.Contains(sts.Seq("spec.template.spec.containers").SelectMany(c => c.At("ports") is YamlSequenceNode p ? p.Children : []), p => p.Str("name") == "metrics");
        }

        var dir = Directory.CreateTempSubdirectory("hft-k8s-prometheus-");
        try
        {
            File.Copy(Repo.Deployment("monitoring", "alert-rules.yml"), Path.Combine(dir.FullName, "alert-rules.yml"));
            // Everything but the discovery first (relabelling, rule files, alerting), with a static target instead ...
            File.WriteAllText(Path.Combine(dir.FullName, "static.yml"), Regex.Replace(config,
                @"(?ms)^    kubernetes_sd_configs:\n.*?(?=^    relabel_configs:)", "    static_configs:\n      - targets: [\"127.0.0.1:8080\"]\n"));
            var check = Tool.Run("promtool", ["check", "config", "static.yml"], dir.FullName);
            Assert.True(check.ExitCode == 0, check.ToString());
            // The rules it loads: checked and unit-tested (every alert fires on synthetic series, stays quiet on healthy ones).
            var rules = Tool.Run("promtool", ["check", "rules", "alert-rules.yml"], Repo.Deployment("monitoring"));
            Assert.True(rules.ExitCode == 0, rules.ToString());
            var unit = Tool.Run("promtool", ["test", "rules", "alert-rules-test.yml"], Repo.Deployment("monitoring"), timeoutSeconds: 120);
            Assert.True(unit.ExitCode == 0, unit.ToString());
            // ... then the file itself: Debian's promtool is built without Kubernetes discovery.
            File.WriteAllText(Path.Combine(dir.FullName, "prometheus.yml"), config);
            var real = Tool.Run("promtool", ["check", "config", "prometheus.yml"], dir.FullName);
            Skip.If(real.ExitCode != 0 && real.Output.Contains("field kubernetes_sd_configs not found", StringComparison.Ordinal),
                "this promtool is built without Kubernetes service discovery (Debian's): the configuration was checked with a static target in its place");
            Assert.True(real.ExitCode == 0, real.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    // ---- a real server for the guide's curls ----

    /// <summary>
    /// `hft serve` (the built CLI, development profile) with the API and the operations listener apart, as in
    /// production, on free ports: what `kubectl port-forward service/hft-trading-service 8080:8080` reaches, from
    /// loopback. Started on first use, ended with the test process.
    /// </summary>
    private static readonly Lazy<(System.Diagnostics.Process Process, int OpsPort)> s_server = new(StartServer);

    private static (System.Diagnostics.Process, int) StartServer()
    {
        int FreePort()
        {
            using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }
        int api = FreePort(), ops = FreePort();
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Repo.CliDll, "serve", "--profile", "development" }) psi.ArgumentList.Add(a);
        psi.Environment.Remove("HFT_AUTH__SECRET");
        psi.Environment["HFT_CONFIG_DIR"] = Repo.Path("config");
        psi.Environment["HFT_SERVER__HTTP_PORT"] = api.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["HFT_MONITORING__METRICS_PORT"] = ops.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["HFT_GATEWAY__BINARY_ENABLED"] = "false";
        psi.Environment["HFT_GATEWAY__FIX_ENABLED"] = "false";
        var p = System.Diagnostics.Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        };
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !p.HasExited)
        {
            try
            {
                if (http.GetAsync($"http://127.0.0.1:{ops}/health").GetAwaiter().GetResult().IsSuccessStatusCode) return (p, ops);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Thread.Sleep(500);
        }
        throw new Xunit.Sdk.XunitException(p.HasExited ? $"hft serve exited with {p.ExitCode}" : "hft serve did not answer /health within 120 s");
    }

    /// <summary>Runs the guide's command line with localhost:8080 (the port-forward) pointed at the server's operations port.</summary>
    private static string CurlOnServer(string command)
    {
        var (_, ops) = s_server.Value;
        var line = command.Replace("localhost:8080", $"127.0.0.1:{ops}", StringComparison.Ordinal);
        var r = Tool.Run("bash", ["-c", "set -o pipefail; " + line], timeoutSeconds: 30);
        Assert.True(r.ExitCode == 0, $"`{line}`: {r}");
        return r.Stdout;
    }

    // ---- helpers ----

    private static void RunIfInstalled(string tool, string[] args)
    {
        Tool.RequireOrSkip(tool, $"`{tool} {string.Join(' ', args)}` needs {tool}, which is not packaged for this machine");
        var r = Tool.Run(tool, args);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    /// <summary>The row of docs/DEPLOYMENT.md's deviations table whose first cell names the guide line.</summary>
    private static void AssertDeviationRow(string guideLine)
    {
        int at = s_docs.IndexOf("## Where this repository deviates from the guide's commands", StringComparison.Ordinal);
        Assert.True(at >= 0, "docs/DEPLOYMENT.md has no deviations table");
        var rows = s_docs[at..].Split('\n').SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')).Skip(2).ToList();
        Assert.True(rows.Any(r => r.Split(" | ")[0].Contains(guideLine, StringComparison.Ordinal)),
            $"docs/DEPLOYMENT.md's deviations table has no row for `{guideLine}`");
    }

    [GeneratedRegex(@"(?ms)^[ \t]*```bash\n(.*?)^[ \t]*```")]
    private static partial Regex BashBlockRegex();
}
