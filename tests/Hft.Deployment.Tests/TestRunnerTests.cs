namespace Hft.Deployment.Tests;

/// <summary>
/// The test runner itself (scripts/test.sh and the functions of scripts/test-lib.sh): its accounting on hand-made
/// results (trx files, console logs and the .run record each test process leaves), and that a package it cannot
/// install stops it at once with one line and the summary "0 passed, 1 failed", without root side effects (apt-get
/// only simulates).
/// </summary>
public sealed class TestRunnerTests
{
    private static readonly string s_lib = Repo.Path("scripts", "test-lib.sh");

    private static string Trx(params (string Name, string Outcome, string? Message)[] results)
        => "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<TestRun xmlns=\"http://microsoft.com/schemas/VisualStudio/TeamTest/2010\">\n  <Results>\n"
            + string.Concat(results.Select(r => r.Message is null
                ? $"    <UnitTestResult testName=\"{r.Name}\" outcome=\"{r.Outcome}\" />\n"
                : $"    <UnitTestResult testName=\"{r.Name}\" outcome=\"{r.Outcome}\">\n      <Output>\n        <ErrorInfo>\n"
                  + $"          <Message>{r.Message}</Message>\n        </ErrorInfo>\n      </Output>\n    </UnitTestResult>\n"))
            + "  </Results>\n  <ResultSummary outcome=\"Failed\">\n    <RunInfos>\n      <RunInfo outcome=\"Error\" />\n    </RunInfos>\n"
            + "    <Counters total=\"0\" executed=\"0\" passed=\"0\" failed=\"0\" />\n  </ResultSummary>\n</TestRun>\n";

    private static ToolResult Summarize(string dir)
        => Tool.Run("bash", ["-c", ". \"$1\" && hft_summarize \"$2\"", "summarize", s_lib, dir]);

    private static void Write(string dir, string name, string run, string? trx = null, string? log = null)
    {
        File.WriteAllText(Path.Combine(dir, name + ".run"), run);
        if (trx is not null) File.WriteAllText(Path.Combine(dir, name + ".trx"), trx);
        if (log is not null) File.WriteAllText(Path.Combine(dir, name + ".log"), log);
    }

