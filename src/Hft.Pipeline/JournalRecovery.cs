using System.Diagnostics;
using Hft.Core.Matching;
using Hft.Journal;

namespace Hft.Pipeline;

/// <summary>What start-up recovery found and did (logged, and exported as metrics).</summary>
public sealed record RecoveryReport(long SnapshotSequence, long RecordsReplayed, long LastSequence, TimeSpan Elapsed,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Fingerprints (sequence, CRC) of the last records replayed, for the journal's divergence check in replicated mode.</summary>
    internal IReadOnlyList<(long Sequence, uint Crc)> Fingerprints { get; init; } = [];

    public static RecoveryReport Nothing { get; } = new(0, 0, 0, TimeSpan.Zero, []);

    public override string ToString()
        => $"snapshot seq {SnapshotSequence}, {RecordsReplayed:N0} journal records replayed up to seq {LastSequence} in {Elapsed.TotalMilliseconds:N0} ms"
            + (Warnings.Count > 0 ? $"; {Warnings.Count} warning(s): {string.Join("; ", Warnings)}" : "");
}

/// <summary>
/// Rebuilds the pipeline's state before the shard threads start: the newest valid snapshot (newer corrupt ones are
/// skipped with a warning) is restored, then every journal record after it is re-applied as it was decided (no risk
/// check: its verdict is in the record), every operator change re-applied, in journal order. Torn tails are truncated
/// with a warning; corruption stops start-up (<see cref="JournalCorruptException"/>) unless repair was asked for.
/// A snapshot newer than the journal is fine when the journal is empty or starts right after it (segments pruned);
/// a journal that ends before the snapshot's sequence, or starts after a gap, has lost records: corruption.
/// </summary>
public static class JournalRecovery
{
    public static RecoveryReport Run(TradingPipeline pipeline, string dir, bool repair, IReadOnlyList<IPipelineObserver> observers)
    {
        var directory = observers.OfType<OrderDirectory>().FirstOrDefault();
        IPipelineObserver[] stateKeepers = observers.Where(o => o is OrderDirectory or TradeTape).ToArray();
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var load = SnapshotStore.LoadNewest(dir);
        warnings.AddRange(load.Warnings);
        long snapSeq = 0;
        string snapName = load.Path is null ? "" : Path.GetFileName(load.Path);
        if (load.Snapshot is { } snap)
        {
            pipeline.RestoreSnapshot(snap, snapName, directory);
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
        long maxOrderId = 0;
        var fingerprints = new Queue<(long, uint)>();
        var result = JournalReader.Read(dir, afterSequence: snapSeq, repair, (in JournalRecord r) =>
        {
            fingerprints.Enqueue((r.Sequence, r.Crc));
            if (fingerprints.Count > 65_536) fingerprints.Dequeue();
            if (r.Type == RecordType.Admin)
            {
                if (!AdminRecord.TryRead(r.Payload, out var admin)) throw new JournalCorruptException(dir, r.Sequence, "unreadable admin record");
                pipeline.ApplyRecovered(in admin);
                return;
            }
            if (!CommandCodec.TryRead(r.Payload, out var cmd, out _, out var clientOrderId))
                throw new JournalCorruptException(dir, r.Sequence, "unreadable command record");
            if (cmd.Op == CommandOp.New)
            {
                maxOrderId = Math.Max(maxOrderId, cmd.OrderId);
                directory?.RegisterJournaled(in cmd, clientOrderId, r.TimestampMicros);
            }
            if (cmd.Instrument >= 0 && cmd.Instrument < pipeline.Instruments.Count)
            {
                pipeline.ShardOf(cmd.Instrument).Replay(in cmd, stateKeepers);
            }
            else
            {
                // A mass cancel of every instrument was journaled once per shard; cancelling is idempotent, so
                // applying each record to every shard gives the same state whatever the shard count is now.
                foreach (var shard in pipeline.Shards) shard.Replay(in cmd, stateKeepers);
            }
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
        pipeline.AdvanceOrderIds(maxOrderId);
        return new RecoveryReport(snapSeq, result.RecordsDelivered, Math.Max(snapSeq, result.LastSequence), clock.Elapsed, warnings)
        {
            Fingerprints = fingerprints.ToArray(),
        };
    }
}
