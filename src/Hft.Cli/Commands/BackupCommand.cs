using System.Diagnostics;
using Hft.Configuration;
using Hft.Journal;

namespace Hft.Cli.Commands;

/// <summary>
/// <c>hft backup --out FILE.tar.gz [--url URL --token T [--ca-file CA.pem] | --data DIR]</c>: a consistent backup (newest snapshot + the
/// journal segments after it + manifest); online through a running server's admin snapshot endpoint, or offline from a
/// data directory no server holds (its <see cref="DataDirectoryLock"/> is taken meanwhile; exit 2 while a server holds
/// it). <c>hft backup --verify FILE</c> checks one (exit 0 valid, 1 not).
/// </summary>
public static class BackupCommand
{
    private const string Help = """
        usage: hft backup --out FILE.tar.gz [--url URL] [--token TOKEN] [--ca-file CA.pem] [--data DIR] [--profile NAME]
               hft backup --verify FILE.tar.gz

        Online (--url, e.g. http://127.0.0.1:8080): asks the running server for a fresh snapshot
        (POST /api/v1/admin/snapshot, admin token from --token or HFT_TOKEN) without stopping trading, then packs the
        newest snapshot and every journal segment after it from its journal directory (--data, else the directory the
        server reports). Offline (no --url): packs --data DIR (else the profile's [journal] dir) as it is, holding the
        directory's lock meanwhile; refused (exit 2) while a server runs on it.
        The archive holds manifest.json (creation time, snapshot sequence, SHA-256 of every file).
          --ca-file PATH  an https --url (e.g. https://127.0.0.1:8000 with [tls] http on): the server's certificate must
                          chain to these PEM authorities (e.g. /app/tls/ca.crt) and name the host of the URL
          --verify FILE   check the manifest hashes, the snapshot CRC and every journal record's CRC; exit 0 or 1
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        string? output = null, url = null, token = null, caFile = null, data = null, verify = null;
        var profileArgs = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (a)
            {
                case "-h" or "--help": stdout.WriteLine(Help); return 0;
                case "--out": output = Next(); break;
                case "--url": url = Next(); break;
                case "--token": token = Next(); break;
                case "--ca-file": caFile = Next(); break;
                case "--data": data = Next(); break;
                case "--verify": verify = Next(); break;
                case "--profile": profileArgs.Add(a); profileArgs.Add(Next() ?? ""); break;
                default:
                    stderr.WriteLine($"hft backup: unknown argument '{a}'");
                    return 2;
            }
        }
        if (verify is not null) return Verify(verify, stdout, stderr);
        if (output is null)
        {
            stderr.WriteLine(Help);
            return 2;
        }
        var clock = Stopwatch.StartNew();
        if (url is not null)
        {
            token ??= Environment.GetEnvironmentVariable("HFT_TOKEN");
            if (string.IsNullOrEmpty(token))
            {
                stderr.WriteLine("hft backup: --url needs an admin token (--token or HFT_TOKEN; mint one with 'hft token --account ADMIN --role admin')");
                return 2;
            }
            using var api = ServerClient.Open("backup", url, token, caFile, TimeSpan.FromSeconds(120), stderr, out int exit);
            if (api is null) return exit;
            if (ServerClient.Ask("backup", url, api.SnapshotAsync(), " for a snapshot", "the server refused the snapshot", stderr) is not { } reply)
                return 1;
            try
            {
                data ??= reply.Body.GetProperty("dir").GetString();
                stderr.WriteLine($"hft backup: server snapshot at seq {reply.Body.GetProperty("sequence").GetInt64()} ({reply.Body.GetProperty("file").GetString()})");
            }
            // not the expected JSON (InvalidOperationException: no JSON body at all)
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                stderr.WriteLine($"hft backup: could not ask {url} for a snapshot: {e.Message}");
                return 1;
            }
        }
        if (data is null)
        {
            if (!ProfileConfig.TryLoad(profileArgs, stderr, out var config)) return ConfigException.ExitCode;
            data = config.Journal.Dir;
        }
        DataDirectoryLock? offline = null;
        try
        {
            // Offline means no server on the directory: held for the backup's duration, refused while a server holds it.
            if (url is null && Directory.Exists(data)) offline = DataDirectoryLock.Acquire(data, "data directory");
        }
        catch (DataDirectoryLockException e)
        {
            stderr.WriteLine($"hft backup: {e.Message}{(e.Held ? "; an offline backup (--data) needs the server stopped - back up a running server online with --url" : "")}");
            return 2;
        }
        try
        {
            var manifest = JournalBackup.Create(data, output);
            long bytes = new FileInfo(output).Length;
            stdout.WriteLine($"hft backup: {output}: snapshot seq {manifest.SnapshotSequence}, journal up to seq {manifest.LastSequence}, "
                + $"{manifest.Files.Count} file(s), {bytes:N0} bytes compressed, in {clock.Elapsed.TotalMilliseconds:N0} ms");
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"hft backup: {e.Message}");
            return 1;
        }
        finally
        {
            offline?.Dispose();
        }
    }

    private static int Verify(string file, TextWriter stdout, TextWriter stderr)
    {
        if (!File.Exists(file))
        {
            stderr.WriteLine($"hft backup: no file '{file}'");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var result = JournalBackup.Verify(file);
        (result.Ok ? stdout : stderr).WriteLine($"hft backup --verify {file}: {result} ({clock.Elapsed.TotalMilliseconds:N0} ms)");
        return result.Ok ? 0 : 1;
    }
}
