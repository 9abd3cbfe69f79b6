using Hft.Cli.Replay;

namespace Hft.Cli.Commands;

/// <summary><c>hft replay FILE [--check] [--state-hash]</c> (FILE may be '-'), or <c>hft replay --journal DIR</c>.</summary>
public static class ReplayCommand
{
    private const string Help = """
        usage: hft replay FILE [--check] [--state-hash]
               hft replay --journal DIR [--profile NAME]

        Runs JSON-lines commands (instrument, account, mark, halt, resume, new, cancel, replace) through risk and
        the matching engine and writes every event as a JSON line to stdout, then the final books, positions and
        accounts. FILE '-' reads stdin.
          --check        verify every book invariant after every command (debug mode, slower)
          --state-hash   end with {"ev":"state_hash","hash":"..."}: the deterministic hash of the final state
          --journal DIR  instead of a file: recover a server's journal offline (instruments and accounts from the
                         profile) and print {"ev":"state_hash",...} - what the server shows at /debug/state-hash
        A malformed line stops the run with "line N: reason" on stderr and exit code 2.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? path = null, journal = null;
        bool check = false, stateHash = false;
        var profileArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            if (a is "-h" or "--help") { stdout.WriteLine(Help); return 0; }
            if (a == "--check") check = true;
            else if (a == "--state-hash") stateHash = true;
            else if (a == "--journal" && i + 1 < args.Length) journal = args[++i];
            else if (a == "--profile" && i + 1 < args.Length) { profileArgs.Add(a); profileArgs.Add(args[++i]); }
            else if (a.StartsWith("--", StringComparison.Ordinal)) { stderr.WriteLine($"hft replay: unknown option '{a}'"); return 2; }
            else if (path is null) path = a;
            else { stderr.WriteLine("hft replay: only one FILE may be given"); return 2; }
        }
        if (journal is not null) return JournalReplay.Run(journal, profileArgs, stdout, stderr);
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
            return ReplayRunner.Run(input, output, stderr, new ReplayOptions { CheckInvariants = check, StateHash = stateHash });
        }
    }
}
