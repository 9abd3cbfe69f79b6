using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The Helm chart's replicated mode (replication.enabled), without Helm (see <see cref="HelmChartTests"/>): which
/// templates render is decided by each template's guard, an <c>if</c> around the whole file; the guards are evaluated
/// here for the chart's values files (a small evaluator of and/or/not over .Values paths, and it refuses any other
/// guard). The replicated templates are then checked line by line against the kustomize overlay's objects.
/// </summary>
public sealed class HelmReplicationTests
{
    private static readonly string s_chart = Repo.Deployment("helm", "hft-trading");

    private static string Template(string name) => File.ReadAllText(Path.Combine(s_chart, "templates", name));

    /// <summary>The kinds the chart renders for values.yaml + values-&lt;environment&gt;.yaml + overrides.</summary>
    private static HashSet<string> RenderedFiles(string? environment, Dictionary<string, string> overrides)
    {
        var layers = new List<YamlNode> { Yaml.Load(Path.Combine(s_chart, "values.yaml")) };
        if (environment is not null) layers.Insert(0, Yaml.Load(Path.Combine(s_chart, $"values-{environment}.yaml")));
        object? Lookup(string path)
        {
            if (overrides.TryGetValue(path, out var o)) return o;
            foreach (var layer in layers)
                if (layer.At(path) is { } node) return node;
            return null;
        }
        var rendered = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(s_chart, "templates"), "*.yaml"))
        {
            var guard = TemplateGuard.Of(File.ReadAllText(file));
            if (guard is null || TemplateGuard.Evaluate(guard, Lookup)) rendered.Add(Path.GetFileName(file));
        }
        return rendered;
    }

    private static HashSet<string> Kinds(IEnumerable<string> files)
        => files.SelectMany(f => Regex.Matches(Template(f), @"(?m)^kind: (\w+)$").Select(m => m.Groups[1].Value)).ToHashSet();

    private static readonly Dictionary<string, string> s_replicated = new() { ["replication.enabled"] = "true" };

    [Fact]
    public void Production_values_render_the_replicated_group_and_the_other_environments_the_single_node_deployment()
    {
        foreach (var environment in new string?[] { null, "staging", "development" })
        {
            var files = RenderedFiles(environment, []);
            Assert.Contains("deployment.yaml", files);
            Assert.Contains("service.yaml", files);
            Assert.DoesNotContain("statefulset.yaml", files);
            Assert.DoesNotContain("replication-services.yaml", files);
            Assert.DoesNotContain("role-labeler.yaml", files);
            Assert.DoesNotContain("StatefulSet", Kinds(files));
        }
        Assert.Equal("false", Yaml.Load(Path.Combine(s_chart, "values.yaml")).Req("replication.enabled"));
        // Production's default is the production shape: the Raft group (StatefulSet hft, its Services, PDB), no HPA.
        Assert.Equal("true", Yaml.Load(Path.Combine(s_chart, "values-production.yaml")).Req("replication.enabled"));
        var production = RenderedFiles("production", []);
        foreach (var f in new[] { "statefulset.yaml", "replication-services.yaml", "role-labeler.yaml", "pdb.yaml" })
            Assert.Contains(f, production);
        Assert.DoesNotContain("deployment.yaml", production);
        Assert.DoesNotContain("hpa.yaml", production);
        // The single engine stays available to production values by choice (--single of deploy.sh).
        var single = RenderedFiles("production", new() { ["replication.enabled"] = "false" });
        Assert.Contains("deployment.yaml", single);
        Assert.Contains("hpa.yaml", single);
        // The guide's Service name exists in either mode.
        Assert.Contains("name: hft-trading-service", Template("replication-services.yaml"));
        Assert.Contains("name: hft-trading-service", Template("service.yaml"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("production")]
    [InlineData("staging")]
    public void Replication_enabled_renders_a_statefulset_and_no_deployment_or_autoscaler(string? environment)
    {
        var files = RenderedFiles(environment, s_replicated);
        var kinds = Kinds(files);
        Assert.Contains("StatefulSet", kinds);
        Assert.DoesNotContain("Deployment", kinds);
        Assert.DoesNotContain("HorizontalPodAutoscaler", kinds); // even with production's autoscaling.enabled=true
        foreach (var f in new[] { "statefulset.yaml", "replication-services.yaml", "role-labeler.yaml", "pdb.yaml", "ingress.yaml" })
            Assert.Contains(f, files);
        Assert.DoesNotContain("service.yaml", files);
        foreach (var kind in new[] { "Service", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "PodDisruptionBudget" }) Assert.Contains(kind, kinds);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("production")]
    [InlineData("staging")]
    public void Dr_replica_renders_only_when_enabled_and_a_dr_only_release_renders_it_alone(string? environment)
    {
        Assert.DoesNotContain("dr.yaml", RenderedFiles(environment, []));
        Assert.DoesNotContain("dr.yaml", RenderedFiles(environment, s_replicated));

        var beside = RenderedFiles(environment, new() { ["replication.enabled"] = "true", ["dr.enabled"] = "true" });
        Assert.Contains("dr.yaml", beside);
        Assert.Contains("statefulset.yaml", beside);
        Assert.DoesNotContain("deployment.yaml", beside);

        var alone = RenderedFiles(environment, new() { ["dr.enabled"] = "true", ["dr.only"] = "true", ["replication.enabled"] = "false" });
        Assert.Contains("dr.yaml", alone);
        foreach (var f in new[] { "deployment.yaml", "service.yaml", "hpa.yaml", "ingress.yaml", "statefulset.yaml", "replication-services.yaml" })
            Assert.DoesNotContain(f, alone);
        Assert.Contains("StatefulSet", Kinds(alone));
        Assert.DoesNotContain("Deployment", Kinds(alone));

        var v = Yaml.Load(Path.Combine(s_chart, "values.yaml"));
        Assert.Equal(("false", "false", 0), (v.Req("dr.enabled"), v.Req("dr.only"), v.Seq("dr.sources").Count));
    }

    [Fact]
    public void Dr_template_is_the_kustomize_replicas_shape()
    {
        var t = Template("dr.yaml");
        foreach (var needle in new[]
        {
            "kind: StatefulSet", "name: hft-dr\n", "serviceName: hft-dr", "replicas: 1", "volumeClaimTemplates:", "name: data",
            "mountPath: /app/data", "path: /ready", "app.kubernetes.io/component: dr-replica", "kind: Service", "kind: NetworkPolicy",
            "name: HFT_DR__ENABLED\n              value: \"true\"", "value: {{ join \",\" $sources | quote }}",
            "printf \"hft-%d.hft-raft.%s.svc.%s\" $i $.Release.Namespace $.Values.replication.clusterDomain",
            "(ternary \"https\" \"http\" $.Values.tls.enabled) $host (int $.Values.service.metricsPort)",
            "secretName: {{ .Values.dr.tokenSecret }}", "mountPath: /app/secrets", "value: {{ printf \"/app/secrets/%s\" .Values.dr.tokenSecretKey | quote }}",
            "fail \"dr.enabled needs replication.enabled", "hasPrefix \"HFT_REPLICATION__\" $name",
            "readOnlyRootFilesystem: true", "automountServiceAccountToken: false",
        })
            Assert.True(t.Contains(needle, StringComparison.Ordinal), needle);
        Assert.DoesNotContain("name: HFT_REPLICATION__", t);
        Assert.DoesNotContain("name: raft", t);
        Assert.DoesNotContain("name: HFT_DR__TOKEN\n", t);
        // The same [dr] variables as the kustomize replica, and its Secret's default name and key.
        var overlay = File.ReadAllText(Repo.Deployment("kubernetes", "replicated", "dr", "statefulset.yaml"));
        var names = System.Text.RegularExpressions.Regex.Matches(t, @"name: (HFT_DR__\w+)").Select(m => m.Value).ToList();
        Assert.Equal(3, names.Count);
        foreach (var name in names) Assert.Contains(name, overlay);
        var v = Yaml.Load(Path.Combine(s_chart, "values.yaml"));
        Assert.Contains($"secretName: {v.Req("dr.tokenSecret")}", overlay);
        Assert.Contains($"key: {v.Req("dr.tokenSecretKey")}", overlay);
        // The members' policy admits the replica on the operations port when both are in the release.
        Assert.Contains("app.kubernetes.io/component: dr-replica\n      ports:\n        - protocol: TCP\n          port: {{ .Values.service.metricsPort }}",
            Template("networkpolicy.yaml"));
    }

    [Fact]
    public void The_guard_evaluator_refuses_what_it_does_not_understand_and_evaluates_what_it_does()
    {
        Assert.Equal("not .Values.replication.enabled", TemplateGuard.Of("{{- /* c */}}\n{{- if not .Values.replication.enabled }}\nkind: X\n{{- end }}\n"));
        Assert.Null(TemplateGuard.Of("kind: X\n{{- if .Values.a }}\ny: 1\n{{- end }}\n")); // not around the whole file
        Assert.Throws<InvalidOperationException>(() => TemplateGuard.Of("{{- if .Values.a }}\nkind: X\n")); // no end
        object? V(string p) => p switch { "a" => "true", "b" => "false", "n" => "0", _ => null };
        Assert.True(TemplateGuard.Evaluate("and .Values.a (not .Values.b)", V));
        Assert.False(TemplateGuard.Evaluate("or .Values.b .Values.n .Values.missing", V));
        Assert.Throws<InvalidOperationException>(() => TemplateGuard.Evaluate("eq .Values.a 1", V));
    }

    [Fact]
    public void Statefulset_template_is_the_overlays_group_shape()
    {
        var t = Template("statefulset.yaml");
        foreach (var needle in new[]
        {
            "kind: StatefulSet", "name: hft\n", "serviceName: hft-raft", "replicas: {{ $n }}", "podManagementPolicy: Parallel",
            "type: RollingUpdate", "requiredDuringSchedulingIgnoredDuringExecution", "topologyKey: kubernetes.io/hostname",
            "volumeClaimTemplates:", "name: data", "mountPath: /app/data", "path: /ready", "path: /health",
            "name: HFT_REPLICATION__ENABLED\n              value: \"true\"", "name: HFT_REPLICATION__NODE_ID\n              value: \"-1\"",
            "printf \"hft-%d.hft-raft.%s.svc.%s\" $i $.Release.Namespace $.Values.replication.clusterDomain",
            "value: {{ join \",\" $peers | quote }}", "value: {{ join \",\" $apis | quote }}",
            "fail \"replication.replicas must be an odd number >= 3", "serviceAccountName: hft-role-labeler", "automountServiceAccountToken: false",
            "command: [\"/bin/bash\", \"/opt/hft/role-labeler.sh\"]", "args: [\"--port\", {{ .Values.service.metricsPort | quote }}", "containerPort: {{ .Values.service.port }}",
            "containerPort: {{ .Values.service.metricsPort }}", "printf \"%s://%s:%d\" (ternary \"https\" \"http\" $.Values.tls.enabled) $host (int $.Values.service.port)",
            "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "drop: [\"ALL\"]",
            "mountPath: /var/run/secrets/kubernetes.io/serviceaccount",
        })
            Assert.True(t.Contains(needle, StringComparison.Ordinal), needle);
        // Every env the template sets is one the kustomize overlay sets too (same contract keys).
        var overlay = File.ReadAllText(Repo.Deployment("kubernetes", "deployment.yaml"));
        foreach (Match m in Regex.Matches(t, @"name: (HFT_REPLICATION__\w+)"))
            Assert.True(overlay.Contains(m.Value, StringComparison.Ordinal), m.Value);
    }

    [Fact]
    public void Services_budget_ingress_and_rbac_templates_match_the_labeler_and_keep_a_majority()
    {
        var services = Template("replication-services.yaml");
        Assert.Contains("name: hft-raft", services);
        Assert.Contains("clusterIP: None", services);
        Assert.Contains("publishNotReadyAddresses: true", services);
        Assert.Contains("name: hft-leader", services);
        Assert.Contains("hft.io/role: leader", services); // the label role-labeler.sh sets
        Assert.Contains("LABEL=\"hft.io/role\"", File.ReadAllText(Path.Combine(s_chart, "files", "role-labeler.sh")));

        Assert.Contains("minAvailable: {{ add (div (int .Values.replication.replicas) 2) 1 }}", Template("pdb.yaml"));
        var ingress = Template("ingress.yaml");
        Assert.Matches(@"path: /api/v1/orders\s+pathType: Prefix\s+backend:\s+service:\s+name: hft-leader", ingress);
        Assert.Matches(@"path: /api/v1/admin\s+pathType: Prefix\s+backend:\s+service:\s+name: hft-leader", ingress);
        Assert.Matches(@"path: /\s+pathType: Prefix\s+backend:\s+service:\s+name: hft\s", ingress);
        var rbac = Template("role-labeler.yaml");
        Assert.Contains("resources: [\"pods\"]", rbac);
        Assert.Contains("verbs: [\"get\", \"patch\"]", rbac);
        Assert.Contains("printf \"hft-%d\" $i", rbac);
        Assert.Contains(".Files.Get \"files/role-labeler.sh\"", rbac);
        Assert.Contains("hft.io/service: reads", Template("servicemonitor.yaml"));
        Assert.Contains("port: {{ .Values.replication.raftPort }}", Template("networkpolicy.yaml"));
    }

    /// <summary>
    /// With a Helm binary (on PATH, or HFT_HELM=/path/to/helm): `helm template` of the production values, in replicated
    /// mode, gives the kustomize overlay's group (same StatefulSet spec, Services, budget, policy, RBAC, ingress
    /// routes), and single-node mode the Deployment and HPA; `helm lint` passes. Without one (no Debian package
    /// provides Helm, so the usual case here) the test is reported skipped: the guard evaluation above is then the
    /// only check of the chart.
    /// </summary>
    [SkippableFact]
    public void Helm_template_when_installed_renders_the_overlays_group()
    {
        var helm = Environment.GetEnvironmentVariable("HFT_HELM") is { Length: > 0 } h ? h : Tool.Exists("helm") ? "helm" : null;
        Skip.If(helm is null, "helm is not on PATH and HFT_HELM is not set (no Debian package provides Helm): helm template and helm lint did not run");
        Tool.RequireKustomizeOrSkip(); // compared with the kustomize overlay's build
        Dictionary<(string Kind, string Name), YamlMappingNode> Render(bool replicated)
        {
            var r = Tool.Run(helm, ["template", "hft-trading", s_chart, "--namespace", "hft", "--kube-version", "1.30.0",
                "-f", Path.Combine(s_chart, "values-production.yaml"), "--set-file", "config.toml=" + Repo.Path("config", "production.toml"),
                "--set", $"replication.enabled={(replicated ? "true" : "false")}"], timeoutSeconds: 60);
            Assert.True(r.ExitCode == 0, r.ToString());
            return ReplicatedManifestTests.ByKindAndName(r.Stdout);
        }
        var lint = Tool.Run(helm, ["lint", s_chart, "-f", Path.Combine(s_chart, "values-production.yaml"),
            "--set-file", "config.toml=" + Repo.Path("config", "production.toml"), "--set", "replication.enabled=true"], timeoutSeconds: 60);
        Assert.True(lint.ExitCode == 0, lint.ToString());
        var even = Tool.Run(helm, ["template", "x", s_chart, "--kube-version", "1.30.0", "--set", "config.toml=x",
            "--set", "replication.enabled=true", "--set", "replication.replicas=4"], timeoutSeconds: 60);
        Assert.NotEqual(0, even.ExitCode);
        Assert.Contains("odd number >= 3", even.Output);

        var single = Render(replicated: false);
        Assert.Contains(single.Keys, k => k == ("Deployment", "hft-trading-system"));
        Assert.Contains(single.Keys, k => k == ("HorizontalPodAutoscaler", "hft-trading-system"));
        Assert.DoesNotContain(single.Keys, k => k.Kind == "StatefulSet");

        var chart = Render(replicated: true);
        var overlay = ReplicatedManifestTests.Objects;
        Assert.DoesNotContain(chart.Keys, k => k.Kind is "Deployment" or "HorizontalPodAutoscaler");
        Assert.Empty(overlay.Keys.Where(k => k.Kind != "Namespace").Except(chart.Keys));
        void Same(string kind, string name, params string[] paths)
        {
            foreach (var path in paths)
            {
                var difference = Yaml.Difference(Yaml.Plain(overlay[(kind, name)].At(path)), Yaml.Plain(chart[(kind, name)].At(path)));
                Assert.True(difference is null, $"{kind} {name} {path}: overlay vs chart {difference}");
            }
        }
        Same("StatefulSet", "hft", "spec.replicas", "spec.serviceName", "spec.podManagementPolicy", "spec.updateStrategy", "spec.minReadySeconds",
            "spec.persistentVolumeClaimRetentionPolicy", "spec.selector", "spec.volumeClaimTemplates", "spec.template.spec.affinity",
            "spec.template.spec.securityContext", "spec.template.spec.serviceAccountName", "spec.template.spec.automountServiceAccountToken",
            "spec.template.spec.terminationGracePeriodSeconds", "spec.template.spec.containers.1");
        foreach (var field in new[] { "name", "image", "args", "ports", "env", "resources", "securityContext", "startupProbe", "livenessProbe",
            "readinessProbe", "lifecycle", "volumeMounts" })
            Same("StatefulSet", "hft", "spec.template.spec.containers.0." + field);
        Same("Service", "hft-raft", "spec");
        Same("Service", "hft-leader", "spec");
        Same("Service", "hft", "spec.selector", "spec.ports", "spec.sessionAffinity");
        Same("PodDisruptionBudget", "hft", "spec");
        Same("NetworkPolicy", "hft-trading-system", "spec");
        Same("Role", "hft-role-labeler", "rules");
        Same("RoleBinding", "hft-role-labeler", "roleRef", "subjects");
        Same("Ingress", "hft-trading", "spec.rules");
        Same("ServiceMonitor", "hft-trading", "spec.selector");
        Assert.Equal(overlay[("ConfigMap", "hft-role-labeler")].Map("data").Literal("role-labeler.sh"),
            chart[("ConfigMap", "hft-role-labeler")].Map("data").Literal("role-labeler.sh"));

        // dr.enabled beside the members: the kustomize replica (deployment/kubernetes/replicated/dr), same fields.
        var dr = Tool.Run(helm, ["template", "hft-trading", s_chart, "--namespace", "hft", "--kube-version", "1.30.0",
            "-f", Path.Combine(s_chart, "values-production.yaml"), "--set-file", "config.toml=" + Repo.Path("config", "production.toml"),
            "--set", "replication.enabled=true", "--set", "dr.enabled=true"], timeoutSeconds: 60);
        Assert.True(dr.ExitCode == 0, dr.ToString());
        var withDr = ReplicatedManifestTests.ByKindAndName(dr.Stdout);
        var kustomized = Tool.Run("kubectl", ["kustomize", "--load-restrictor", "LoadRestrictionsNone", "deployment/kubernetes/replicated/dr"], timeoutSeconds: 60);
        Assert.True(kustomized.ExitCode == 0, kustomized.ToString());
        var replica = ReplicatedManifestTests.ByKindAndName(kustomized.Stdout);
        foreach (var (kind, name, path) in new[]
        {
            ("StatefulSet", "hft-dr", "spec.replicas"), ("StatefulSet", "hft-dr", "spec.serviceName"), ("StatefulSet", "hft-dr", "spec.selector"),
            ("StatefulSet", "hft-dr", "spec.volumeClaimTemplates"),
            ("StatefulSet", "hft-dr", "spec.template.spec.containers.0.env"), ("StatefulSet", "hft-dr", "spec.template.spec.containers.0.ports"),
            ("StatefulSet", "hft-dr", "spec.template.spec.containers.0.volumeMounts"), ("StatefulSet", "hft-dr", "spec.template.spec.containers.0.readinessProbe"),
            ("Service", "hft-dr", "spec.selector"), ("Service", "hft-dr", "spec.ports"), ("NetworkPolicy", "hft-dr", "spec"),
        })
        {
            var difference = Yaml.Difference(Yaml.Plain(replica[(kind, name)].At(path)), Yaml.Plain(withDr[(kind, name)].At(path)));
            Assert.True(difference is null, $"{kind} {name} {path}: kustomize vs chart {difference}");
        }
        var alone = Tool.Run(helm, ["template", "x", s_chart, "--kube-version", "1.30.0", "--set", "config.toml=x", "--set", "dr.enabled=true"], timeoutSeconds: 60);
        Assert.NotEqual(0, alone.ExitCode);
        Assert.Contains("dr.enabled needs replication.enabled", alone.Output);
    }

    [Fact]
    public void The_charts_role_labeler_is_the_repositorys_script()
    {
        Assert.Equal(File.ReadAllText(Repo.Deployment("scripts", "role-labeler.sh")),
            File.ReadAllText(Path.Combine(s_chart, "files", "role-labeler.sh")));
    }

    [Fact]
    public void Replication_values_default_to_a_majority_acked_group_of_three()
    {
        var v = Yaml.Load(Path.Combine(s_chart, "values.yaml"));
        Assert.Equal(("3", "majority", "9200", "0"), (v.Req("replication.replicas"), v.Req("replication.ack"), v.Req("replication.raftPort"), v.Req("replication.group")));
        // One integer: [replication] election_timeout_ms, the lower bound (a follower waits between it and twice it).
        Assert.Equal("300", v.Req("replication.electionTimeoutMs"));
        Assert.Contains("value: {{ .Values.replication.electionTimeoutMs | quote }}", Template("statefulset.yaml"));
        Assert.True(int.Parse(v.Req("replication.terminationGracePeriodSeconds")) >= int.Parse(v.Req("terminationGracePeriodSeconds")));
    }
}

/// <summary>
/// The guard of a Helm template: the condition of an <c>{{- if COND }}</c> whose <c>{{- end }}</c> closes the file, so
/// the whole file renders or not. Conditions: <c>.Values</c> paths, <c>not</c>, <c>and</c>, <c>or</c>, parentheses,
/// with Go template truth (false, 0, "", null and empty lists are false). Anything else is refused, not guessed.
/// </summary>
public static class TemplateGuard
{
    private static readonly Regex s_action = new(@"\{\{-?\s*(.*?)\s*-?\}\}", RegexOptions.Singleline);

    public static string? Of(string template)
    {
        var matches = s_action.Matches(template).Where(m => !m.Groups[1].Value.StartsWith("/*", StringComparison.Ordinal)).ToList();
        var actions = matches.Select(m => m.Groups[1].Value.Trim()).ToList();
        if (actions.Count == 0 || !actions[0].StartsWith("if ", StringComparison.Ordinal)) return null;
        // Only comments and blanks may come before the guard: otherwise part of the file renders whatever it says.
        if (s_action.Replace(template[..matches[0].Index], m => m.Groups[1].Value.StartsWith("/*", StringComparison.Ordinal) ? "" : m.Value).Trim().Length > 0)
            return null;
        int depth = 0;
        for (int i = 0; i < actions.Count; i++)
        {
            var word = actions[i].Split(' ', 2)[0];
            if (word is "if" or "range" or "with" or "define" or "block") depth++;
            else if (word == "end" && --depth == 0)
                return i == actions.Count - 1 ? actions[0][3..].Trim() : null;
        }
        throw new InvalidOperationException("unbalanced template: an if without its end");
    }

    public static bool Evaluate(string condition, Func<string, object?> values)
    {
        var tokens = Regex.Matches(condition, @"\(|\)|[^\s()]+").Select(m => m.Value).ToList();
        int pos = 0;
        bool result = Pipeline(tokens, ref pos, values);
        if (pos != tokens.Count) throw new InvalidOperationException($"unexpected '{tokens[pos]}' in guard '{condition}'");
        return result;
    }

    private static bool Pipeline(List<string> t, ref int pos, Func<string, object?> values)
    {
        if (pos >= t.Count) throw new InvalidOperationException("empty guard");
        var head = t[pos];
        if (head is "and" or "or" or "not")
        {
            pos++;
            var args = new List<bool>();
            while (pos < t.Count && t[pos] != ")") args.Add(Operand(t, ref pos, values));
            return head switch
            {
                "not" when args.Count == 1 => !args[0],
                "and" when args.Count >= 2 => args.All(a => a),
                "or" when args.Count >= 2 => args.Any(a => a),
                _ => throw new InvalidOperationException($"{head} with {args.Count} arguments"),
            };
        }
        var single = Operand(t, ref pos, values);
        if (pos < t.Count && t[pos] != ")") throw new InvalidOperationException($"unsupported guard function '{head}'");
        return single;
    }

    private static bool Operand(List<string> t, ref int pos, Func<string, object?> values)
    {
        var token = t[pos++];
        if (token == "(")
        {
            bool inner = Pipeline(t, ref pos, values);
            if (pos >= t.Count || t[pos++] != ")") throw new InvalidOperationException("missing )");
            return inner;
        }
        if (token.StartsWith(".Values.", StringComparison.Ordinal)) return Truthy(values(token[".Values.".Length..]));
        if (token is "true" or "false") return token == "true";
        throw new InvalidOperationException($"unsupported guard token '{token}'");
    }

    private static bool Truthy(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0 && s != "false" && s != "0",
        // A quoted scalar is a string (true when not empty); a plain one may be a bool or a number.
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted } n => !string.IsNullOrEmpty(n.Value),
        YamlScalarNode n => Truthy(n.Value),
        YamlSequenceNode q => q.Children.Count > 0,
        YamlMappingNode m => m.Children.Count > 0,
        _ => true,
    };
}
