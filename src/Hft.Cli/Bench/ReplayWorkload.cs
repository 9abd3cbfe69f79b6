namespace Hft.Cli.Bench;

/// <summary>
/// A workload read from a replay command file (<c>--input</c>). Wired to the replay parser
/// (<c>Hft.Cli.Replay.ReplayScript</c>) once it is available on this branch.
/// </summary>
internal static class ReplayWorkload
{
    public static BenchWorkload? Load(string path, out string? error)
    {
        error = $"--input is not available yet: the replay file parser (Hft.Cli.Replay) has not landed on this branch ({path} was not read)";
        return null;
    }
}
