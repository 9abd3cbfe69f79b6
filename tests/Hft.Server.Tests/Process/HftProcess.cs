using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Hft.Server.Tests.Process;

/// <summary>
/// The real <c>hft</c> CLI (<c>dotnet src/Hft.Cli/bin/&lt;Configuration&gt;/net10.0/hft.dll</c>) as a child process with
/// its stdout and stderr captured line by line. The environment is the test's minus every <c>HFT_*</c> variable,
/// plus what the test sets.
/// </summary>
public sealed class HftProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HftProcess(System.Diagnostics.Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) { _stdoutClosed.TrySetResult(); return; }
            _stdout.Enqueue(e.Data);
            if (e.Data.StartsWith("hft: ready", StringComparison.Ordinal)) _ready.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { _stderrClosed.TrySetResult(); return; }
            _stderr.Enqueue(e.Data);
        };
    }

    public int Pid => _process.Id;

    public string Stdout => string.Join('\n', _stdout);

    public string Stderr => string.Join('\n', _stderr);

    public IReadOnlyList<string> StderrLines => _stderr.ToList();

    public static HftProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Repo.CliDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("HFT_", StringComparison.Ordinal)).ToList()) psi.Environment.Remove(key);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["HFT_GATEWAY__BINARY_PORT"] = "0"; // the development profile serves the binary gateway: any free port, tests run in parallel
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var process = new System.Diagnostics.Process { StartInfo = psi, EnableRaisingEvents = true };
        var wrapper = new HftProcess(process);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return wrapper;
    }

    /// <summary>Runs to completion (bounded by <paramref name="timeout"/>) and returns the exit code.</summary>
    public static async Task<(int ExitCode, HftProcess Process)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, string? workingDirectory = null)
    {
        var p = Start(args, environment, workingDirectory);
        int code = await p.WaitForExitAsync(timeout);
        return (code, p);
    }

    /// <summary>Waits for "hft: ready" on stdout; fails with the output so far when the process exits or time runs out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var exited = _process.WaitForExitAsync();
        var done = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout));
        if (done != _ready.Task)
            throw new Xunit.Sdk.XunitException($"hft serve not ready (exited: {_process.HasExited})\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    /// <summary>Sends SIGTERM with /bin/kill (Process.Kill only sends SIGKILL).</summary>
    public void Terminate()
    {
        using var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("/bin/kill", ["-TERM", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            UseShellExecute = false,
        })!;
        kill.WaitForExit(5000);
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>The exit code; kills the process and fails when it does not exit within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"hft did not exit within {timeout}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }
        await Task.WhenAny(Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task), Task.Delay(5000));
        return _process.ExitCode;
    }

    /// <summary>
    /// Kills the process (SIGKILL) when it still runs and waits until it is gone, so that what it held - its data
    /// directory's lock above all - is free for the next process.
    /// </summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(30_000);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    /// <summary>
    /// Starts <c>hft serve</c> on a free port and waits until it is ready. Its configuration refuses port 0, so it must be
    /// given a port, and a port found free can be taken by another process before the server binds it: then the server
    /// exits saying "address already in use", and it is started again on another port (at most 5 times).
    /// </summary>
    public static async Task<(HftProcess Process, int Port)> StartServeAsync(IEnumerable<string> args,
        Func<int, IReadOnlyDictionary<string, string>> environment, string? workingDirectory, TimeSpan timeout)
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort();
            var process = Start(args, environment(port), workingDirectory);
            try
            {
                await process.WaitReadyAsync(timeout);
                return (process, port);
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 5 && process._process.HasExited
                && process.Stderr.Contains("address already in use", StringComparison.Ordinal))
            {
                process.Dispose();
            }
        }
    }

    /// <summary>
    /// A TCP port free on 127.0.0.1 right now (another process may take it before it is used: see
    /// <see cref="StartServeAsync"/>).
    /// </summary>
    public static int FreePort() => Hft.Tools.Loopback.FreePort();
}

/// <summary>The repository the tests run from: its root, config/ and the CLI built for this test configuration.</summary>
internal static class Repo
{
    public static readonly string Root = FindRoot();

    public static string ConfigDir => Path.Combine(Root, "config");

    private static readonly Lazy<string> s_cliDll = new(FindOrBuildCli);

    public static string CliDll => s_cliDll.Value;

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Hft.sln"))) return d.FullName;
        throw new InvalidOperationException("Hft.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Release or Debug, as the test assembly itself was built.</summary>
    private static string Configuration
        => AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Debug/", StringComparison.Ordinal) ? "Debug" : "Release";

    private static string FindOrBuildCli()
    {
        var dll = Path.Combine(Root, "src", "Hft.Cli", "bin", Configuration, "net10.0", "hft.dll");
        if (File.Exists(dll)) return dll;
        // Normally built already (the test project references Hft.Cli without its assembly); build it otherwise.
        using var build = System.Diagnostics.Process.Start(new ProcessStartInfo("dotnet",
            ["build", Path.Combine(Root, "src", "Hft.Cli", "Hft.Cli.csproj"), "-c", Configuration, "-nologo", "-v", "q"])
        {
            UseShellExecute = false,
        })!;
        build.WaitForExit(300_000);
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} missing and building it failed");
        return dll;
    }
}
