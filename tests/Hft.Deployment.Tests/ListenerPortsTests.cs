using Hft.Configuration;
using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The split of the server's listeners as every deployment wires it: the API port ([server] http_port) behind the
/// ingress and nginx, the operations port ([monitoring] metrics_port) behind Prometheus only - the ports the pods and
/// containers declare and pin being those of the staging and production profiles.
/// </summary>
public sealed class ListenerPortsTests
{
    private static readonly Dictionary<string, string?> s_secret = new() { ["HFT_AUTH__SECRET"] = new string('s', 40) };

    /// <summary>deployment/kubernetes/*.yaml (the production shape) plus the *.yaml of the given subdirectories.</summary>
    private static IEnumerable<YamlMappingNode> Manifests(params string[] dirs)
        => Directory.GetFiles(Repo.Deployment("kubernetes"), "*.yaml")
            .Concat(dirs.SelectMany(d => Directory.GetFiles(Repo.Deployment("kubernetes", d), "*.yaml")))
            .Where(f => Path.GetFileName(f) != "kustomization.yaml").Order().SelectMany(Yaml.Documents);

    [Theory]
    [InlineData("Deployment", "hft-trading-system", new[] { "development" })]
    [InlineData("StatefulSet", "hft", new string[0])]
    public void Pods_declare_and_pin_the_production_profiles_two_ports(string kind, string name, string[] dir)
    {
        var c = ConfigLoader.Load("production", Repo.Path("config"), s_secret);
        var pod = Manifests(dir).Single(o => o.Str("kind") == kind && o.Str("metadata.name") == name);
        var container = pod.Seq("spec.template.spec.containers").Single(x => x.Str("name") == "hft-trading");
        var ports = container.Seq("ports").ToDictionary(p => p.Req("name"), p => int.Parse(p.Req("containerPort")));
        Assert.Equal(c.Server.HttpPort, ports["http"]);
        Assert.Equal(c.Monitoring.MetricsPort, ports["metrics"]);
        var env = container.Seq("env").Where(e => e.Str("value") is not null).ToDictionary(e => e.Req("name"), e => e.Req("value"));
        Assert.Equal(ports["http"].ToString(), env["HFT_SERVER__HTTP_PORT"]);
        Assert.Equal(ports["metrics"].ToString(), env["HFT_MONITORING__METRICS_PORT"]);
        Assert.Equal(ports["metrics"].ToString(), pod.Map("spec.template.metadata.annotations").Literal("prometheus.io/port"));
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.Equal("http", container.Req($"{probe}.httpGet.port"));
    }

    [Fact]
    public void The_ingresses_reach_only_the_api_port_and_the_service_monitor_only_the_operations_port()
    {
        // The production shape with the Operator's ServiceMonitors, and the development option (its own ingress and
        // Service hft-trading-service in place of the production ones, same names).
        foreach (var objects in new[]
                 {
                     Manifests("operator").ToList(),
                     Directory.GetFiles(Repo.Deployment("kubernetes", "development"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml")
                         .Concat(Directory.GetFiles(Repo.Deployment("kubernetes", "operator"), "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml"))
                         .Order().SelectMany(Yaml.Documents).ToList(),
                 })
        {
            var servicePorts = objects.Where(o => o.Str("kind") == "Service")
                .SelectMany(s => s.Seq("spec.ports").Select(p => (Service: s.Req("metadata.name"), Port: p.Req("port"), Name: p.Req("name"), Target: p.Req("targetPort"))))
                .ToList();
            foreach (var path in objects.Where(o => o.Str("kind") == "Ingress").SelectMany(i => i.Seq("spec.rules.0.http.paths")))
            {
                var backend = servicePorts.Single(p => p.Service == path.Req("backend.service.name") && p.Port == path.Req("backend.service.port.number"));
                Assert.Equal("http", backend.Target);
            }
            foreach (var endpoint in objects.Where(o => o.Str("kind") == "ServiceMonitor" && o.At("spec.endpoints") is not null).SelectMany(m => m.Seq("spec.endpoints")))
            {
                Assert.Equal("/metrics", endpoint.Req("path"));
                Assert.All(servicePorts.Where(p => p.Name == endpoint.Req("port")), p => Assert.Equal("metrics", p.Target));
            }
        }
    }
}
