using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The Helm chart without Helm (no helm binary is packaged here, and rendering Go templates by hand would be a
/// home-made Helm): Chart.yaml and every values file parse, every <c>.Values.x.y</c> path a template uses exists in
/// values.yaml, the environment files only override keys values.yaml has, and the chart's copy of the alert rules is
/// the monitoring file. What `helm template`/`helm lint` would add is listed in docs/DEPLOYMENT.md.
/// </summary>
public sealed class HelmChartTests
{
    private static readonly string s_chart = Repo.Deployment("helm", "hft-trading");
    private static readonly string[] s_environments = ["production", "staging", "development"];

    private static YamlMappingNode Values(string file = "values.yaml") => Yaml.Load(Path.Combine(s_chart, file));

    [Fact]
    public void Chart_is_a_helm_3_application_chart()
    {
        var chart = Yaml.Load(Path.Combine(s_chart, "Chart.yaml"));
        Assert.Equal("v2", chart.Req("apiVersion")); // Helm 3
        Assert.Equal("hft-trading", chart.Req("name"));
        Assert.Equal("application", chart.Req("type"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", chart.Req("version"));
    }

    [Fact]
    public void Every_values_path_used_by_a_template_exists_in_values_yaml()
    {
        var values = Values();
        var paths = Directory.GetFiles(Path.Combine(s_chart, "templates"))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\.Values\.([A-Za-z0-9_.]+)").Select(m => (File: Path.GetFileName(f), Path: m.Groups[1].Value)))
            .Distinct().ToList();
        Assert.True(paths.Count > 30, $"only {paths.Count} values paths found");
        var missing = paths.Where(p => values.At(p.Path) is null).Select(p => $"{p.File}: .Values.{p.Path}").ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    [InlineData("development")]
    public void Environment_values_override_only_known_keys_and_name_their_profile(string environment)
    {
        var env = Values($"values-{environment}.yaml");
        Assert.Equal(environment, env.Req("profile"));
        Assert.True(File.Exists(Repo.Path("config", $"{environment}.toml")));
        var defaults = Values();
        var unknown = Leaves(env).Where(p => defaults.At(p) is null && !p.StartsWith("extraEnv.", StringComparison.Ordinal)).ToList();
        Assert.True(unknown.Count == 0, $"values-{environment}.yaml sets keys values.yaml does not have: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Production_values_keep_the_guides_resources_replicas_and_autoscaling()
    {
        var defaults = Values();
        var prod = Values("values-production.yaml");
        string Get(string path) => prod.Str(path) ?? defaults.Req(path);
        Assert.Equal(("2", "4Gi", "4", "8Gi"),
            (Get("resources.requests.cpu"), Get("resources.requests.memory"), Get("resources.limits.cpu"), Get("resources.limits.memory")));
        Assert.True(int.Parse(Get("replicaCount")) >= 2);
        Assert.Equal(("true", "2", "10", "70"), (Get("autoscaling.enabled"), Get("autoscaling.minReplicas"), Get("autoscaling.maxReplicas"),
            Get("autoscaling.targetCPUUtilizationPercentage")));
        Assert.Equal("hft/trading-system", Get("image.repository"));
        Assert.Equal("0 */6 * * *", Get("backups.schedule"));
    }

    [Fact]
    public void Templates_name_the_objects_as_the_guide_does_and_keep_the_security_settings()
    {
        string T(string name) => File.ReadAllText(Path.Combine(s_chart, "templates", name));
        Assert.Contains("name: hft-trading-system", T("deployment.yaml"));
        Assert.Contains("name: hft-trading-service", T("service.yaml"));
        Assert.Contains("app: hft-trading", T("_helpers.tpl"));
        var deployment = T("deployment.yaml");
        foreach (var needle in new[]
        {
            "runAsNonRoot: true", "readOnlyRootFilesystem: true", "allowPrivilegeEscalation: false", "drop: [\"ALL\"]",
            "type: RuntimeDefault", "path: /health", "path: /ready", "maxUnavailable: 0", "podAntiAffinity",
        })
            Assert.Contains(needle, deployment);
        // The kubectl manifests and the chart set the same pod security (same lines in both).
        var manifest = File.ReadAllText(Repo.Deployment("kubernetes", "development", "deployment.yaml"));
        foreach (var line in new[] { "runAsUser: 1654", "fsGroup: 1654", "readOnlyRootFilesystem: true", "mountPath: /app/data", "mountPath: /tmp" })
            Assert.True(manifest.Contains(line) && deployment.Contains(line), line);
    }

    [Fact]
    public void The_charts_alert_rules_are_the_monitoring_alert_rules()
    {
        Assert.Equal(File.ReadAllText(Repo.Deployment("monitoring", "alert-rules.yml")),
            File.ReadAllText(Path.Combine(s_chart, "files", "alert-rules.yml")));
    }

    private static IEnumerable<string> Leaves(YamlNode node, string prefix = "")
    {
        if (node is YamlMappingNode m && m.Children.Count > 0)
        {
            foreach (var (k, v) in m.Children)
                foreach (var leaf in Leaves(v, prefix.Length == 0 ? ((YamlScalarNode)k).Value! : $"{prefix}.{((YamlScalarNode)k).Value}"))
                    yield return leaf;
        }
        else
        {
            yield return prefix;
        }
    }
}
