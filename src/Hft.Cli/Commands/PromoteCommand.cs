using Hft.Journal;
using Hft.Pipeline.Replication;

namespace Hft.Cli.Commands;

/// <summary>
/// <c>hft promote (--url URL [--token T] [--ca-file CA.pem] [--force] | --data-dir DIR)</c>: makes a disaster-recovery replica a venue
/// of its own. Online: asks the running replica (<c>POST /replication/dr/promote</c> on its operations listener, the ops
/// token or an admin token); it stops following and takes order entry at once. Offline: records the promotion in the
/// journal directory of a stopped replica (its lock is taken meanwhile; exit 2 while a node holds it), so that it starts
/// as a venue whatever its [dr] section says. Exit 0 promoted (or already), 1 refused or failed, 2 usage.
/// </summary>
public static class PromoteCommand
{
    private const string Help = """
        usage: hft promote --url URL [--token TOKEN] [--ca-file CA.pem] [--force]
               hft promote --data-dir DIR

        Promotes a disaster-recovery replica ([dr] enabled) to a venue of its own: it stops following the group's
        journal and takes order entry, continuing from the last committed record it holds (docs/DEPLOYMENT.md,
        "Disaster recovery"). Only when the group is lost: the old group must never trade again beside it.
          --url URL       the replica's operations listener (e.g. https://hft-dr:9090); token from --token or HFT_TOKEN
                          (the ops token, or an admin token from 'hft token --account ADMIN --role admin')
          --ca-file PATH  an https --url: the replica's certificate must chain to these PEM authorities
          --force         promote although a source still streams to the replica (refused otherwise: the old group
                          is alive); only when the old group is fenced off by other means
          --data-dir DIR  a stopped replica's [journal] dir: record the promotion there; it starts promoted
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? url = null, token = null, caFile = null, dataDir = null;
        bool force = false;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "-h" or "--help": stdout.WriteLine(Help); return 0;
                case "--url": url = Next(); break;
                case "--token": token = Next(); break;
                case "--ca-file": caFile = Next(); break;
                case "--data-dir": dataDir = Next(); break;
                case "--force": force = true; break;
                default:
                    stderr.WriteLine($"hft promote: unknown argument '{a}'");
                    return 2;
            }
        }
        if ((url is null) == (dataDir is null))
        {
            stderr.WriteLine(Help);
            return 2;
        }
        return url is not null ? Online(url, token, caFile, force, stdout, stderr) : Offline(dataDir!, stdout, stderr);
    }

    private static int Online(string url, string? token, string? caFile, bool force, TextWriter stdout, TextWriter stderr)
    {
        token ??= Environment.GetEnvironmentVariable("HFT_TOKEN");
        if (string.IsNullOrEmpty(token))
        {
            stderr.WriteLine("hft promote: --url needs the ops token or an admin token (--token or HFT_TOKEN)");
            return 2;
        }
        using var api = ServerClient.Open("promote", url, token, caFile, TimeSpan.FromSeconds(60), stderr, out int exit);
        if (api is null) return exit;
        if (ServerClient.Ask("promote", url, api.PromoteDrAsync(force), "", "the replica refused", stderr) is not { } reply) return 1;
        try
        {
            var r = reply.Body;
            stdout.WriteLine($"hft promote: {url} {(r.GetProperty("alreadyPromoted").GetBoolean() ? "was already promoted" : "promoted")}: "
                + $"a venue of its own from journal seq {r.GetProperty("journalSequence").GetInt64()} "
                + $"(its source had reported seq {r.GetProperty("sourceSequence").GetInt64()}); order entry on");
            return 0;
        }
        // not the expected JSON (InvalidOperationException: no JSON body at all)
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            stderr.WriteLine($"hft promote: could not ask {url}: {e.Message}");
            return 1;
        }
    }

    private static int Offline(string dataDir, TextWriter stdout, TextWriter stderr)
    {
        if (!Directory.Exists(dataDir))
        {
            stderr.WriteLine($"hft promote: no directory '{dataDir}'");
            return 2;
        }
        try
        {
            using var held = DataDirectoryLock.Acquire(dataDir, "data directory");
            if (DrPromotion.Read(dataDir) is { } earlier)
            {
                stdout.WriteLine($"hft promote: {dataDir} was already promoted at {earlier.PromotedAt:u} (journal seq {earlier.LastSequence})");
                return 0;
            }
            // Only the newest segment is read (every earlier one is covered by the next one's first sequence).
            var last = JournalReader.Read(dataDir, long.MaxValue - 1, repair: false, static (in JournalRecord _) => { });
            var record = new DrPromotion.Record(DateTimeOffset.UtcNow, last.LastRecordSequence, last.LastRecordSequence, null, $"hft promote --data-dir by {Environment.UserName}");
            DrPromotion.Write(dataDir, record);
            stdout.WriteLine($"hft promote: {dataDir} promoted: the node started on it is a venue of its own from journal seq {record.LastSequence}; "
                + "remove [dr] from its configuration");
            return 0;
        }
        catch (DataDirectoryLockException e)
        {
            stderr.WriteLine($"hft promote: {e.Message}{(e.Held ? "; promote a running replica with --url" : "")}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or JournalCorruptException)
        {
            stderr.WriteLine($"hft promote: {e.Message}");
            return 1;
        }
    }
}
