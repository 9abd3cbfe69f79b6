using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hft.Tools;

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

    /// <summary>Its port: picked free when first started, kept across <see cref="Kill"/> and <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis connection string of this server (TLS: the name its certificate carries).</summary>
    public string Connection => _tls is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},ssl=true,sslHost=localhost";

    /// <summary>
    /// Starts a redis-server on a free port. redis-server must be given its port, and a port found free can be taken by
    /// another process before redis binds it: then redis exits saying so, and it is started again on another port.
    /// </summary>
    public static async Task<RedisFixture> StartNewAsync(RedisTlsFiles? tls = null)
    {
        var fixture = new RedisFixture(Loopback.FreePort(), tls);
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await fixture.StartAsync();
                return fixture;
            }
            catch (PortTakenException) when (attempt < 5)
            {
                fixture.Port = Loopback.FreePort();
            }
        }
    }


    private sealed class PortTakenException(string message) : Exception(message);

    /// <summary>
    /// Starts redis-server and waits (at most 30 s) until it says it accepts connections: its own word, so a connection
    /// that another process on a taken port accepts is never mistaken for it.
    /// </summary>
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
        var output = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Line(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal)) ready.TrySetResult();
        }
        _process = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("could not start redis-server (apt-get install redis-server)");
        _process.OutputDataReceived += (_, e) => Line(e.Data);
        _process.ErrorDataReceived += (_, e) => Line(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var exited = _process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first == ready.Task) return;
        string said;
        lock (output) said = output.ToString();
        Kill();
        if (first == exited && said.Contains("Address already in use", StringComparison.Ordinal))
            throw new PortTakenException($"port {port} was taken before redis-server could bind it");
        throw new InvalidOperationException($"redis-server on port {port} did not become ready within 30 s:\n{said}");
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
