using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The deployment guide's operations as this repository answers them: the backup job's image exists (pinned by
/// digest, not a bitnami/kubectl tag that moved to a legacy repository) and can copy archives off-site; the memory,
/// CPU and feed alerts measure against the container and the feed; the docs name the deviations from the guide's
/// command lines and the tuning the guide's sysctl lines need.
/// </summary>
public sealed partial class GuideOperationsTests
{
    private static readonly string s_deployment = Repo.ReadText("docs", "DEPLOYMENT.md");

    private static YamlMappingNode Cron()
        => Yaml.Documents(Repo.Deployment("kubernetes", "backup-cronjob.yaml")).Single(d => d.Req("kind") == "CronJob");

    [Fact]
    public void Backup_job_image_is_pinned_by_digest_and_is_no_bitnami_kubectl_tag()
    {
        var manifest = Cron().Req("spec.jobTemplate.spec.template.spec.containers.0.image");
        var chart = Yaml.Load(Path.Combine(Repo.Deployment("helm", "hft-trading"), "values.yaml")).Req("backups.kubectlImage");
        foreach (var image in new[] { manifest, chart })
        {
            Assert.Matches(DigestRegex(), image);
            Assert.DoesNotContain("bitnami/kubectl", image, StringComparison.Ordinal);
        }
        Assert.Equal(manifest, chart);
        Assert.Contains("{{ .Values.backups.kubectlImage }}", File.ReadAllText(Path.Combine(Repo.Deployment("helm", "hft-trading"), "templates", "backup.yaml")));
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("helm")]
    public void Backup_job_can_copy_each_verified_archive_to_another_region_only_when_asked(string flavour)
    {
        var text = flavour == "kubernetes"
            ? File.ReadAllText(Repo.Deployment("kubernetes", "backup-cronjob.yaml"))
            : File.ReadAllText(Path.Combine(Repo.Deployment("helm", "hft-trading"), "templates", "backup.yaml"));
        // Credentials and target from an optional Secret: without it nothing leaves the cluster.
        Assert.Contains("name: hft-backup-upload", text);
        Assert.Contains("optional: true", text);
        Assert.Contains("elif [ -n \"${BACKUP_UPLOAD_URI:-}\" ]; then", text); // only after a backup that succeeded
        Assert.Contains("aws s3 cp --only-show-errors \"$out\" \"${BACKUP_UPLOAD_URI%/}/${name}/\"", text);
        Assert.Contains("claimName: hft-backups", text);
        if (flavour == "kubernetes")
        {
            var spec = Cron().Map("spec.jobTemplate.spec.template.spec");
            var backups = spec.Seq("containers.0.volumeMounts").Single(m => m.Req("mountPath") == "/backups");
            Assert.Equal("true", backups.Req("readOnly"));
            Assert.Contains(spec.Seq("containers.0.env"), e => e.Req("name") == "HOME" && e.Req("value") == "/tmp");
        }
    }

    [Fact]
    public void Memory_cpu_and_feed_alerts_measure_against_the_container_and_a_running_feed()
    {
        var alerts = AlertRule.Load().ToDictionary(a => a.Name, a => a.Expr);
        Assert.Equal("hft_container_memory_working_set_bytes / hft_container_memory_limit_bytes > 0.85", alerts["HftMemoryHigh"]);
        Assert.Equal("rate(hft_process_cpu_seconds_total[5m]) / hft_container_cpu_limit_cores > 0.9", alerts["HftCpuExhausted"]);
        Assert.Equal("hft_feed_stale == 1 and on (job, instance) hft_feed_enabled == 1", alerts["HftMarketDataFeedStale"]);
    }

    [Fact]
    public void The_docs_map_each_deviating_guide_line_to_what_to_run_here()
    {
        int table = s_deployment.IndexOf("## Where this repository deviates from the guide's commands", StringComparison.Ordinal);
        Assert.True(table >= 0, "docs/DEPLOYMENT.md lacks the deviations table");
        var section = s_deployment[table..s_deployment.IndexOf("\n## ", table + 3, StringComparison.Ordinal)];
        foreach (var (guide, here) in new[]
        {
            ("tar -czf /tmp/backup.tar.gz /app/data", "hft backup"),
            ("perf top", "kubectl debug"),
            ("ss -tulpn", "kubectl debug"),
            ("isolated_cores=0-3", "cpu_affinity"),
            ("vm.nr_hugepages=1024", "DOTNET_GCLargePages=1"),
            ("rmem_max", "socket_receive_buffer_bytes"),
            ("JAVA_OPTS", "DOTNET_"),
        })
        {
            var row = section.Split('\n').FirstOrDefault(l => l.StartsWith('|') && l.Contains(guide, StringComparison.Ordinal));
            Assert.True(row is not null, $"no row for the guide's '{guide}'");
            Assert.Contains(here, row, StringComparison.Ordinal);
        }
        // Huge pages: the GC only uses them with a hard heap limit, and the docs say so.
        Assert.Contains("DOTNET_GCHeapHardLimit", s_deployment, StringComparison.Ordinal);
        Assert.Contains("hugepages-2Mi", s_deployment, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_profile_has_a_logging_section_and_socket_buffers()
    {
        foreach (var profile in new[] { "development", "staging", "production" })
        {
            var toml = Repo.ReadText("config", profile + ".toml");
            Assert.Matches(@"(?m)^\[logging\]$", toml);
            Assert.Matches(@"(?m)^format = ""(json|text)""", toml);
            Assert.Matches(@"(?m)^socket_receive_buffer_bytes = \d+", toml);
        }
    }

    [GeneratedRegex("^[a-z0-9./-]+:[0-9.]+@sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestRegex();
}
