namespace Hft.Deployment.Tests;

/// <summary>
/// The CI lints, run with the real tools (Debian packages shellcheck, yamllint, docker-compose, prometheus,
/// prometheus-alertmanager; scripts/test.sh installs them): every script, every YAML file, the compose file,
/// the Prometheus configuration and rules with their unit tests, the Alertmanager configuration.
/// </summary>
public sealed class LintTests
{
    private static readonly string[] s_scripts =
    [
        "deployment/scripts/deploy.sh",
        "deployment/scripts/backup.sh",
        "deployment/scripts/restore.sh",
        "deployment/scripts/common.sh",
        "deployment/scripts/role-labeler.sh",
        "deployment/helm/hft-trading/files/role-labeler.sh",
        "deployment/docker/healthcheck.sh",
        "hft",
        "scripts/test.sh",
        "scripts/test-lib.sh",
        ".ci/run",
    ];

    [Fact]
    public void Every_shell_script_is_clean_under_shellcheck()
    {
        var found = Directory.GetFiles(Repo.Deployment(), "*.sh", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Repo.Path("scripts"), "*.sh", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(Repo.Root, f).Replace('\\', '/')).Order().ToList();
        Assert.Equal(s_scripts.Where(s => s.EndsWith(".sh", StringComparison.Ordinal)).Order(), found); // none forgotten
        var r = Tool.Run("shellcheck", ["--severity=style", "--shell=bash", .. s_scripts]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }

    [Fact]
    public void Shellcheck_does_catch_a_bad_script()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hft-bad-{Guid.NewGuid():N}.sh");
        File.WriteAllText(file, "#!/usr/bin/env bash\nrm -rf $1/*\n");
        try
        {
            var r = Tool.Run("shellcheck", file);
            Assert.NotEqual(0, r.ExitCode);
            Assert.Contains("SC2086", r.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Every_yaml_file_passes_yamllint_strict_with_the_repository_config()
    {
        var r = Tool.Run("yamllint", "--strict", "--config-file", ".yamllint", "deployment/", ".yamllint");
        Assert.True(r.ExitCode == 0, r.ToString());
        // The Helm templates are excluded by .yamllint (Go templates are not YAML); everything else is linted.
        var list = Tool.Run("yamllint", "--list-files", "--config-file", ".yamllint", "deployment/");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("deployment/kubernetes/deployment.yaml", list.Stdout);
        Assert.Contains("deployment/helm/hft-trading/values-production.yaml", list.Stdout);
        Assert.DoesNotContain("templates/", list.Stdout);
    }

    [Fact]
    public void Docker_compose_runs_development_without_a_secret_and_staging_and_production_refuse_to_run_without_one()
    {
        var dir = Repo.Deployment("docker");
        // `docker-compose up -d` alone: the development profile, no secret required (the profile's development secret).
        var ok = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "config"], dir,
            new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = null, ["HFT_PROFILE"] = null });
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var config = Yaml.LoadText(ok.Stdout);
        foreach (var service in new[] { "hft-trading", "redis", "prometheus", "grafana", "alertmanager", "nginx" })
            Assert.NotNull(config.At($"services.{service}"));
        Assert.Equal("development", config.Req("services.hft-trading.environment.HFT_PROFILE"));
        Assert.Equal(["serve", "--profile", "development"], config.Seq("services.hft-trading.command").Select(x => x.ToString()));
        // Passed through only when set: unset, the container has no HFT_AUTH__SECRET at all (not an empty one).
        Assert.Contains(config.Str("services.hft-trading.environment.HFT_AUTH__SECRET"), new string?[] { null, "null" }); // YAML null

        foreach (var environment in new[] { "staging", "production" })
        {
            var file = $"docker-compose.{environment}.yml";
            var set = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "-f", file, "config"], dir,
                new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = new string('s', 40), ["HFT_PROFILE"] = null });
            Assert.True(set.ExitCode == 0, set.ToString());
            var c = Yaml.LoadText(set.Stdout);
            Assert.Equal(environment, c.Req("services.hft-trading.environment.HFT_PROFILE"));
            Assert.Equal(["serve", "--profile", environment], c.Seq("services.hft-trading.command").Select(x => x.ToString()));
            Assert.Equal(new string('s', 40), c.Req("services.hft-trading.environment.HFT_AUTH__SECRET"));

            var missing = Tool.Run("docker-compose", ["-f", "docker-compose.yml", "-f", file, "config"], dir,
                new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = null });
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("HFT_AUTH__SECRET", missing.Output);
        }
    }

    [Fact]
    public void Promtool_checks_the_prometheus_config_and_the_rules()
    {
        var dir = Repo.Deployment("monitoring");
        var config = Tool.Run("promtool", ["check", "config", "prometheus.yml"], dir);
        Assert.True(config.ExitCode == 0, config.ToString());
        var rules = Tool.Run("promtool", ["check", "rules", "alert-rules.yml"], dir);
        Assert.True(rules.ExitCode == 0, rules.ToString());
        Assert.Contains("SUCCESS", rules.Output);
    }

    [Fact]
    public void Promtool_unit_tests_fire_every_alert_and_keep_healthy_series_quiet()
    {
        var dir = Repo.Deployment("monitoring");
        var r = Tool.Run("promtool", ["test", "rules", "alert-rules-test.yml"], dir, timeoutSeconds: 120);
        Assert.True(r.ExitCode == 0, r.ToString());

        // Every alert has at least one test case in which it fires (a non-empty exp_alerts) ...
        var alerts = AlertRule.Load().Select(a => a.Name).ToHashSet();
        var tests = Yaml.Load(Path.Combine(dir, "alert-rules-test.yml"));
        var fired = new HashSet<string>();
        foreach (var group in tests.Seq("tests"))
            foreach (var t in group.Seq("alert_rule_test"))
                if (t.At("exp_alerts") is YamlDotNet.RepresentationModel.YamlSequenceNode { Children.Count: > 0 })
                    fired.Add(t.Req("alertname"));
        Assert.Empty(alerts.Except(fired));
        // ... and each firing case names only the unhealthy series: other series of the same test stay quiet
        // (promtool compares the complete list of firing alerts).
        Assert.Empty(fired.Except(alerts));
    }

    [Fact]
    public void A_broken_rule_file_is_refused_by_promtool()
    {
        var file = Path.Combine(Path.GetTempPath(), $"hft-bad-rules-{Guid.NewGuid():N}.yml");
        File.WriteAllText(file, "groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: rate(hft_orders_total[5m] > 1\n");
        try
        {
            var r = Tool.Run("promtool", "check", "rules", file);
            Assert.NotEqual(0, r.ExitCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Amtool_checks_the_alertmanager_config()
    {
        var r = Tool.Run("amtool", ["check-config", "alertmanager.yml"], Repo.Deployment("monitoring"));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("SUCCESS", r.Output);
    }
}
