using Hft.Core.Events;
using Hft.Core.Numerics;

namespace Hft.Risk.Tests.Support;

public static class Ev
{
    /// <summary>The reason of the command's rejection, or None when it was not rejected.</summary>
    public static RejectReason Rejection(this EngineEvent[] events)
    {
        foreach (var e in events)
            if (e.Kind == EventKind.Rejected) return e.RejectReason;
        return RejectReason.None;
    }

    public static bool Accepted(this EngineEvent[] events)
        => events.Length > 0 && events[0].Kind is EventKind.Accepted or EventKind.Replaced;

    public static EngineEvent[] Trades(this EngineEvent[] events) => events.Where(e => e.Kind == EventKind.Trade).ToArray();

    public static EngineEvent[] Cancels(this EngineEvent[] events) => events.Where(e => e.Kind == EventKind.Canceled).ToArray();

    /// <summary>Parses decimal text into an Amount (test helper).</summary>
    public static Amount A(string text)
    {
        if (!Amount.TryParse(System.Text.Encoding.ASCII.GetBytes(text), out var a)) throw new FormatException(text);
        return a;
    }
}
