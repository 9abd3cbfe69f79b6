using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hft.Journal;

/// <summary>One file of a backup as its manifest lists it.</summary>
public sealed record BackupFile(string Name, string Kind, long Bytes, string Sha256);

/// <summary><c>manifest.json</c> of a backup archive: what it holds and the SHA-256 of every file.</summary>
public sealed record BackupManifest(string Format, int Version, DateTimeOffset Created, long SnapshotSequence, long LastSequence,
    IReadOnlyList<BackupFile> Files)
{
    public const string FileName = "manifest.json";
    public const string FormatName = "hft-backup";
    public const int CurrentVersion = 1;
}

/// <summary>What checking a backup found.</summary>
public sealed record BackupVerification(bool Ok, IReadOnlyList<string> Problems, long SnapshotSequence, long FirstSequence, long LastSequence,
    int Segments, long Records, long Bytes)
{
    public override string ToString()
        => (Ok ? "OK" : "FAILED") + $": snapshot seq {SnapshotSequence}, {Segments} segment(s), {Records:N0} journal record(s) "
            + (Records > 0 ? $"seq {FirstSequence}..{LastSequence}, " : "") + $"{Bytes:N0} bytes"
            + (Problems.Count > 0 ? "; " + string.Join("; ", Problems) : "");
}

