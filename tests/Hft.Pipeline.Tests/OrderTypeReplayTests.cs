using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Journal;
using Hft.Pipeline.Shards;

namespace Hft.Pipeline.Tests;

/// <summary>
/// Stops, icebergs and good-till-date orders replay exactly: the commands as decided go through the journal's record
/// codec and are applied on a second step (a recovered node, a follower); both states hash alike, expiry included.
/// A third step starts from a snapshot of the follower taken halfway (through the snapshot file format, with pending
/// stops, icebergs and good-till-date orders live) and replays only the journal tail: it ends in the same state.
/// </summary>
public sealed class OrderTypeReplayTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Replaying_journaled_stops_icebergs_and_expiries_gives_the_same_state(int seed)
    {
        var (leader, instruments, names) = CommandStepTests.NewStep();
        var (follower, _, _) = CommandStepTests.NewStep();
        CommandStep? recovered = null;
        var rng = new Random(seed);
        var live = new List<(long Id, int Account)>();
        var record = new byte[CommandCodec.MaxSize];
        long clock = 1_000;
        var seen = new HashSet<EventKind>();
        for (long id = 1; id <= 4000; id++)
        {
            if (id >= 1500 && recovered is null) recovered = FromSnapshotOf(follower, instruments, names, id);
            int account = 1 + rng.Next(3);
            var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
            long near = 5_000_000 + rng.Next(-300, 300);
            OrderCommand cmd;
            switch (rng.Next(12))
            {
                case < 4:
                    cmd = OrderCommand.NewLimit(id, account, 0, side, near, 1 + rng.Next(3000));
                    if (rng.Next(3) == 0) cmd.DisplayQuantity = 1 + rng.Next(100) * 30 is var d && d <= cmd.Quantity ? d : cmd.Quantity;
                    break;
                case 4:
                    cmd = OrderCommand.NewLimit(id, account, 0, side, near, 1 + rng.Next(3000), TimeInForce.Gtd);
                    cmd.ExpireTime = clock + rng.Next(1, 50);
                    break;
                case 5:
                case 6:
                {
                    var type = (OrderType)rng.Next(3, 7);
                    long trigger = 5_000_000 + rng.Next(-200, 200);
                    cmd = OrderCommand.NewTriggered(id, account, 0, side, type, trigger, trigger + (side == Side.Buy ? 50 : -50), 1 + rng.Next(2000));
                    break;
                }
                case 7:
                    cmd = OrderCommand.NewMarket(id, account, 0, side, 1 + rng.Next(4000));
                    break;
                case 8 when live.Count > 0:
                    var (target, owner) = live[rng.Next(live.Count)];
                    cmd = OrderCommand.Cancel(target, owner, 0);
                    break;
                case 9 when live.Count > 0:
                    var (replaced, holder) = live[rng.Next(live.Count)];
                    cmd = OrderCommand.Replace(replaced, holder, 0, near, 1 + rng.Next(3000));
                    break;
                default:
                    cmd = OrderCommand.Expire(clock += rng.Next(1, 10));
                    break;
            }
            if (cmd.Op == CommandOp.New) live.Add((cmd.OrderId, account));
            var decided = cmd;
            bool changes = false;
            foreach (var e in leader.Decide(ref decided))
            {
                changes |= e.Kind != EventKind.Rejected;
                seen.Add(e.Kind);
            }
            if (!changes) continue;
            int length = CommandCodec.Write(record, in decided, 0, null);
            Assert.True(CommandCodec.TryRead(record.AsSpan(0, length), out var journaled, out _, out _));
            follower.ApplyDecided(in journaled);
            recovered?.ApplyDecided(in journaled);
        }
        Assert.Superset(new HashSet<EventKind> { EventKind.Triggered, EventKind.Refreshed, EventKind.Trade, EventKind.Canceled }, seen);
        Assert.Equal(CommandStepTests.Hash(leader, instruments, names), CommandStepTests.Hash(follower, instruments, names));
        Assert.NotNull(recovered);
        Assert.Equal(CommandStepTests.Hash(leader, instruments, names), CommandStepTests.Hash(recovered, instruments, names));
    }

    /// <summary>
    /// A fresh step restored from a snapshot of <paramref name="source"/> written and read as a file's bytes; null while
    /// the source does not hold a pending stop, an iceberg and a good-till-date order at once.
    /// </summary>
    private static CommandStep? FromSnapshotOf(CommandStep source, Hft.Core.Instruments.InstrumentRegistry instruments, string[] names, long nextId)
    {
        var data = SnapshotStore.Capture(nextId, nextId, instruments, [source.Engine], source.Risk.Book, id => names[id], riskOf: _ => source.Risk);
        foreach (var flag in new[] { Hft.Core.Book.OrderFlags.Pending, Hft.Core.Book.OrderFlags.Iceberg, Hft.Core.Book.OrderFlags.Expires })
            if (!data.Orders.Exists(o => (o.Flags & flag) != 0)) return null;
        var (step, _, _) = CommandStepTests.NewStep();
        SnapshotStore.Restore(SnapshotFormat.Decode(SnapshotFormat.Encode(data), "t"), instruments, step.Risk.Book, _ => (step.Engine, step.Risk),
            name => Array.IndexOf(names, name));
        Assert.Equal(CommandStepTests.Hash(source, instruments, names), CommandStepTests.Hash(step, instruments, names));
        return step;
    }
}
