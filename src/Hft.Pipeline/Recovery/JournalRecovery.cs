using System.Diagnostics;
using Hft.Core.Matching;
using Hft.Journal;
using Hft.Pipeline.Admin;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;

namespace Hft.Pipeline.Recovery;

/// <summary>What start-up recovery found and did (logged, and exported as metrics).</summary>
public sealed record RecoveryReport(long SnapshotSequence, long RecordsReplayed, long LastSequence, TimeSpan Elapsed,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Fingerprints (sequence, CRC) of the last records replayed, for the journal's divergence check in replicated mode.</summary>
    internal IReadOnlyList<(long Sequence, uint Crc)> Fingerprints { get; init; } = [];

    /// <summary>The highest order id recovered (snapshot or journal): new ids continue after it.</summary>
    public long HighestOrderId { get; init; }

    public static RecoveryReport Nothing { get; } = new(0, 0, 0, TimeSpan.Zero, []);

    public override string ToString()
        => $"snapshot seq {SnapshotSequence}, {RecordsReplayed:N0} journal records replayed up to seq {LastSequence} in {Elapsed.TotalMilliseconds:N0} ms"
            + (Warnings.Count > 0 ? $"; {Warnings.Count} warning(s): {string.Join("; ", Warnings)}" : "");
}

/// <summary>
/// Rebuilds the pipeline's state before the shard threads start: the newest valid snapshot (newer corrupt ones are
/// skipped with a warning) is restored, then every journal record after it is applied as it was decided through the
/// shards' <see cref="CommandStep"/> (no risk check: its verdict is in the record), every operator record through
/// <see cref="AdminStep"/>, in journal order. Torn tails are truncated with a warning; corruption stops start-up
/// (<see cref="JournalCorruptException"/>) unless repair was asked for. A snapshot newer than the journal is fine when
/// the journal is empty or starts right after it (segments pruned); a journal that ends before the snapshot's sequence,
/// or starts after a gap, has lost records: corruption.
/// </summary>
public static class JournalRecovery
{
    /// <param name="stateKeepers">Who keeps client-visible state (order directory, trade tape); metrics are not fed.</param>
    public static RecoveryReport Run(string dir, bool repair, ReferenceData reference, ShardSet shards, OrderDirectory? directory,
        IPipelineObserver[] stateKeepers)
    {
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var load = SnapshotStore.LoadNewest(dir);
        warnings.AddRange(load.Warnings);
        long snapSeq = 0, maxOrderId = 0;
        string snapName = load.Path is null ? "" : Path.GetFileName(load.Path);
        if (load.Snapshot is { } snap)
        {
            Snapshots.Restore(snap, snapName, reference, shards, directory);
            maxOrderId = snap.NextOrderId;
            snapSeq = snap.Sequence;
            var segments = JournalReader.Segments(dir);
            if (segments.Count > 0 && segments[0].FirstSequence > snapSeq + 1)
            {
                string gap = $"snapshot {snapName} covers the journal up to sequence {snapSeq} but the journal starts at sequence "
                    + $"{segments[0].FirstSequence}: records {snapSeq + 1}..{segments[0].FirstSequence - 1} are missing";
                if (!repair) throw new JournalCorruptException(segments[0].Path, 0, gap);
                warnings.Add($"repair: {gap}; continuing without them");
            }
        }
        else
        {
            var segments = JournalReader.Segments(dir);
            if (segments.Count > 0 && segments[0].FirstSequence > 1)
            {
                string gap = $"no usable snapshot, but the journal starts at sequence {segments[0].FirstSequence}: records 1..{segments[0].FirstSequence - 1} "
                    + "are missing (pruned segments need the snapshot that covered them)";
                if (!repair) throw new JournalCorruptException(segments[0].Path, 0, gap);
                warnings.Add($"repair: {gap}; continuing without them");
            }
        }
        var fingerprints = new Queue<(long, uint)>();
        var result = JournalReader.Read(dir, afterSequence: snapSeq, repair, (in JournalRecord r) =>
        {
            fingerprints.Enqueue((r.Sequence, r.Crc));
            if (fingerprints.Count > 65_536) fingerprints.Dequeue();
            if (!ApplyRecord(in r, reference, shards, directory, stateKeepers, ref maxOrderId))
                throw new JournalCorruptException(dir, r.Sequence, r.Type == RecordType.Admin ? "unreadable admin record" : "unreadable command record");
        });
        warnings.AddRange(result.Warnings);
        if (load.Snapshot is not null && result.LastRecordSequence > 0 && result.LastRecordSequence < snapSeq)
        {
            string behind = $"snapshot {snapName} covers the journal up to sequence {snapSeq} but the journal ends at sequence "
                + $"{result.LastRecordSequence}: records {result.LastRecordSequence + 1}..{snapSeq} are missing from the journal";
            var segments = JournalReader.Segments(dir);
            if (!repair) throw new JournalCorruptException(segments.Count > 0 ? segments[^1].Path : dir, 0, behind);
            foreach (var (path, _) in segments) File.Move(path, path + ".corrupt", overwrite: true);
            warnings.Add($"repair: {behind}; its {segments.Count} segment(s) (all covered by the snapshot) moved aside as .corrupt");
        }
        return new RecoveryReport(snapSeq, result.RecordsDelivered, Math.Max(snapSeq, result.LastSequence), clock.Elapsed, warnings)
        {
            Fingerprints = fingerprints.ToArray(),
            HighestOrderId = maxOrderId,
        };
    }

    /// <summary>
    /// Applies one journal record as it was decided, here on the calling thread: an operator record through
    /// <see cref="AdminStep"/>, a command through its shard's <see cref="CommandStep"/> (a mass cancel of every
    /// instrument was journaled once per shard; cancelling is idempotent, so it is applied to every shard). False when
    /// the record cannot be read.
    /// </summary>
    internal static bool ApplyRecord(in JournalRecord r, ReferenceData reference, ShardSet shards, OrderDirectory? directory,
        IPipelineObserver[] stateKeepers, ref long maxOrderId)
    {
        if (r.Type == RecordType.Admin)
        {
            if (!AdminRecord.TryRead(r.Payload, out var admin)) return false;
            AdminStep.Apply(reference.RiskBook, in admin);
            return true;
        }
        if (!CommandCodec.TryRead(r.Payload, out var cmd, out _, out var clientOrderId)) return false;
        if (cmd.Op == CommandOp.New)
        {
            maxOrderId = Math.Max(maxOrderId, cmd.OrderId);
            directory?.RegisterJournaled(in cmd, clientOrderId, r.TimestampMicros);
        }
        if (!shards.EveryShard(cmd.Instrument)) Apply(shards.Of(cmd.Instrument), in cmd, r.Sequence, stateKeepers);
        else
            foreach (var shard in shards.All) Apply(shard, in cmd, r.Sequence, stateKeepers);
        return true;
    }

    private static void Apply(MatchingShard shard, in OrderCommand cmd, long sequence, IPipelineObserver[] observers)
    {
        var events = shard.Step.ApplyDecided(in cmd);
        var ts = default(StageTimestamps);
        foreach (var observer in observers) observer.OnProcessed(shard.Index, in cmd, events, sequence, in ts);
    }
}
