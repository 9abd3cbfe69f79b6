using Hft.Cli.Replay;

namespace Hft.Cli.Commands;

/// <summary><c>hft replay FILE [--check]</c>: FILE may be '-' for standard input.</summary>
public static class ReplayCommand
{
    private const string Help = """
        usage: hft replay FILE [--check]

        Runs JSON-lines commands (instrument, new, cancel, replace) through the matching engine and writes
        every event as a JSON line to stdout, then one "book" line per instrument. FILE '-' reads stdin.
          --check   verify every book invariant after every command (debug mode, slower)
        A malformed line stops the run with "line N: reason" on stderr and exit code 2.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? path = null;
        bool check = false;
        foreach (var a in args)
        {
            if (a is "-h" or "--help") { stdout.WriteLine(Help); return 0; }
            if (a == "--check") check = true;
            else if (a.StartsWith("--", StringComparison.Ordinal)) { stderr.WriteLine($"hft replay: unknown option '{a}'"); return 2; }
            else if (path is null) path = a;
            else { stderr.WriteLine("hft replay: only one FILE may be given"); return 2; }
        }
        if (path is null) { stderr.WriteLine(Help); return 2; }

        Stream input;
        try
        {
            input = path == "-" ? Console.OpenStandardInput() : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"hft replay: cannot read '{path}': {e.Message}");
            return 2;
        }
        using (input)
        using (var output = Console.OpenStandardOutput())
        {
            return ReplayRunner.Run(input, output, stderr, new ReplayOptions { CheckInvariants = check });
        }
    }
}
