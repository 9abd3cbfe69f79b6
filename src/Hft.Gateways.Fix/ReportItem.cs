using Hft.Core.Events;
using Hft.Core.Matching;

namespace Hft.Gateways.Fix;

/// <summary>What a session's report queue holds: an engine event of its account, or a finished mass cancel.</summary>
internal struct ReportItem
{
    public ReportKind Kind;
    public EngineEvent Event;

    /// <summary>The event is a trade where this session's order was the maker.</summary>
    public bool Maker;

    public CommandOp CommandOp;
    public long CommandOrderId;

    /// <summary>Replaced: the trigger price the replace gave the pending order (0: it kept its trigger, or has none).</summary>
    public long NewTrigger;

    /// <summary>The journal record of the command that caused the event (0 = nothing to wait for).</summary>
    public long Sequence;

    public MassCancelOutcome? MassCancel;
}

internal enum ReportKind : byte
{
    Event,
    MassCancelReport,
}
