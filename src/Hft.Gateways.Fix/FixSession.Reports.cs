using System.Text;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;

namespace Hft.Gateways.Fix;

/// <summary>
/// Execution reports from engine events (writer thread) and the rejections the reader answers at once.
/// ExecType/OrdStatus: Accepted → 0/0 New; Trade → F/1 or F/2 (LeavesQty 0); Canceled → 4/4, expired → C/C;
/// Replaced → 5/(0 or 1); Rejected new order → 8/8; a stop fired or an iceberg's slice refreshed → D Restated (378 = 99,
/// Text names which; FIX 4.4 has no ExecType for either) with the order's status unchanged. CumQty, LeavesQty and
/// AvgPx are exact decimals on the instrument's grid.
/// </summary>
internal sealed partial class FixSession
{
    private void OnRejected(FixOrder order, in EngineEvent e)
    {
        switch (e.Op)
        {
            case CommandOp.New:
                order.Status = (byte)'8';
                order.Leaves = 0;
                WriteExecutionReport(_fields, order, order.ClOrdId, null, (byte)'8', (byte)'8', 0, 0, e.RejectReason.Name(), OrdRejReasonOf(e.RejectReason));
                Send(FixMsgTypes.ExecutionReport, _fields.Written, app: true);
                Finish(order);
                break;
            case CommandOp.Cancel or CommandOp.Replace:
                if (!order.TryTakePending(e.Op, out var request)) return;
                int reason = e.RejectReason == RejectReason.UnknownOrder ? 0 : 99; // we knew the order: the engine no longer does
                Span<byte> clOrdId = stackalloc byte[request.ClOrdId.Length];
                Span<byte> orig = stackalloc byte[request.OrigClOrdId.Length];
                WriteCancelReject(_fields, order.OrderId, Ascii(request.ClOrdId, clOrdId), Ascii(request.OrigClOrdId, orig), order.Status,
                    e.Op == CommandOp.Cancel, reason, e.RejectReason.Name());
                Send(FixMsgTypes.OrderCancelReject, _fields.Written, app: true);
                break;
        }
    }

    private void OnTrade(FixOrder order, in EngineEvent e, bool maker)
    {
        order.Cum += e.Quantity;
        order.Notional += (Int128)e.Price * e.Quantity;
        order.Leaves = maker ? e.MakerRemaining : e.Remaining;
        order.Status = order.Leaves == 0 ? (byte)'2' : (byte)'1';
        WriteExecutionReport(_fields, order, order.ClOrdId, null, (byte)'F', order.Status, e.Quantity, e.Price, null);
        Send(FixMsgTypes.ExecutionReport, _fields.Written, app: true);
        if (order.Leaves == 0) Finish(order);
    }

    private void OnCanceled(FixOrder order, in EngineEvent e, bool requested)
    {
        string clOrdId = order.ClOrdId;
        string? orig = null;
        if (requested && order.TryTakePending(CommandOp.Cancel, out var request))
        {
            clOrdId = request.ClOrdId;
            orig = request.OrigClOrdId;
        }
        order.Leaves = 0;
        order.Status = e.CancelReason == CancelReason.Expired ? (byte)'C' : (byte)'4';
        WriteExecutionReport(_fields, order, clOrdId, orig, order.Status, order.Status, 0, 0, e.CancelReason.Name());
        Send(FixMsgTypes.ExecutionReport, _fields.Written, app: true);
        Finish(order);
    }

    private void OnReplaced(FixOrder order, in EngineEvent e, long newTrigger)
    {
        string? orig = null;
        if (order.TryTakePending(CommandOp.Replace, out var request))
        {
            orig = order.ClOrdId;
            Book.Rename(order, request.ClOrdId);
        }
        order.Price = e.Price;
        if (newTrigger != 0) order.StopPx = newTrigger;
        order.Leaves = e.Quantity;
        order.OrderQty = order.Cum + e.Quantity;
        order.Status = order.Cum > 0 ? (byte)'1' : (byte)'0';
        WriteExecutionReport(_fields, order, order.ClOrdId, orig, (byte)'5', order.Status, 0, 0, null);
        Send(FixMsgTypes.ExecutionReport, _fields.Written, app: true);
    }

    /// <summary>
    /// A pending stop fired (its fills follow) or an iceberg showed a new slice from its reserve, at the back of its level:
    /// an unsolicited Restated report, so the client sees when its order started to work or lost its time priority.
    /// </summary>
    private void OnRestated(FixOrder order, in EngineEvent e)
    {
        if (e.Kind == EventKind.Refreshed) order.Leaves = e.Remaining;
        WriteExecutionReport(_fields, order, order.ClOrdId, null, (byte)'D', order.Status, 0, 0,
            e.Kind == EventKind.Triggered ? "triggered" : "refreshed", restatementReason: OtherRestatement);
        Send(FixMsgTypes.ExecutionReport, _fields.Written, app: true);
    }

