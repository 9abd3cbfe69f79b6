using System.Text;

namespace Hft.Core.Tests.Support;

/// <summary>Text forms of events for comparison and failure messages.</summary>
public static class EventText
{
    /// <summary>The fields that carry meaning for the event's kind (see <see cref="EngineEvent"/>), nothing else.</summary>
    public static string Meaningful(in EngineEvent e) => e.Kind switch
    {
        EventKind.Accepted => $"accepted id={e.OrderId} acct={e.Account} ins={e.Instrument} {e.Side} px={e.Price} qty={e.Quantity}",
        EventKind.Rejected => $"rejected id={e.OrderId} acct={e.Account} ins={e.Instrument} op={e.Op} reason={e.RejectReason.Name()}",
        EventKind.Trade => $"trade ins={e.Instrument} px={e.Price} qty={e.Quantity} taker={e.OrderId}/{e.Account} {e.Side} rem={e.Remaining} maker={e.MakerOrderId}/{e.MakerAccount} makerRem={e.MakerRemaining}",
        EventKind.Canceled => $"canceled id={e.OrderId} acct={e.Account} ins={e.Instrument} {e.Side} px={e.Price} rem={e.Remaining} reason={e.CancelReason.Name()}",
        EventKind.Replaced => $"replaced id={e.OrderId} acct={e.Account} ins={e.Instrument} {e.Side} px={e.Price} qty={e.Quantity}",
        EventKind.Triggered => $"triggered id={e.OrderId} acct={e.Account} ins={e.Instrument} {e.Side} px={e.Price} qty={e.Quantity}",
        EventKind.Refreshed => $"refreshed id={e.OrderId} acct={e.Account} ins={e.Instrument} {e.Side} px={e.Price} slice={e.Quantity} rem={e.Remaining}",
        _ => $"unexpected kind {(int)e.Kind}",
    };

    public static string[] Meaningful(ReadOnlySpan<EngineEvent> events)
    {
        var result = new string[events.Length];
        for (int i = 0; i < events.Length; i++) result[i] = Meaningful(in events[i]);
        return result;
    }

    /// <summary>Every field, in a fixed order: two identical runs must produce identical text.</summary>
    public static void AppendFull(StringBuilder sb, in EngineEvent e)
        => sb.Append((int)e.Kind).Append('|').Append((int)e.Op).Append('|').Append((int)e.Side).Append('|')
            .Append((int)e.RejectReason).Append('|').Append((int)e.CancelReason).Append('|')
            .Append(e.Instrument).Append('|').Append(e.Account).Append('|').Append(e.MakerAccount).Append('|')
            .Append(e.OrderId).Append('|').Append(e.MakerOrderId).Append('|').Append(e.Price).Append('|')
            .Append(e.Quantity).Append('|').Append(e.Remaining).Append('|').Append(e.MakerRemaining).Append('\n');
}
