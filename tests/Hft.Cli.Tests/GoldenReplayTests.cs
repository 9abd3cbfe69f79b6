namespace Hft.Cli.Tests;

/// <summary>
/// Hand-written scenarios (Golden/NAME.jsonl) with hand-derived expected output (Golden/NAME.expected.jsonl),
/// byte for byte: one per order type, per STP mode, per reject reason, and the replace rules; stop cascades, iceberg
/// refresh priority and good-till-date expiry on the replay clock.
/// </summary>
public class GoldenReplayTests
{
    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(ReplayHarness.GoldenDir, "*.expected.jsonl").Order())
            data.Add(Path.GetFileName(f).Replace(".expected.jsonl", ""));
        return data;
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Replay_output_matches_the_golden_file(string scenario)
    {
        string input = File.ReadAllText(Path.Combine(ReplayHarness.GoldenDir, scenario + ".jsonl"));
        string expected = File.ReadAllText(Path.Combine(ReplayHarness.GoldenDir, scenario + ".expected.jsonl"));
        var (code, stdout, stderr) = ReplayHarness.InProcess(input, check: true);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Equal(expected, stdout);
    }

    /// <summary>Reasons only the server produces (admission control, operator actions): no replay command leads to them.</summary>
    private static readonly string[] s_serverOnly = ["overloaded", "rate_limited", "not_leader", "shutting_down", "admin"];

    [Fact]
    public void Every_reject_and_cancel_reason_has_a_golden_case()
    {
        string all = string.Concat(Directory.GetFiles(ReplayHarness.GoldenDir, "*.expected.jsonl").Select(File.ReadAllText));
        foreach (var reason in Hft.Core.Events.RejectReasonNames.All.Skip(1).Except(s_serverOnly))
            Assert.Contains($"\"reason\":\"{reason}\"", all);
        foreach (var reason in Hft.Core.Events.CancelReasonNames.All.Skip(1).Except(s_serverOnly))
            Assert.Contains($"\"reason\":\"{reason}\"", all);
    }

    [Fact]
    public void The_real_program_gives_the_same_output_as_the_golden_file()
    {
        string path = Path.Combine(ReplayHarness.GoldenDir, "order_types.jsonl");
        var (code, stdout, stderr) = ReplayHarness.Process(null, "replay", path);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Equal(File.ReadAllText(Path.Combine(ReplayHarness.GoldenDir, "order_types.expected.jsonl")), stdout);
    }
}
