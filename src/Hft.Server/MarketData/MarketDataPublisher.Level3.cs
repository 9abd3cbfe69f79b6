using Hft.Core.Instruments;
using Hft.Core.Orders;

namespace Hft.Server.MarketData;

/// <summary>The <c>level3</c> channel: order by order (add / modify / delete), from the same mirror book as level2.</summary>
public sealed partial class MarketDataPublisher
{
    private void FlushLevel3(Instrument inst, MirrorBook book)
    {
        var changes = book.TakeOrderChanges();
        _binary?.OrderChanges(inst.Index, changes);
        long seq = ++book.Level3Sequence;
        if (!_subscribers.TryGetValue((Channel.Level3, inst.Index), out var set) || set.Count == 0) return;
        Broadcast(Channel.Level3, inst, Message(w =>
        {
            w.WriteString("channel", "level3");
            w.WriteString("symbol", inst.Symbol);
            w.WriteString("type", "update");
            w.WriteNumber("seq", seq);
            w.WriteNumber("prevSeq", seq - 1);
            w.WriteStartArray("changes");
            foreach (var c in changes)
            {
                w.WriteStartObject();
                w.WriteString("action", c.Action switch { OrderAction.Add => "add", OrderAction.Modify => "modify", _ => "delete" });
                WriteOrder(w, inst, c);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }));
    }

    private WsFrame Level3Snapshot(Instrument inst)
    {
        var book = _books[inst.Index];
        var orders = book.Orders();
        return Message(w =>
        {
            w.WriteString("channel", "level3");
            w.WriteString("symbol", inst.Symbol);
            w.WriteString("type", "snapshot");
            w.WriteNumber("seq", book.Level3Sequence);
            w.WriteStartArray("orders");
            foreach (var o in orders)
            {
                w.WriteStartObject();
                WriteOrder(w, inst, o);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static void WriteOrder(System.Text.Json.Utf8JsonWriter w, Instrument inst, OrderChange o)
    {
        w.WriteNumber("orderId", o.Id);
        w.WriteString("side", o.Side == Side.Buy ? "buy" : "sell");
        w.WriteString("price", inst.FormatPrice(o.Price));
        w.WriteString("qty", inst.FormatQuantity(o.Qty));
    }
}
