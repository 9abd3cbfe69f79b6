using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Hft.Deployment.Tests;

/// <summary>
/// Just enough of a Kubernetes API server for kubectl's client-side dry runs (`kubectl apply --dry-run=client -f`,
/// `kubectl create ... --dry-run=client`), which need the server's discovery to map each kind to its resource and look
/// up whether each object exists. It answers the discovery of the built-in groups the manifests use and 404 NotFound to
/// every object (an empty cluster); it knows no custom resources, so a kind without a CRD (a ServiceMonitor, or a
/// kustomization.yaml passed to `apply -f`) fails as on a real cluster without the CRD. It changes nothing, keeps no
/// state and refuses writes. Paths it was asked are kept (<see cref="Requests"/>).
/// </summary>
public sealed class FakeKubeApi : IDisposable
{
    private static readonly Dictionary<string, (string Name, string Kind, bool Namespaced)[]> s_resources = new()
    {
        ["v1"] =
        [
            ("namespaces", "Namespace", false), ("configmaps", "ConfigMap", true), ("secrets", "Secret", true), ("services", "Service", true),
            ("serviceaccounts", "ServiceAccount", true), ("persistentvolumeclaims", "PersistentVolumeClaim", true), ("pods", "Pod", true),
        ],
        ["apps/v1"] = [("statefulsets", "StatefulSet", true), ("deployments", "Deployment", true)],
        ["batch/v1"] = [("jobs", "Job", true), ("cronjobs", "CronJob", true)],
        ["policy/v1"] = [("poddisruptionbudgets", "PodDisruptionBudget", true)],
        ["networking.k8s.io/v1"] = [("networkpolicies", "NetworkPolicy", true), ("ingresses", "Ingress", true)],
        ["rbac.authorization.k8s.io/v1"] =
        [
            ("roles", "Role", true), ("rolebindings", "RoleBinding", true), ("clusterroles", "ClusterRole", false),
            ("clusterrolebindings", "ClusterRoleBinding", false),
        ],
        ["autoscaling/v2"] = [("horizontalpodautoscalers", "HorizontalPodAutoscaler", true)],
    };

    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly List<string> _requests = [];

    public FakeKubeApi()
    {
        for (int attempt = 0; ; attempt++)
        {
            Port = FreePort();
            try
            {
                _listener.Prefixes.Clear();
                _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
        Directory = System.IO.Directory.CreateTempSubdirectory("hft-fake-kube-").FullName;
        Kubeconfig = Path.Combine(Directory, "kubeconfig");
        File.WriteAllText(Kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
              - name: fake
                cluster:
                  server: http://127.0.0.1:{Port}
            contexts:
              - name: fake
                context:
                  cluster: fake
                  user: fake
                  namespace: default
            current-context: fake
            users:
              - name: fake
                user: {"{}"}
            """);
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    /// <summary>A temporary directory of this server (kubeconfig, kubectl's discovery cache).</summary>
    public string Directory { get; }

    public string Kubeconfig { get; }

    /// <summary>The environment under which kubectl talks to this server only.</summary>
    public Dictionary<string, string?> Environment => new()
    {
        ["KUBECONFIG"] = Kubeconfig,
        ["KUBECACHEDIR"] = Path.Combine(Directory, "cache"),
        ["HOME"] = Directory,
    };

    public IReadOnlyList<string> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Answer(ctx);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // kubectl went away
            }
        }
    }

    private void Answer(HttpListenerContext ctx)
    {
        string path = ctx.Request.Url!.AbsolutePath;
        lock (_requests) _requests.Add($"{ctx.Request.HttpMethod} {path}");
        if (ctx.Request.HttpMethod != "GET")
        {
            Reply(ctx, 405, Status(405, "MethodNotAllowed", "this fake API server answers reads only"));
            return;
        }
        object? body = path switch
        {
            "/version" => new { major = "1", minor = "32", gitVersion = "v1.32.0", platform = "linux/amd64" },
            "/api" => new
            {
                kind = "APIVersions", versions = new[] { "v1" },
                serverAddressByClientCIDRs = new[] { new { clientCIDR = "0.0.0.0/0", serverAddress = "127.0.0.1" } },
            },
            "/apis" => new
            {
                kind = "APIGroupList", apiVersion = "v1",
                groups = s_resources.Keys.Where(gv => gv.Contains('/')).Select(gv =>
                {
                    var (group, version) = (gv.Split('/')[0], gv.Split('/')[1]);
                    var v = new { groupVersion = gv, version };
                    return new { name = group, versions = new[] { v }, preferredVersion = v };
                }).ToArray(),
            },
            _ => null,
        };
        string? groupVersion = path == "/api/v1" ? "v1"
            : path.StartsWith("/apis/", StringComparison.Ordinal) && path.Count(c => c == '/') == 3 ? path["/apis/".Length..] : null;
        if (body is null && groupVersion is not null && s_resources.TryGetValue(groupVersion, out var resources))
            body = new
            {
                kind = "APIResourceList", apiVersion = "v1", groupVersion,
                resources = resources.Select(r => new
                {
                    name = r.Name, singularName = "", namespaced = r.Namespaced, kind = r.Kind,
                    verbs = new[] { "create", "delete", "get", "list", "patch", "update", "watch" },
                }).ToArray(),
            };
        if (body is null) Reply(ctx, 404, Status(404, "NotFound", $"{path} not found"));
        else Reply(ctx, 200, body);
    }

    private static object Status(int code, string reason, string message)
        => new { kind = "Status", apiVersion = "v1", metadata = new { }, status = "Failure", message, reason, code };

    private static void Reply(HttpListenerContext ctx, int code, object body)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(body));
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength64 = bytes.Length;
        ctx.Response.OutputStream.Write(bytes);
        ctx.Response.Close();
    }

    /// <summary>Runs a shell command line (as a guide writes it) with kubectl pointed at this server.</summary>
    public ToolResult Shell(string commandLine, string? workingDirectory = null)
        => Tool.Run("bash", ["-c", "set -o pipefail; " + commandLine], workingDirectory ?? Repo.Root, Environment, timeoutSeconds: 120);

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        _loop.Wait(TimeSpan.FromSeconds(5));
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
