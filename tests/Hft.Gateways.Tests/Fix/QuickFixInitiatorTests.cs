using System.Diagnostics;
using System.Security.Cryptography;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// End to end against an independent FIX engine: a QuickFIX C++ initiator (quickfix/initiator.cpp, built here with
/// g++ against Debian's libquickfix-dev, cached by source hash) logs on, trades, forces sequence gaps both ways and
/// logs out; its output lines are asserted.
/// </summary>
public class QuickFixInitiatorTests
{
    private static string SourcePath => Path.Combine(AppContext.BaseDirectory, "quickfix", "initiator.cpp");

    /// <summary>Compiles the initiator once per source version into a temp directory.</summary>
    private static string BuildInitiator()
    {
        var source = File.ReadAllBytes(SourcePath);
        var hash = Convert.ToHexString(SHA256.HashData(source))[..16].ToLowerInvariant();
        var dir = Path.Combine(Path.GetTempPath(), "hft-quickfix-initiator-" + hash);
        var binary = Path.Combine(dir, "initiator");
        if (File.Exists(binary)) return binary;
        Directory.CreateDirectory(dir);
        var temp = binary + "." + Environment.ProcessId + ".tmp";
        // QuickFIX's headers use dynamic exception specifications: C++14 is the newest standard that accepts them.
        var (code, output) = Run("g++", ["-std=c++14", "-O1", "-w", "-o", temp, SourcePath, "-lquickfix", "-lpthread"], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, "g++ failed (needs g++ and libquickfix-dev):\n" + output);
        File.Move(temp, binary, overwrite: true);
        return binary;
    }

    private static (int Code, string Output) Run(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return (-1, "timed out\n" + stdout.Result + stderr.Result);
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public async Task QuickFix_initiator_trades_and_recovers_from_sequence_gaps()
    {
        var binary = BuildInitiator();
        await using var f = await FixServerFixture.StartAsync();
        var store = Path.Combine(f.Dir, "quickfix-store");
        Directory.CreateDirectory(store);
        var (code, output) = await Task.Run(() => Run(binary, [f.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), store,
            FixServerFixture.PasswordA1], TimeSpan.FromSeconds(120)));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(code == 0, "initiator failed:\n" + output);
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal) || l.StartsWith("REJECT", StringComparison.Ordinal));
        Assert.Contains("LOGON", lines);
        Assert.Contains("EXEC Q1 0 0 cum=0 leaves=1 avgpx=0", lines);
        Assert.Contains("EXEC Q2 0 0 cum=0 leaves=0.5 avgpx=0", lines);
        Assert.Contains("EXEC Q2 F 2 cum=0.5 leaves=0 avgpx=50000", lines);
        Assert.Contains("EXEC Q1 F 1 cum=0.5 leaves=0.5 avgpx=50000", lines);
        Assert.Contains("EXEC Q3 5 1 cum=0.5 leaves=0.5 avgpx=50000", lines);
        Assert.Contains("EXEC Q4 4 4 cum=0.5 leaves=0 avgpx=50000", lines);
        Assert.Contains("CANCEL_REJECT Q5 1", lines);
        Assert.Contains("EXEC Q6 0 0 cum=0 leaves=0.5 avgpx=0", lines);
        Assert.Contains("EXEC Q6 4 4 cum=0 leaves=0 avgpx=0", lines);
        Assert.Contains("MASS_CANCEL_REPORT Q7 7 1", lines);
        Assert.Contains("GAP_RESEND_REQUESTED", lines);
        Assert.Contains(lines, l => l.StartsWith("RESEND_REQUEST ", StringComparison.Ordinal));
        Assert.Contains("EXEC Q9 0 0 cum=0 leaves=0.5 avgpx=0", lines);
        Assert.Contains("RESEND_RECEIVED", lines);
        Assert.Contains(lines, l => l.EndsWith("POSSDUP", StringComparison.Ordinal));
        Assert.Contains("LOGOUT", lines);
        Assert.Contains("DONE", lines);
    }
}
