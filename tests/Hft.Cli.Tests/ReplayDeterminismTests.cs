namespace Hft.Cli.Tests;

public class ReplayDeterminismTests
{
    [Fact]
    public void The_same_stream_twice_gives_byte_identical_output()
    {
        string input = RandomReplayFile.Build(seed: 42, lines: 20_000);
        var first = ReplayHarness.InProcess(input);
        var second = ReplayHarness.InProcess(input);
        Assert.Equal(0, first.Code);
        Assert.Contains("\"ev\":\"trade\"", first.Stdout);
        Assert.Equal(first.Stdout, second.Stdout);
    }

    [Fact]
    public void Invariants_hold_after_every_command_of_a_random_stream()
    {
        var result = ReplayHarness.InProcess(RandomReplayFile.Build(seed: 7, lines: 5_000), check: true);
        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.Code);
    }

    [Fact]
    public void Two_separate_processes_agree_byte_for_byte()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hft-determinism-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, RandomReplayFile.Build(seed: 3, lines: 5_000));
        try
        {
            var a = ReplayHarness.Process(null, "replay", path);
            var b = ReplayHarness.Process(null, "replay", path);
            Assert.Equal(0, a.Code);
            Assert.Equal(a.Stdout, b.Stdout);
            Assert.Equal(a.Stdout, ReplayHarness.InProcess(File.ReadAllText(path)).Stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
