namespace Hft.Deployment.Tests;

/// <summary>deploy.sh --replicated, run for real in dry-run mode: the Helm plan switches the chart to replicated mode,
/// waits for the StatefulSet, smoke-checks reads through Service hft and order entry through Service hft-leader.</summary>
public sealed class DeployReplicatedTests
{
    private static readonly string s_deploy = Repo.Deployment("scripts", "deploy.sh");

    [Fact]
    public void Replicated_dry_run_plans_the_raft_group_and_checks_that_a_leader_takes_order_entry()
    {
        var r = Tool.Run(s_deploy, "--environment", "production", "--tag", "v1.2.0", "--replicated", "--dry-run");
        Assert.True(r.ExitCode == 0, r.ToString());
        var plan = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(plan, l => Assert.StartsWith("[dry-run] ", l));
        var helm = Assert.Single(plan, l => l.Contains(" helm upgrade --install hft-trading ", StringComparison.Ordinal));
        Assert.Contains("--set image.tag=v1.2.0 --set replication.enabled=true", helm);
        Assert.Contains("values-production.yaml", helm);
        Assert.Contains(plan, l => l == "[dry-run] kubectl rollout status statefulset/hft -n hft --timeout 600s");
        Assert.DoesNotContain(plan, l => l.Contains("deployment/hft-trading-system", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.StartsWith("[dry-run] kubectl port-forward service/hft 18080:8080 ", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.StartsWith("[dry-run] kubectl port-forward service/hft-leader 18080:8080 ", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.EndsWith("/ready\\?role=leader", StringComparison.Ordinal)); // printf %q of the URL
        // The names the plan uses are the chart's.
        Assert.Contains("name: hft-leader", File.ReadAllText(Repo.Deployment("helm", "hft-trading", "templates", "replication-services.yaml")));
        Assert.Contains("name: hft\n", File.ReadAllText(Repo.Deployment("helm", "hft-trading", "templates", "statefulset.yaml")));
    }

    [Fact]
    public void Replicated_refuses_the_kubectl_method_before_changing_anything()
    {
        var r = Tool.Run(s_deploy, "-e", "production", "-t", "v1", "--replicated", "--method", "kubectl", "--dry-run");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--replicated deploys with helm", r.Stderr);
        Assert.DoesNotContain("[dry-run]", r.Stdout);
    }
}
