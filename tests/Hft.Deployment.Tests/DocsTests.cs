using System.Text.RegularExpressions;

namespace Hft.Deployment.Tests;

/// <summary>docs/DEPLOYMENT.md and docs/RUNBOOK.md stay true of the repository: every alert has its runbook section,
/// and every deployment path, metric family and CLI command the documents name exists.</summary>
public sealed partial class DocsTests
{
    private static readonly string s_deployment = Repo.ReadText("docs", "DEPLOYMENT.md");
    private static readonly string s_runbook = Repo.ReadText("docs", "RUNBOOK.md");

    /// <summary>Families of other branches (Redis, reference price feed) that the alerts and dashboards use.</summary>
    private static readonly string[] s_otherBranches =
    [
        "hft_redis_up", "hft_redis_configured", "hft_feed_staleness_seconds", "hft_feed_stale",
    ];

    [Fact]
    public void Every_alert_has_a_runbook_section_its_runbook_url_points_at()
    {
        var headings = HeadingRegex().Matches(s_runbook).Select(m => m.Groups[1].Value.Trim()).ToHashSet();
        foreach (var alert in AlertRule.Load())
        {
            Assert.True(headings.Contains(alert.Name), $"docs/RUNBOOK.md has no section '## {alert.Name}'");
            Assert.Equal($"docs/RUNBOOK.md#{alert.Name.ToLowerInvariant()}", alert.Runbook); // GitHub's anchor of the heading
            Assert.Contains($"[{alert.Name}](#{alert.Name.ToLowerInvariant()})", s_runbook);
        }
        foreach (var section in new[] { "High latency", "Memory issues", "Order book corruption", "Log analysis", "Performance debugging" })
            Assert.Contains($"### {section}", s_runbook);
    }

    [Fact]
    public void Every_deployment_path_named_in_the_docs_exists()
    {
        var paths = PathRegex().Matches(s_deployment + s_runbook).Select(m => m.Value.TrimEnd('.', ',', ')', '`')).Distinct().ToList();
        Assert.True(paths.Count > 10);
        // Not files: kubectl's deployment/<name> resource references, and the .env the operator may create.
        string[] notFiles = ["deployment/hft-trading-system", "deployment/docker/.env"];
        var missing = paths.Where(p => !p.Contains('<') && !p.Contains('*') && !p.Contains('{') && !notFiles.Contains(p)
            && !File.Exists(Repo.Path(p)) && !Directory.Exists(Repo.Path(p))).ToList();
        Assert.True(missing.Count == 0, "named in the docs but missing: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_metric_family_named_in_the_docs_and_alerts_is_exported_by_the_code()
    {
        var code = string.Concat(Directory.GetFiles(Repo.Path("src"), "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText));
        var exported = Regex.Matches(code, "\"(hft_[a-z0-9_]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        var named = Regex.Matches(s_deployment + s_runbook + File.ReadAllText(Repo.Deployment("monitoring", "alert-rules.yml"))
                + string.Concat(Directory.GetFiles(Repo.Deployment("monitoring", "grafana", "dashboards")).Select(File.ReadAllText)),
                @"\bhft_[a-z0-9_]+\b")
            .Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", ""))
            .Where(n => !n.EndsWith('_')) // prefixes such as hft_gc_* in prose
            .ToHashSet();
        var unknown = named.Where(n => !exported.Contains(n) && !s_otherBranches.Contains(n)).Order().ToList();
        Assert.True(unknown.Count == 0, "not exported by any collector: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_cli_command_the_docs_run_exists()
    {
        var commands = Regex.Matches(s_deployment + s_runbook, @"(?:\./hft|/app/hft\.dll) ([a-z]+)").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("backup", commands);
        // `./hft test` is the launcher's own command (scripts/test.sh), not the CLI's.
        if (commands.Remove("test")) Assert.Contains("test)", File.ReadAllText(Repo.Path("hft")));
        var r = Tool.Run("dotnet", [Repo.CliDll, "--help"], null, null, 30);
        foreach (var command in commands)
        {
            var help = Tool.Run("dotnet", [Repo.CliDll, command, "--help"], null, null, 30);
            Assert.True(help.ExitCode == 0, $"hft {command} --help: {help}\n(hft --help: {r.Output})");
        }
    }

    [GeneratedRegex(@"(?m)^## (\S+)\s*$")]
    private static partial Regex HeadingRegex();

    [GeneratedRegex(@"(?<![\w/.-])(deployment|docs|config)/[A-Za-z0-9_./{},*<>-]+")]
    private static partial Regex PathRegex();
}
