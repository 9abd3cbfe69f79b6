namespace Hft.Deployment.Tests;

/// <summary>deploy.sh --replicated (production's default), run for real in dry-run mode: the Helm plan switches the chart
/// to replicated mode, waits for the StatefulSet, smoke-checks reads through Service hft and order entry through Service
/// hft-trading-service (the leader, like hft-leader, but with the operations port the check uses).</summary>
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
        Assert.Contains(plan, l => l.StartsWith("[dry-run] kubectl port-forward service/hft-trading-service 18080:8080 ", StringComparison.Ordinal));
        Assert.Contains(plan, l => l.EndsWith("/ready\\?role=leader", StringComparison.Ordinal)); // printf %q of the URL
        // The names the plan uses are the chart's.
        var services = File.ReadAllText(Repo.Deployment("helm", "hft-trading", "templates", "replication-services.yaml"));
        Assert.Contains("name: hft-leader", services);
        // The leader check port-forwards to 8080: the leader Service it uses must have the operations port.
        var guide = services[services.IndexOf("name: hft-trading-service", StringComparison.Ordinal)..];
        Assert.Contains("hft.io/role: leader", guide);
        Assert.Contains("port: {{ .Values.service.metricsPort }}", guide);
        Assert.Contains("name: hft\n", File.ReadAllText(Repo.Deployment("helm", "hft-trading", "templates", "statefulset.yaml")));
    }

    [Fact]
    public void Replicated_with_the_kubectl_method_applies_the_production_directory_and_rolls_the_statefulset()
    {
        var r = Tool.Run(s_deploy, "-e", "production", "-t", "v1", "--replicated", "--method", "kubectl", "--dry-run");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("[dry-run] kubectl apply -f " + Repo.Deployment("kubernetes") + "/", r.Stdout);
        Assert.Contains("[dry-run] kubectl set image statefulset/hft hft-trading=hft/trading-system:v1 -n hft", r.Stdout);
        Assert.DoesNotContain("deployment/hft-trading-system", r.Stdout);
    }
}
