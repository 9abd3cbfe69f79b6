using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Hft.Client.Rest;

namespace Hft.Tools.CrashTest;

/// <summary>
/// <c>dotnet hft.dll serve</c> as a child process: its output captured, "ready" awaited, and killed with SIGKILL
/// (<see cref="Process.Kill()"/>) — no chance to flush or drain anything.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            _output.Enqueue(e.Data);
            if (e.Data.StartsWith("hft: ready", StringComparison.Ordinal)) _ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) _output.Enqueue(e.Data);
        };
    }

    public int Port { get; }

    public string Output => string.Join('\n', _output);

    public bool HasExited => _process.HasExited;

    /// <summary>Freezes (SIGSTOP) or resumes (SIGCONT) the process: to the others it looks cut off by a partition, then back.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        });
        kill?.WaitForExit(5000);
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>Where the CLI itself lives: this command runs inside hft.dll.</summary>
    public static string CliDll => Path.Combine(AppContext.BaseDirectory, "hft.dll");

    public static ServerProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, int port, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("HFT_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["HFT_GATEWAY__BINARY_PORT"] = "0"; // the crashed servers need no fixed gateway port (none collides with a test run beside)
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var server = new ServerProcess(process, port);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Waits for "hft: ready" and then for GET /ready to answer 200; false when the process exits or time runs out.</summary>
    public async Task<bool> WaitReadyAsync(HftRestClient anonymous, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (done != _ready.Task) return false;
        while (clock.Elapsed < timeout && !_process.HasExited)
        {
            if ((await anonymous.ReadyAsync()).Status == 200) return true;
            await Task.Delay(20);
        }
        return false;
    }

    /// <summary>SIGKILL, then waits (bounded) until the process is gone.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
        }
        _process.WaitForExit(10_000);
    }

    /// <summary>Waits for the process to exit on its own (bounded); kills it when it does not.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            _process.WaitForExit(); // drain the output
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return null;
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
