using System.Text.Json;

namespace Hft.Pipeline.Replication;

/// <summary>
/// The record that a disaster-recovery replica was promoted: <c>dr-promoted.json</c> in its journal directory, written
/// (and fsynced) before order entry is switched on. A node whose journal directory holds it never follows a source
/// again, whatever [dr] says: its journal now goes on with records of its own, which the old group's do not contain.
/// Written by the promote endpoint of a running replica, or by <c>hft promote --data-dir</c> on a stopped one.
/// </summary>
public static class DrPromotion
{
    public const string FileName = "dr-promoted.json";

    /// <summary>When, at which journal record, how far the source had reported, from which source, and by whom.</summary>
    public sealed record Record(DateTimeOffset PromotedAt, long LastSequence, long SourceSequence, string? Source, string By);

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The promotion recorded in <paramref name="journalDir"/>, or null when it was never promoted.</summary>
    /// <exception cref="InvalidDataException">The file is there but unreadable: refuse to guess either way.</exception>
    public static Record? Read(string journalDir)
    {
        string path = Path.Combine(journalDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<Record>(File.ReadAllText(path), s_json) ?? throw new InvalidDataException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is unreadable ({e.Message}): fix or remove it by hand", e);
        }
    }

    /// <summary>Writes the record durably (a temporary file fsynced, renamed into place, the directory fsynced).</summary>
    public static void Write(string journalDir, Record record)
    {
        Directory.CreateDirectory(journalDir);
        string path = Path.Combine(journalDir, FileName), temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, record, s_json);
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        Hft.Journal.SnapshotStore.FsyncDirectory(journalDir);
    }
}
