using System.Diagnostics;
using System.Text;

namespace Hft.Deployment.Tests;

/// <summary>Paths of the repository (found upwards from the test binaries) and of its deployment files.</summary>
public static class Repo
{
    public static readonly string Root = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Deployment(params string[] parts) => System.IO.Path.Combine([Root, "deployment", .. parts]);

    public static string ReadText(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>The built CLI (src/Hft.Cli/bin/&lt;Configuration&gt;/net10.0/hft.dll; the project reference builds it first).</summary>
    public static string CliDll
    {
        get
        {
            string config = typeof(Repo).Assembly.Location.Contains($"{System.IO.Path.DirectorySeparatorChar}Debug{System.IO.Path.DirectorySeparatorChar}",
                StringComparison.Ordinal) ? "Debug" : "Release";
            var dll = Path("src", "Hft.Cli", "bin", config, "net10.0", "hft.dll");
            Assert.True(File.Exists(dll), $"the CLI is not built: {dll}");
            return dll;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Hft.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root (Hft.sln) not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>The result of running a tool: exit code and both outputs.</summary>
public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs real tools (shellcheck, yamllint, promtool, docker-compose, the scripts) with a time limit.</summary>
public static class Tool
{
    public static bool Exists(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator)
            .Any(d => d.Length > 0 && File.Exists(System.IO.Path.Combine(d, name)));

    public static ToolResult Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IDictionary<string, string?>? environment = null, int timeoutSeconds = 60)
    {
        Assert.True(file.Contains('/') || Exists(file), $"'{file}' is not installed (scripts/test.sh TEST_PACKAGES installs it)");
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Repo.Root,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
            {
                if (v is null) psi.Environment.Remove(k);
                else psi.Environment[k] = v;
            }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} did not finish in {timeoutSeconds} s");
        }
        p.WaitForExit();
        lock (stdout) lock (stderr) return new ToolResult(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static ToolResult Run(string file, params string[] args) => Run(file, args, null, null);

    /// <summary>
    /// Skips the calling test (reported SKIPPED with the reason, never passed) when <paramref name="name"/> is not on
    /// PATH. Only for tools no Debian package provides (so scripts/test.sh cannot install them); a tool it installs is
    /// simply run, and its absence fails the test.
    /// </summary>
    public static void RequireOrSkip(string name, string why)
        => Skip.IfNot(Exists(name), $"{name} is not on PATH: {why}");

    /// <summary>
    /// kubectl whose built-in kustomize builds the overlays (kubectl 1.21 or newer: kustomize v4, --load-restrictor).
    /// scripts/test.sh installs Debian's kubernetes-client when kubectl is missing, but that is kubectl 1.20 (kustomize
    /// v2, which refuses the overlays' fields): with it, the tests that build the overlays are skipped, saying so.
    /// </summary>
    public static void RequireKustomizeOrSkip()
    {
        RequireOrSkip("kubectl", "the kustomize builds of deployment/kubernetes need it (scripts/test.sh installs kubernetes-client)");
        var help = s_kustomizeHelp.Value;
        Skip.IfNot(help.Contains("--load-restrictor", StringComparison.Ordinal),
            "this kubectl's kustomize is older than v4 (kubectl 1.21; Debian's kubernetes-client is 1.20) and cannot build the overlays");
    }

    private static readonly Lazy<string> s_kustomizeHelp = new(() => Run("kubectl", ["kustomize", "--help"], timeoutSeconds: 60).Output);
}
