using System.Diagnostics;
using System.Text;
using Hft.Cli.Replay;

namespace Hft.Cli.Tests;

/// <summary>Runs replays in-process (fast) or as the real <c>hft</c> program (exit codes, stdout/stderr).</summary>
internal static class ReplayHarness
{
    public static string GoldenDir => Path.Combine(AppContext.BaseDirectory, "Golden");

    public static (int Code, string Stdout, string Stderr) InProcess(string input, bool check = false)
    {
        using var inStream = new MemoryStream(Encoding.UTF8.GetBytes(input));
        using var outStream = new MemoryStream();
        var err = new StringWriter();
        int code = ReplayRunner.Run(inStream, outStream, err, new ReplayOptions { CheckInvariants = check });
        return (code, Encoding.UTF8.GetString(outStream.ToArray()), err.ToString());
    }

    /// <summary>Starts <c>dotnet hft.dll args</c> (the CLI built next to the tests), feeding <paramref name="stdin"/>.</summary>
    public static (int Code, string Stdout, string Stderr) Process(string? stdin, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "hft.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("hft did not finish within 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