    [Fact]
    public void Skipped_tests_are_counted_with_their_reason_and_a_clean_run_exits_0()
    {
        var dir = Directory.CreateTempSubdirectory("hft-runner-");
        try
        {
            Write(dir.FullName, "A", "name=A\nrc=0\n", Trx(("A.One", "Passed", null), ("A.Two", "Passed", null),
                ("A.Kustomize", "NotExecuted", "kubectl is not on PATH: the &quot;overlays&quot; need it"),
                ("A.Kustomize2", "NotExecuted", "kubectl is not on PATH: the &quot;overlays&quot; need it")));
            Write(dir.FullName, "B", "name=B\nrc=0\n", Trx(("B.One", "Passed", null)));
            var r = Summarize(dir.FullName);
            Assert.True(r.ExitCode == 0, r.ToString());
            Assert.Equal("3 passed, 0 failed, 2 skipped", r.Stdout.Trim());
            Assert.Equal("test: A: 2 skipped: kubectl is not on PATH: the \"overlays\" need it", r.Stderr.Trim());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_crashed_or_hung_process_counts_every_test_it_did_not_report_as_failed_and_names_the_hung_test()
    {
        var dir = Directory.CreateTempSubdirectory("hft-runner-");
        try
        {
            // Hung: 2 of 5 reported (one of them failed); the blame collector ended the process and named the test.
            Write(dir.FullName, "Hung", "name=Hung\nrc=1\nlisted=5\n", Trx(("H.Ok", "Passed", null), ("H.Bad", "Failed", "Assert.Equal() Failure")),
                "The active test run was aborted. Reason: Test host process crashed\n"
                + "Data collector 'Blame' message: The specified inactivity time of 600 seconds has elapsed. Collecting hang dumps\n"
                + "Test Run Aborted.\n\nThe test running when the crash occurred: \nH.Stuck\n\nThis test may, or may not be the source of the crash.\n");
            // Crashed before writing any result: all 4 listed tests failed.
            Write(dir.FullName, "Crashed", "name=Crashed\nrc=1\nlisted=4\n", null,
                "The active test run was aborted. Reason: Test host process crashed : Process terminated.\nboom\n");
            // Failed with nothing to blame (no failing test, nothing missing): one failure.
            Write(dir.FullName, "Odd", "name=Odd\nrc=1\nlisted=1\n", Trx(("O.Ok", "Passed", null)), "something else went wrong\n");
            // An ordinary failure: counted once, as reported.
            Write(dir.FullName, "Plain", "name=Plain\nrc=1\nlisted=2\n", Trx(("P.Ok", "Passed", null), ("P.Bad", "Failed", "no")));

            var r = Summarize(dir.FullName);
            Assert.Equal(1, r.ExitCode);
            Assert.Equal("3 passed, 10 failed", r.Stdout.Trim()); // 1 + 3 (hung) + 4 (crashed) + 1 (odd) + 1 (plain)
            var lines = r.Stderr.Trim().Split('\n');
            Assert.Equal(3, lines.Length);
            Assert.Contains(lines, l => l.StartsWith("test: Hung: hung in H.Stuck ", StringComparison.Ordinal)
                && l.EndsWith(": 3 of its 5 tests reported no result and count as failed", StringComparison.Ordinal));
            Assert.Contains("test: Crashed: the test process crashed: 4 of its 4 tests reported no result and count as failed", lines);
            Assert.Contains(lines, l => l.StartsWith("test: Odd: dotnet test exited with 1, with no failing test reported: counted as 1 failure",
                StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Only_packages_that_are_not_installed_are_asked_for()
    {
        var r = Tool.Run("bash", ["-c", ". \"$1\" && hft_missing_packages", "missing", s_lib], null,
            new Dictionary<string, string?> { ["HFT_TEST_PACKAGES"] = "bash hft-no-such-package coreutils" });
        Assert.True(r.ExitCode == 0, r.ToString());
        var wanted = r.Stdout.Trim().Split('\n');
        Assert.Equal("hft-no-such-package", wanted[0]);
        Assert.All(wanted.Skip(1), p => Assert.Equal("kubernetes-client", p)); // only on a machine without kubectl
    }

    /// <summary>
    /// The whole runner with a package apt cannot install: apt-get only simulates (its update is skipped), so nothing on
    /// the machine changes. It stops before building, says which package and which command failed on one line, and
    /// ends with the summary line. An apt-get that claims success without installing is caught the same way.
    /// </summary>
    [Theory]
    [InlineData("[ \"$1\" = update ] && exit 0\nexec apt-get --simulate \"$@\"\n", "failed (exit 100): E: Unable to locate package hft-no-such-package")]
    [InlineData("exit 0\n", "succeeded but hft-no-such-package is still not installed")]
    public void A_package_that_cannot_be_installed_stops_the_run_at_once_with_one_line(string aptGet, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("hft-runner-apt-");
        try
        {
            var fake = Path.Combine(dir.FullName, "apt-get");
            File.WriteAllText(fake, "#!/usr/bin/env bash\n" + aptGet);
            Assert.Equal(0, Tool.Run("chmod", "+x", fake).ExitCode);
            var r = Tool.Run(Repo.Path("scripts", "test.sh"), [], null, new Dictionary<string, string?>
            {
                ["HFT_TEST_PACKAGES"] = "hft-no-such-package",
                ["HFT_APT_GET"] = fake,
            }, timeoutSeconds: 120);
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Equal("0 passed, 1 failed", r.Stdout.Trim());
            var lines = r.Stderr.Trim().Split('\n');
            Assert.True(lines.Length == 2, r.ToString()); // "installing ..." and the one line saying why it stopped
            Assert.StartsWith("test: installing hft-no-such-package", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("test: could not install hft-no-such-package", lines[1], StringComparison.Ordinal);
            Assert.Contains($"'{fake} install -y -qq hft-no-such-package", lines[1], StringComparison.Ordinal);
            Assert.Contains(expected, lines[1], StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
