using Hft.Configuration;
using Hft.Journal;

namespace Hft.Cli.Commands;

/// <summary>
/// <c>hft restore FILE [--data DIR] [--force]</c>: verifies a backup and extracts it into an (empty) data directory
/// that no server holds (exit 2 while one does).
/// </summary>
public static class RestoreCommand
{
    private const string Help = """
        usage: hft restore FILE.tar.gz [--data DIR] [--force] [--profile NAME]

        Verifies the backup (manifest hashes, snapshot CRC, every journal record's CRC) and extracts its snapshot and
        journal segments into --data DIR (else the profile's [journal] dir). Refuses a directory that is not empty
        unless --force is given (its snapshot-* and journal-* files are then replaced), and refuses (exit 2) a directory
        a running server holds. Start the server on it afterwards: recovery loads the snapshot and replays the journal
        after it.
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? file = null, data = null;
        bool force = false;
        var profileArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "-h" or "--help": stdout.WriteLine(Help); return 0;
                case "--data": data = Next(); break;
                case "--force": force = true; break;
                case "--profile": profileArgs.Add(a); profileArgs.Add(Next() ?? ""); break;
                default:
                    if (a.StartsWith('-') || file is not null)
                    {
                        stderr.WriteLine($"hft restore: unknown argument '{a}'");
                        return 2;
                    }
                    file = a;
                    break;
            }
        }
        if (file is null)
        {
            stderr.WriteLine(Help);
            return 2;
        }
        if (!File.Exists(file))
        {
            stderr.WriteLine($"hft restore: no file '{file}'");
            return 2;
        }
        if (data is null)
        {
            if (!ProfileConfig.TryLoad(profileArgs, stderr, out var config)) return ConfigException.ExitCode;
            data = config.Journal.Dir;
        }
        try
        {
            var result = JournalBackup.Restore(file, data, force);
            if (!result.Ok)
            {
                stderr.WriteLine($"hft restore: the backup does not verify, nothing restored: {result}");
                return 1;
            }
            stdout.WriteLine($"hft restore: {file} -> {data}: {result}");
            return 0;
        }
        catch (DataDirectoryLockException e)
        {
            stderr.WriteLine($"hft restore: {e.Message}{(e.Held ? "; stop the server on it before restoring" : "")}");
            return 2;
        }
        catch (InvalidOperationException e)
        {
            stderr.WriteLine($"hft restore: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"hft restore: {e.Message}");
            return 1;
        }
    }
}
