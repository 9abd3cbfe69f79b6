using System.Collections.Concurrent;

namespace Hft.Tools.CrashTest;

/// <summary>A cancel or replace whose answer never came (the server died first): it may or may not have happened.</summary>
internal enum PendingOp : byte
{
    None,
    Cancel,
    Replace,
}

/// <summary>What the acknowledgments (or the last verified recovery) say about one order.</summary>
internal sealed class OrderFacts
{
    public required long Id { get; init; }
    public required string ClientOrderId { get; init; }
    public required string Account { get; init; }
    public string Status { get; set; } = "new";
    public decimal Filled { get; set; }
    public decimal Remaining { get; set; }
    public PendingOp Pending { get; set; }
    public decimal PendingQty { get; set; }

    public bool IsOpen => Status is "new" or "partially_filled";
}

/// <summary>One fill as an acknowledgment reported it.</summary>
internal readonly record struct AckedFill(long TakerOrderId, long MakerOrderId, decimal Price, decimal Qty);

/// <summary>
/// Every acknowledgment of the current data directory: order facts by id, the fills the acks reported, new orders
/// whose answer never came (they may exist after recovery), and client order ids that must never appear (refused,
/// or unanswered and found missing after an earlier recovery).
/// </summary>
internal sealed class AckLedger
{
    public ConcurrentDictionary<long, OrderFacts> Orders { get; } = new();

    public ConcurrentBag<AckedFill> Fills { get; } = new();

    /// <summary>clientOrderId → account: sent, no answer; the order may or may not have been journaled.</summary>
    public ConcurrentDictionary<string, string> UnknownNews { get; } = new();

    /// <summary>clientOrderIds that must not appear in any recovered state.</summary>
    public ConcurrentDictionary<string, string> MustNotExist { get; } = new();

    /// <summary>Violations seen in the acknowledgments themselves.</summary>
    public ConcurrentQueue<string> AckViolations { get; } = new();

    public long Acks;
    public long News;
    public long Cancels;
    public long Replaces;
    public long Refusals;
    public long Unanswered;
}
