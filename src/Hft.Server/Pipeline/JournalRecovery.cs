using System.Diagnostics;
using Hft.Core.Matching;
using Hft.Journal;

namespace Hft.Server.Pipeline;

/// <summary>What start-up recovery found and did (logged, and exported as metrics).</summary>
public sealed record RecoveryReport(long SnapshotSequence, long RecordsReplayed, long LastSequence, TimeSpan Elapsed,
    IReadOnlyList<string> Warnings)
{
    public static RecoveryReport Nothing { get; } = new(0, 0, 0, TimeSpan.Zero, []);

    public override string ToString()
        => $"snapshot seq {SnapshotSequence}, {RecordsReplayed:N0} journal records replayed up to seq {LastSequence} in {Elapsed.TotalMilliseconds:N0} ms"
            + (Warnings.Count > 0 ? $"; {Warnings.Count} warning(s): {string.Join("; ", Warnings)}" : "");
}

/// <summary>
/// Rebuilds the pipeline's state from the journal before the shard threads start: every command is re-applied as it
/// was decided (no risk check: its verdict is in the record), every operator change re-applied, in journal order.
/// Torn tails are truncated with a warning; corruption stops start-up (<see cref="JournalCorruptException"/>) unless
/// repair was asked for.
/// </summary>
public static class JournalRecovery
{
    public static RecoveryReport Run(TradingPipeline pipeline, string dir, bool repair, IReadOnlyList<IPipelineObserver> observers)
    {
        var directory = observers.OfType<OrderDirectory>().FirstOrDefault();
        IPipelineObserver[] stateKeepers = observers.Where(o => o is OrderDirectory or TradeTape).ToArray();
        var clock = Stopwatch.StartNew();
        long maxOrderId = 0;
        var result = JournalReader.Read(dir, afterSequence: 0, repair, (in JournalRecord r) =>
        {
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
                directory?.TryRegister(new OrderRecord
                {
                    Id = cmd.OrderId, Account = cmd.Account, ClientOrderId = clientOrderId, Instrument = cmd.Instrument,
                    Side = cmd.Side, Type = cmd.Type, Tif = cmd.Tif, PostOnly = cmd.PostOnly, Stp = cmd.Stp,
                    CreatedAt = DateTimeOffset.UnixEpoch.AddTicks(r.TimestampMicros * 10),
                    Price = cmd.Type == Hft.Core.Orders.OrderType.Limit ? cmd.Price : 0, Quantity = cmd.Quantity,
                    Remaining = cmd.Quantity, Status = OrderStatus.Pending,
                });
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
        pipeline.AdvanceOrderIds(maxOrderId);
        return new RecoveryReport(0, result.RecordsDelivered, result.LastSequence, clock.Elapsed, result.Warnings);
    }
}
