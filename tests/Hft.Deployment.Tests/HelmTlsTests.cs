using YamlDotNet.RepresentationModel;

namespace Hft.Deployment.Tests;

/// <summary>
/// The chart's tls block against the profiles (without Helm, like <see cref="HelmChartTests"/>: the templates' text and
/// the values files): production turns it on, the profiles that keep [tls] off turn it off, and the server pods, probes,
/// ingress, backup job and the optional cert-manager Certificate follow it.
/// </summary>
public sealed class HelmTlsTests
{
    private static readonly string s_chart = Repo.Deployment("helm", "hft-trading");

    private static string Template(string name) => File.ReadAllText(Path.Combine(s_chart, "templates", name));

    private static YamlMappingNode Values(string file) => Yaml.Load(Path.Combine(s_chart, file));

    private static bool ProfileTurnsTlsOn(string environment)
        => System.Text.RegularExpressions.Regex.IsMatch(Repo.ReadText("config", $"{environment}.toml"), @"^http\s*=\s*true", System.Text.RegularExpressions.RegexOptions.Multiline);

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    [InlineData("development")]
    public void The_tls_values_of_each_environment_follow_its_profile(string environment)
    {
        var enabled = Values($"values-{environment}.yaml").Str("tls.enabled") ?? Values("values.yaml").Req("tls.enabled");
        Assert.Equal(ProfileTurnsTlsOn(environment) ? "true" : "false", enabled);
        Assert.Equal("hft-tls", Values($"values-{environment}.yaml").Str("tls.secretName") ?? Values("values.yaml").Req("tls.secretName"));
    }

    [Theory]
    [InlineData("deployment.yaml")]
    [InlineData("statefulset.yaml")]
    public void Server_pods_mount_the_tls_secret_and_probe_the_api_port_with_its_scheme(string template)
    {
        var text = Template(template);
        Assert.Contains("{{- include \"hft.tlsVolumeMount\" . | nindent 12 }}", text);
        Assert.Contains("{{- include \"hft.tlsVolume\" . | nindent 8 }}", text);
        var probes = System.Text.RegularExpressions.Regex.Matches(text, @"httpGet:\s*\n\s*path: /(health|ready)\s*\n\s*port: http\s*\n\s*scheme: \{\{ include ""hft.apiScheme"" \. \}\}");
        Assert.Equal(3, probes.Count);
        var helpers = Template("_helpers.tpl");
        Assert.Contains("mountPath: /app/tls\n  readOnly: true", helpers);
        Assert.Contains("secretName: {{ .Values.tls.secretName }}", helpers);
        Assert.Contains("{{- if .Values.tls.enabled }}HTTPS{{ else }}HTTP{{ end -}}", helpers);
    }

    [Fact]
    public void The_ingress_backend_protocol_is_https_when_tls_is_on()
    {
        var text = Template("ingress.yaml");
        var block = text[text.IndexOf("{{- if .Values.tls.enabled }}", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("{{- end }}", StringComparison.Ordinal)];
        Assert.Contains("nginx.ingress.kubernetes.io/backend-protocol: \"HTTPS\"", block);
        Assert.Contains("nginx.ingress.kubernetes.io/proxy-ssl-secret: \"{{ .Release.Namespace }}/{{ .Values.tls.secretName }}\"", block);
        Assert.Contains("nginx.ingress.kubernetes.io/proxy-ssl-verify: \"on\"", block);
        Assert.NotEqual(Values("values.yaml").Req("ingress.tlsSecret"), Values("values.yaml").Req("tls.secretName")); // public certificate != node certificate
    }

    [Fact]
    public void The_backup_job_and_the_replication_api_urls_use_https_when_tls_is_on()
    {
        Assert.Contains("backup --url https://127.0.0.1:{{ .Values.service.port }} --ca-file /app/tls/ca.crt", Template("backup.yaml"));
        var sts = Template("statefulset.yaml");
        Assert.Contains("(ternary \"https\" \"http\" $.Values.tls.enabled)", sts);
        Assert.Contains("args: [\"--port\", {{ .Values.service.metricsPort | quote }}", sts); // role-labeler: plain operations port
    }

    [Fact]
    public void The_cert_manager_certificate_names_the_services_the_raft_peers_and_the_loopback_address()
    {
        var text = Template("certificate.yaml");
        Assert.Contains("{{- if and .Values.tls.enabled .Values.tls.certManager.enabled }}", text);
        Assert.Contains("kind: Certificate", text);
        Assert.Contains("secretName: {{ .Values.tls.secretName }}", text);
        Assert.Contains("name: {{ .Values.tls.certManager.issuerRef.name }}", text);
        Assert.Contains("list \"hft-trading-service\" \"hft\" \"hft-leader\"", text);
        Assert.Contains("\"*.hft-raft.{{ $ns }}.svc.{{ $domain }}\"", text);
        Assert.Contains("- localhost", text);
        Assert.Contains("- 127.0.0.1", text);
        Assert.Contains("- server auth", text);
        Assert.Contains("- client auth", text);
        Assert.Equal("false", Values("values.yaml").Req("tls.certManager.enabled")); // needs cert-manager's CRDs: opt in
    }
}