    /// <summary>ExecRestatementReason (378) 99 Other: FIX 4.4 has no value for a fired stop or a refreshed iceberg.</summary>
    private const int OtherRestatement = 99;

    private void SendMassCancelReport(MassCancelOutcome outcome)
    {
        WriteMassCancelReport(_fields, outcome);
        Send(FixMsgTypes.OrderMassCancelReport, _fields.Written, app: true);
    }

    // ---- message bodies ----

    internal void WriteExecutionReport(FixFieldWriter w, FixOrder o, string clOrdId, string? origClOrdId, byte execType, byte ordStatus,
        long lastQty, long lastPx, string? text, int ordRejReason = -1, int restatementReason = -1)
    {
        var inst = o.Instrument;
        w.Clear();
        w.Add(FixTags.OrderId, o.OrderId).Add(FixTags.ClOrdId, clOrdId);
        if (origClOrdId is not null) w.Add(FixTags.OrigClOrdId, origClOrdId);
        AddExecId(w);
        w.AddChar(FixTags.ExecType, execType).AddChar(FixTags.OrdStatus, ordStatus);
        if (ordRejReason >= 0) w.Add(FixTags.OrdRejReason, ordRejReason);
        if (restatementReason >= 0) w.Add(FixTags.ExecRestatementReason, restatementReason);
        w.Add(FixTags.Account, Config.Account).Add(FixTags.Symbol, o.Symbol)
            .AddChar(FixTags.Side, o.Side == Side.Buy ? (byte)'1' : (byte)'2');
        AddQty(w, FixTags.OrderQty, inst, o.OrderQty);
        w.AddChar(FixTags.OrdType, FixOrderTypes.Code(o.Type));
        if (o.Type.HasLimitPrice()) AddPrice(w, FixTags.Price, inst, o.Price);
        if (o.Type.IsTriggered())
        {
            AddPrice(w, FixTags.StopPx, inst, o.StopPx);
            // a take-profit is a stop against its own direction: 5109 says which, where the counterparty agreed the tag
            if (_echoTriggerDirection && o.Type is OrderType.TakeProfit or OrderType.TakeProfitLimit)
                w.AddChar(FixCustomTags.TriggerDirection, FixOrderTypes.TriggerDirectionCode(o.Type, o.Side));
        }
        w.AddChar(FixTags.TimeInForce, TifCode(o.Tif));
        if (lastQty > 0)
        {
            AddQty(w, FixTags.LastQty, inst, lastQty);
            AddPrice(w, FixTags.LastPx, inst, lastPx);
        }
        AddQty(w, FixTags.LeavesQty, inst, o.Leaves);
        AddQty(w, FixTags.CumQty, inst, o.Cum);
        AddAvgPx(w, inst, o.Notional, o.Cum);
        w.AddTime(FixTags.TransactTime, DateTime.UtcNow);
        if (text is not null) w.Add(FixTags.Text, text);
    }

    /// <summary>A NewOrderSingle refused before it became an order: echoes what the client sent.</summary>
    internal void WriteOrderReject(FixFieldWriter w, ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> symbol, byte side, ReadOnlySpan<byte> orderQty,
        byte ordType, int ordRejReason, string text)
    {
        w.Clear();
        w.Add(FixTags.OrderId, "NONE"u8).Add(FixTags.ClOrdId, clOrdId.IsEmpty ? "NONE"u8 : clOrdId);
        AddExecId(w);
        w.AddChar(FixTags.ExecType, (byte)'8').AddChar(FixTags.OrdStatus, (byte)'8').Add(FixTags.OrdRejReason, ordRejReason)
            .Add(FixTags.Account, Config.Account).Add(FixTags.Symbol, symbol.IsEmpty ? "NONE"u8 : symbol)
            .AddChar(FixTags.Side, side is (byte)'1' or (byte)'2' ? side : (byte)'1');
        if (!orderQty.IsEmpty) w.Add(FixTags.OrderQty, orderQty);
        if (ordType != 0) w.AddChar(FixTags.OrdType, ordType);
        w.Add(FixTags.LeavesQty, "0"u8).Add(FixTags.CumQty, "0"u8).Add(FixTags.AvgPx, "0"u8)
            .AddTime(FixTags.TransactTime, DateTime.UtcNow).Add(FixTags.Text, text);
    }

