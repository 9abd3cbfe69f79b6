using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Hft.Server.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (the Debian package) on a free loopback port, without persistence
/// (<c>--save '' --appendonly no</c>), killed on dispose. <see cref="Kill"/> and <see cref="StartAsync"/> let a test take
/// it away and bring it back on the same port (empty, as after a crash without persistence). With TLS files it listens
/// for TLS only (<c>--port 0 --tls-port</c>) and, as redis-server does by default, requires a client certificate
/// chaining to its CA file.
/// </summary>
public sealed class RedisFixture : IAsyncDisposable
{
    private System.Diagnostics.Process? _process;

    private readonly RedisTlsFiles? _tls;

    private RedisFixture(int port, RedisTlsFiles? tls)
    {
        Port = port;
        _tls = tls;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string of this server (TLS: the name its certificate carries).</summary>
    public string Connection => _tls is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},ssl=true,sslHost=localhost";

    public static async Task<RedisFixture> StartNewAsync(RedisTlsFiles? tls = null)
    {
        var fixture = new RedisFixture(FreePort(), tls);
        await fixture.StartAsync();
        return fixture;
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts redis-server and waits (at most 10 s) until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("redis-server already running");
        var psi = new ProcessStartInfo("redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] listen = _tls is null
            ? ["--port", port]
            : ["--port", "0", "--tls-port", port, "--tls-cert-file", _tls.CertFile, "--tls-key-file", _tls.KeyFile, "--tls-ca-cert-file", _tls.CaFile];
        foreach (var a in listen.Concat(["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"]))
            psi.ArgumentList.Add(a);
        _process = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("could not start redis-server (apt-get install redis-server)");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"redis-server exited with {_process.ExitCode} on port {Port}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"redis-server did not accept connections on port {Port} within 10 s");
    }

    /// <summary>Kills redis-server (SIGKILL: no goodbye to clients) and waits for it to exit.</summary>
    public void Kill()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }
}

/// <summary>redis-server's TLS files: its certificate and key, and the authorities its clients' certificates must chain to.</summary>
public sealed record RedisTlsFiles(string CertFile, string KeyFile, string CaFile);