/// <summary>
/// Backup archives (<c>.tar.gz</c>): the newest valid snapshot of a data directory, every journal segment that holds
/// records after it (a <see cref="ConsistentCopy"/>, so it may be taken while the server runs), and a manifest.
/// Verification checks the manifest's hashes, the snapshot's CRC, every record's CRC and that the sequences continue
/// from the snapshot without a gap. Restore holds the directory's lock and refuses a non-empty directory unless forced.
/// </summary>
public static class JournalBackup
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// Packs a <see cref="ConsistentCopy"/> of <paramref name="dataDir"/> into <paramref name="outFile"/> (written to a
    /// temporary name, then renamed).
    /// </summary>
    public static BackupManifest Create(string dataDir, string outFile)
    {
        if (!Directory.Exists(dataDir)) throw new DirectoryNotFoundException($"no data directory '{dataDir}'");
        var files = new List<BackupFile>();
        string temp = outFile + ".tmp";
        using (var fs = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            using (var gz = new GZipStream(fs, CompressionLevel.Fastest, leaveOpen: true))
            using (var tar = new TarWriter(gz, TarEntryFormat.Pax, leaveOpen: true))
            {
                var (snapSeq, last) = ConsistentCopy.Read(dataDir, f => Add(tar, files, f.Name, f.Kind, f.Data));
                var manifest = new BackupManifest(BackupManifest.FormatName, BackupManifest.CurrentVersion, DateTimeOffset.UtcNow, snapSeq, last, files);
                var entry = new PaxTarEntry(TarEntryType.RegularFile, BackupManifest.FileName)
                {
                    DataStream = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(manifest, s_json)),
                };
                tar.WriteEntry(entry);
            }
            fs.Flush(flushToDisk: true);
        }
        File.Move(temp, outFile, overwrite: true);
        return ReadManifest(outFile) ?? throw new InvalidDataException("backup written without a manifest");
    }

    private static void Add(TarWriter tar, List<BackupFile> files, string name, string kind, byte[] data)
    {
        files.Add(new BackupFile(name, kind, data.Length, Convert.ToHexStringLower(SHA256.HashData(data))));
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data, writable: false) });
    }

    private static BackupManifest? ReadManifest(string file)
    {
        using var fs = File.OpenRead(file);
        using var gz = new GZipStream(fs, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } e)
            if (e.Name == BackupManifest.FileName && e.DataStream is { } ds) return JsonSerializer.Deserialize<BackupManifest>(ds, s_json);
        return null;
    }

    /// <summary>
    /// .NET's GZipStream does not check the gzip trailer (CRC32 and length of the uncompressed data), so a flipped bit
    /// that still inflates - into tar padding, say - would go unnoticed. Checked here for the whole (single-member) file.
    /// </summary>
    private static string? GzipTrailerProblem(string file)
    {
        try
        {
            using var fs = File.OpenRead(file);
            if (fs.Length < 18) return "archive too short for gzip";
            var crc = new System.IO.Hashing.Crc32();
            long length = 0;
            using (var gz = new GZipStream(fs, CompressionMode.Decompress, leaveOpen: true))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = gz.Read(buffer, 0, buffer.Length)) > 0)
                {
                    crc.Append(buffer.AsSpan(0, n));
                    length += n;
                }
            }
            Span<byte> trailer = stackalloc byte[8];
            fs.Seek(-8, SeekOrigin.End);
            fs.ReadExactly(trailer);
            uint expectedCrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            uint expectedSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
            if (crc.GetCurrentHashAsUInt32() != expectedCrc) return "gzip trailer: CRC32 of the uncompressed data does not match (archive corrupt)";
            if ((uint)length != expectedSize) return "gzip trailer: uncompressed length does not match (archive corrupt)";
            return null;
        }
        catch (Exception x) when (x is InvalidDataException or IOException)
        {
            return $"gzip: {x.Message}";
        }
    }

    /// <summary>Checks a backup archive; with <paramref name="extractTo"/> also writes its files there (only when all checks pass they are kept).</summary>
    public static BackupVerification Verify(string file, string? extractTo = null)
    {
        var problems = new List<string>();
        if (GzipTrailerProblem(file) is { } gzipProblem) problems.Add(gzipProblem);
        var hashes = new Dictionary<string, (long Bytes, string Sha)>(StringComparer.Ordinal);
        BackupManifest? manifest = null;
        long snapSeq = -1, bytes = 0, records = 0;
        var segs = new List<(string Name, long First, long Last, long Records)>();
        try
        {
            using var fs = File.OpenRead(file);
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } e)
            {
                if (e.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) { problems.Add($"{e.Name}: not a regular file"); continue; }
                string name = e.Name;
                if (name != Path.GetFileName(name) || name.Length == 0) { problems.Add($"{name}: path not allowed in a backup"); continue; }
                var ms = new MemoryStream();
                e.DataStream?.CopyTo(ms);
                byte[] data = ms.ToArray();
                bytes += data.Length;
                if (name == BackupManifest.FileName)
                {
                    try { manifest = JsonSerializer.Deserialize<BackupManifest>(data, s_json); }
                    catch (JsonException x) { problems.Add($"manifest unreadable: {x.Message}"); }
                    continue;
                }
                hashes[name] = (data.Length, Convert.ToHexStringLower(SHA256.HashData(data)));
                if (SnapshotFormat.TryParseFileName(name, out long seq))
                {
                    try
                    {
                        var snap = SnapshotFormat.Decode(data, name);
                        if (snap.Sequence != seq) problems.Add($"{name}: header says sequence {snap.Sequence}");
                        snapSeq = snap.Sequence;
                    }
                    catch (SnapshotCorruptException x) { problems.Add(x.Message); }
                }
                else if (JournalFormat.TryParseSegmentName(name, out long first))
                {
                    string? problem = JournalReader.ScanSegment(data, out _, out long headerFirst, out long segLast, out long n);
                    if (problem is not null) problems.Add($"{name}: {problem}");
                    else if (headerFirst != first) problems.Add($"{name}: header says first sequence {headerFirst}");
                    else segs.Add((name, first, segLast, n));
                    records += n;
                }
                else
                {
                    problems.Add($"{name}: not a snapshot or journal segment");
                    continue;
                }
                if (extractTo is not null)
                {
                    Directory.CreateDirectory(extractTo);
                    using var f = new FileStream(Path.Combine(extractTo, name), FileMode.Create, FileAccess.Write);
                    f.Write(data);
                    f.Flush(flushToDisk: true);
                }
            }
        }
        catch (Exception x) when (x is InvalidDataException or IOException or FormatException)
        {
            problems.Add($"archive unreadable: {x.Message}");
        }
        if (manifest is null) problems.Add("no manifest.json");
        else
        {
            if (manifest.Format != BackupManifest.FormatName || manifest.Version != BackupManifest.CurrentVersion)
                problems.Add($"manifest format {manifest.Format} v{manifest.Version} unknown");
            foreach (var f in manifest.Files)
            {
                if (!hashes.TryGetValue(f.Name, out var h)) problems.Add($"{f.Name}: listed in the manifest but missing");
                else if (h.Sha != f.Sha256 || h.Bytes != f.Bytes) problems.Add($"{f.Name}: SHA-256 mismatch (the file was altered)");
            }
            foreach (var name in hashes.Keys)
                if (!manifest.Files.Any(f => f.Name == name)) problems.Add($"{name}: not listed in the manifest");
            if (snapSeq >= 0 && manifest.SnapshotSequence != snapSeq) problems.Add($"manifest says snapshot seq {manifest.SnapshotSequence}, archive holds {snapSeq}");
        }
        segs.Sort((a, b) => a.First.CompareTo(b.First));
        long expected = snapSeq >= 0 ? snapSeq + 1 : 1;
        long firstSeq = 0, lastSeq = Math.Max(snapSeq, 0);
        for (int k = 0; k < segs.Count; k++)
        {
            var s = segs[k];
            if (k == 0 ? s.First > expected : s.First != expected)
                problems.Add($"{s.Name}: starts at sequence {s.First} where {expected} was expected (records missing)");
            if (k == 0) firstSeq = s.First;
            if (s.Records > 0) lastSeq = Math.Max(lastSeq, s.Last);
            expected = s.Last + 1;
        }
        return new BackupVerification(problems.Count == 0, problems, Math.Max(snapSeq, 0), firstSeq, lastSeq, segs.Count, records, bytes);
    }

    /// <summary>True when the directory does not exist or holds no file or directory but the lock's (<see cref="DataDirectoryLock"/>).</summary>
    public static bool IsEmptyDirectory(string dir)
        => !Directory.Exists(dir) || Directory.EnumerateFileSystemEntries(dir).All(e => DataDirectoryLock.IsLockFile(Path.GetFileName(e)) && File.Exists(e));

    /// <summary>
    /// Restores a backup into <paramref name="dataDir"/>, holding the directory's <see cref="DataDirectoryLock"/> for
    /// the whole time: refused (<see cref="DataDirectoryLockException"/>) while a server or another restore has it.
    /// Refuses (InvalidOperationException) a non-empty directory unless <paramref name="force"/>, in which case its
    /// snapshots and journal segments are deleted first. The archive is verified into a staging directory first;
    /// nothing is touched when it does not check out (a directory that did not exist is not created).
    /// </summary>
    public static BackupVerification Restore(string file, string dataDir, bool force)
    {
        string full = DataDirectoryLock.FullPath(dataDir);
        using var held = Directory.Exists(full) ? DataDirectoryLock.Acquire(full, "data directory") : null;
        RefuseNonEmpty(full, force);
        string staging = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".hft-restore-{Guid.NewGuid():N}");
        try
        {
            var result = Verify(file, staging);
            if (!result.Ok) return result;
            using var created = held is null ? DataDirectoryLock.Acquire(full, "data directory") : null;
            if (created is not null) RefuseNonEmpty(full, force); // filled by someone else while the archive was verified
            foreach (var old in Directory.EnumerateFiles(full))
            {
                string n = Path.GetFileName(old);
                if (n.StartsWith(SnapshotFormat.Prefix, StringComparison.Ordinal) || n.StartsWith(JournalFormat.SegmentPrefix, StringComparison.Ordinal))
                    File.Delete(old);
            }
            if (Directory.Exists(staging))
                foreach (var f in Directory.EnumerateFiles(staging)) File.Move(f, Path.Combine(full, Path.GetFileName(f)), overwrite: true);
            SnapshotStore.FsyncDirectory(full);
            return result;
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void RefuseNonEmpty(string dataDir, bool force)
    {
        if (!IsEmptyDirectory(dataDir) && !force)
            throw new InvalidOperationException($"data directory '{dataDir}' is not empty; refusing to overwrite it (use --force)");
    }
}
