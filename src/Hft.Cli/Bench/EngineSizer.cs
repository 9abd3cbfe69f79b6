using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Cli.Bench;

/// <summary>
/// Watches an engine during an untimed dry run and records the peaks that storage must hold: live orders,
/// price levels of one book, events of one command, ids ever accepted. <see cref="ToOptions"/> turns them
/// into <see cref="EngineOptions"/> with headroom, so a measured run of the same stream never grows an array.
/// </summary>
internal sealed class EngineSizer
{
    public int PeakLiveOrders { get; private set; }

    public int PeakLevelsPerBook { get; private set; }

    public int PeakEventsPerCommand { get; private set; }

    /// <summary>Most stop / take-profit orders pending on one instrument at once.</summary>
    public int PeakPendingStops { get; private set; }

    public long NewCommands { get; private set; }

    /// <summary>Highest account id seen (-1 before any command).</summary>
    public int MaxAccount { get; private set; } = -1;

    public long Rejected { get; private set; }

    public long Events { get; private set; }

    public long Trades { get; private set; }

    /// <summary>Rejected events of the dry run by <see cref="RejectReason"/> (index = reason value).</summary>
    public long[] RejectsByReason { get; } = new long[RejectReasonNames.All.Count];

    /// <summary>Rejections by pre-trade risk (account_disabled through no_reference_price).</summary>
    public long RiskRejects => RiskRejectsOf(RejectsByReason);

    /// <summary>The rejections by pre-trade risk among rejections counted by reason (index = reason value).</summary>
    public static long RiskRejectsOf(long[] rejectsByReason)
    {
        long n = 0;
        for (int r = (int)RejectReason.AccountDisabled; r <= (int)RejectReason.NoReferencePrice && r < rejectsByReason.Length; r++) n += rejectsByReason[r];
        return n;
    }

    /// <summary>FNV-1a digest of every event of the dry run: the same stream gives the same digest on any build
    /// whose matching semantics are the same (used to check that engine optimizations change nothing).</summary>
    public ulong EventDigest { get; private set; } = 14695981039346656037UL;

    public string EventDigestText => EventDigest.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Result of <see cref="BookInvariants.Check"/> on the dry run's engine at the end (null = all hold).</summary>
    public string? InvariantViolation { get; private set; }

    /// <summary>Call after each command with its events.</summary>
    public void Observe(MatchingEngine engine, in OrderCommand cmd, ReadOnlySpan<EngineEvent> events)
    {
        int eventCount = events.Length;
        Events += eventCount;
        ulong h = EventDigest;
        foreach (ref readonly var e in events)
        {
            if (e.Kind == EventKind.Rejected && (int)e.RejectReason < RejectsByReason.Length) RejectsByReason[(int)e.RejectReason]++;
            h = Mix(h, (ulong)e.Kind | (ulong)e.Op << 8 | (ulong)e.Side << 16 | (ulong)e.RejectReason << 24 | (ulong)e.CancelReason << 32);
            h = Mix(h, (ulong)(uint)e.Instrument | (ulong)(uint)e.Account << 32);
            h = Mix(h, (ulong)(uint)e.MakerAccount);
            h = Mix(h, (ulong)e.OrderId);
            h = Mix(h, (ulong)e.MakerOrderId);
            h = Mix(h, (ulong)e.Price);
            h = Mix(h, (ulong)e.Quantity);
            h = Mix(h, (ulong)e.Remaining);
            h = Mix(h, (ulong)e.MakerRemaining);
        }
        EventDigest = h;
        if (cmd.Op == CommandOp.New) NewCommands++;
        if (cmd.Account > MaxAccount) MaxAccount = cmd.Account;
        if (eventCount > PeakEventsPerCommand) PeakEventsPerCommand = eventCount;
        int live = engine.Orders.Live;
        if (live > PeakLiveOrders) PeakLiveOrders = live;
        var book = engine.Book(cmd.Instrument);
        if (book is not null)
        {
            int levels = book.LevelCount(Side.Buy) + book.LevelCount(Side.Sell);
            if (levels > PeakLevelsPerBook) PeakLevelsPerBook = levels;
            int pending = engine.Stops(cmd.Instrument)!.Count;
            if (pending > PeakPendingStops) PeakPendingStops = pending;
        }
    }

    /// <summary>Copies the final counters of the dry run's engine.</summary>
    public void Finish(MatchingEngine engine)
    {
        InvariantViolation = BookInvariants.Check(engine);
        Rejected = engine.Counters.Rejected;
        Trades = engine.Counters.Trades;
    }

    public EngineOptions ToOptions() => new()
    {
        OrderCapacity = Headroom(PeakLiveOrders),
        // Every accepted new order's id stays in the index (live or dead); the index is sized for all of them.
        OrderIdCapacity = (int)Math.Min(int.MaxValue / 2, NewCommands + NewCommands / 4 + 4096),
        LevelCapacity = Headroom(PeakLevelsPerBook),
        EventCapacity = Math.Max(1024, Headroom(PeakEventsPerCommand)),
        // The engine's per-account order lists: sized for every account of the stream, so none grows while measuring.
        AccountCapacity = Math.Max(64, MaxAccount + 1),
        // Pending stops of one instrument (each direction holds at most all of them), and the stops one command fires.
        StopCapacity = Math.Max(1024, Headroom(PeakPendingStops)),
    };

    private static ulong Mix(ulong h, ulong v) => (h ^ v) * 1099511628211UL;

    private static int Headroom(int peak) => peak + peak / 4 + 1024;
}