    internal static void WriteCancelReject(FixFieldWriter w, long orderId, ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> origClOrdId, byte ordStatus,
        bool cancel, int reason, string text)
    {
        w.Clear();
        if (orderId > 0) w.Add(FixTags.OrderId, orderId);
        else w.Add(FixTags.OrderId, "NONE"u8);
        w.Add(FixTags.ClOrdId, clOrdId).Add(FixTags.OrigClOrdId, origClOrdId).AddChar(FixTags.OrdStatus, ordStatus)
            .AddChar(FixTags.CxlRejResponseTo, cancel ? (byte)'1' : (byte)'2').Add(FixTags.CxlRejReason, reason).Add(FixTags.Text, text);
    }

    internal static void WriteMassCancelReport(FixFieldWriter w, MassCancelOutcome o)
    {
        w.Clear();
        w.Add(FixTags.ClOrdId, o.ClOrdId).Add(FixTags.OrderId, o.ReportId).AddChar(FixTags.MassCancelRequestType, o.RequestType)
            .AddChar(FixTags.MassCancelResponse, o.Rejected ? (byte)'0' : o.RequestType);
        if (o.Rejected) w.Add(FixTags.MassCancelRejectReason, o.RejectReason);
        else w.Add(FixTags.TotalAffectedOrders, o.Canceled);
        if (o.Symbol is not null) w.Add(FixTags.Symbol, o.Symbol);
        if (o.Text is not null) w.Add(FixTags.Text, o.Text);
    }

    private static ReadOnlySpan<byte> Ascii(string text, Span<byte> dest)
    {
        int n = Encoding.ASCII.GetBytes(text, dest);
        return dest[..n];
    }

    private void AddExecId(FixFieldWriter w)
    {
        Span<byte> id = stackalloc byte[48];
        int n = Encoding.ASCII.GetBytes(_execPrefix, id);
        System.Buffers.Text.Utf8Formatter.TryFormat(NextExecId(), id[n..], out int k);
        w.Add(FixTags.ExecId, id[..(n + k)]);
    }

    private static void AddQty(FixFieldWriter w, int tag, Instrument inst, long lots)
        => w.Add(tag, (inst, lots), static (s, d) => s.inst.FormatQuantity(s.lots, d));

    private static void AddPrice(FixFieldWriter w, int tag, Instrument inst, long ticks)
        => w.Add(tag, (inst, ticks), static (s, d) => s.inst.FormatPrice(s.ticks, d));

    /// <summary>Σ price × qty / Σ qty, exact when it falls on the tick grid, else to tick decimals + 6 (half-even).</summary>
    internal static void AddAvgPx(FixFieldWriter w, Instrument inst, Int128 notional, long cum)
    {
        if (cum == 0)
        {
            w.Add(FixTags.AvgPx, "0"u8);
            return;
        }
        if (notional % cum == 0)
        {
            AddPrice(w, FixTags.AvgPx, inst, (long)(notional / cum));
            return;
        }
        var tick = inst.Tick;
        w.Add(FixTags.AvgPx, Amount.FormatRatio(notional * tick.Mantissa, (Int128)cum * (Int128)DecimalText.Pow10(tick.Scale),
            Math.Min(tick.Scale + 6, DecimalText.MaxScale)));
    }

    internal static byte TifCode(TimeInForce tif) => tif switch
    {
        TimeInForce.Ioc => (byte)'3',
        TimeInForce.Fok => (byte)'4',
        TimeInForce.Gtd => (byte)'6',
        _ => (byte)'1',
    };

    /// <summary>OrdRejReason (103) for an engine or risk rejection; Text (58) carries the venue's reason name.</summary>
    internal static int OrdRejReasonOf(RejectReason reason) => reason switch
    {
        RejectReason.UnknownSymbol => 1,
        RejectReason.InstrumentHalted => 2,
        RejectReason.MaxQty or RejectReason.MaxNotional or RejectReason.MaxPosition or RejectReason.MaxOpenOrders or RejectReason.CreditLimit => 3,
        RejectReason.UnknownOrder => 5,
        RejectReason.DuplicateId => 6,
        RejectReason.InvalidOrderType => 11,
        RejectReason.InvalidQty => 13,
        _ => 99,
    };
}

/// <summary>The outcome of one OrderMassCancelRequest, reported as an OrderMassCancelReport (r).</summary>
internal sealed class MassCancelOutcome
{
    public required string ClOrdId { get; init; }
    public required string ReportId { get; init; }
    public required byte RequestType { get; init; }
    public string? Symbol { get; init; }
    public bool Rejected { get; init; }
    public int RejectReason { get; init; }
    public string? Text { get; init; }
    public int Canceled { get; set; }
}
