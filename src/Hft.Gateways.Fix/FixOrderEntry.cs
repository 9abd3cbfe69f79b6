using System.Diagnostics;
using System.Text;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Orders;
using Hft.Pipeline;
using Hft.Pipeline.State;

namespace Hft.Gateways.Fix;

/// <summary>
/// The application layer of a session's inbound side: NewOrderSingle (D), OrderCancelRequest (F),
/// OrderCancelReplaceRequest (G) and OrderMassCancelRequest (q) become pipeline commands (same risk, matching,
/// journal and events as REST). They come here validated against the data dictionary (<see cref="FixValidator"/>:
/// required fields, formats, enumerations, conditionally required fields), so what is refused here is refused for
/// business reasons: a well-formed order the venue cannot take is an ExecutionReport with ExecType 8, a refused
/// cancel/replace an OrderCancelReject (9), a refused mass cancel an OrderMassCancelReport with 531=0.
/// </summary>
internal sealed class FixOrderEntry(FixConnection connection)
{
    private long _massCancelIds;

    public void Handle(FixMessage m, FixSession session)
    {
        switch (m.MsgType)
        {
            case FixMsgTypes.NewOrderSingle:
                NewOrder(m, session);
                break;
            case FixMsgTypes.OrderCancelRequest:
                CancelOrReplace(m, session, replace: false);
                break;
            case FixMsgTypes.OrderCancelReplaceRequest:
                CancelOrReplace(m, session, replace: true);
                break;
            case FixMsgTypes.OrderMassCancelRequest:
                MassCancel(m, session);
                break;
        }
    }

    private void NewOrder(FixMessage m, FixSession session)
    {
        long received = Stopwatch.GetTimestamp();
        var clOrdIdBytes = m.Get(FixTags.ClOrdId);
        var symbolBytes = m.Get(FixTags.Symbol);
        byte side = m.GetChar(FixTags.Side);
        byte ordType = m.GetChar(FixTags.OrdType);
        var qtyBytes = m.Get(FixTags.OrderQty);
        var w = connection.Fields;

        void Reject(int ordRejReason, string text, ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> qty)
        {
            session.WriteOrderReject(w, clOrdId, symbol, side, qty, ordType, ordRejReason, text);
            session.Send(FixMsgTypes.ExecutionReport, w.Written, app: true);
        }

        if (!ClientOrderIdRule.IsValid(clOrdIdBytes))
        {
            Reject(99, "ClOrdID must be " + ClientOrderIdRule.Description, clOrdIdBytes[..Math.Min(clOrdIdBytes.Length, ClientOrderIdRule.MaxLength)],
                symbolBytes, qtyBytes);
            return;
        }
        if (ordType is not ((byte)'1' or (byte)'2' or (byte)'3' or (byte)'4'))
        {
            Reject(11, "OrdType must be 1 (market), 2 (limit), 3 (stop) or 4 (stop limit)", clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        var type = FixOrderTypes.Of(ordType);
        TimeInForce tif = type.HasLimitPrice() ? TimeInForce.Gtc : TimeInForce.Ioc;
        if (m.TryGet(FixTags.TimeInForce, out var tifBytes))
        {
            tif = tifBytes.Length == 1 ? tifBytes[0] switch
            {
                (byte)'1' => TimeInForce.Gtc,
                (byte)'3' => TimeInForce.Ioc,
                (byte)'4' => TimeInForce.Fok,
                (byte)'6' => TimeInForce.Gtd,
                _ => 0,
            } : 0;
            if (tif == 0)
            {
                Reject(11, "TimeInForce must be 1 (GTC), 3 (IOC), 4 (FOK) or 6 (GTD)", clOrdIdBytes, symbolBytes, qtyBytes);
                return;
            }
        }
        bool postOnly = m.TryGet(FixTags.ExecInst, out var execInst) && execInst.IndexOf((byte)'6') >= 0;
        if (!TryFindInstrument(session, symbolBytes, out var instrument))
        {
            Reject(1, RejectReason.UnknownSymbol.Name(), clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        if (instrument.TryParseQuantity(qtyBytes, out long lots) != RejectReason.None)
        {
            Reject(13, $"OrderQty is not a positive multiple of lot {instrument.Lot}", clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        if (!FixOrderTypes.TryReadPrice(m, instrument, type, out long ticks, out _, out string? priceProblem))
        {
            Reject(99, priceProblem!, clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        var pipeline = session.Pipeline;
        var cmd = type == OrderType.Limit
            ? OrderCommand.NewLimit(0, session.AccountId, instrument.Index, side == (byte)'1' ? Side.Buy : Side.Sell, ticks, lots, tif, postOnly)
            : OrderCommand.NewMarket(0, session.AccountId, instrument.Index, side == (byte)'1' ? Side.Buy : Side.Sell, lots, tif);
        if (type.IsTriggered())
        {
            cmd = OrderCommand.NewTriggered(0, session.AccountId, instrument.Index, cmd.Side, type, 0, ticks, lots, tif);
            cmd.PostOnly = postOnly;
        }
        if (!FixOrderTypes.TryReadTerms(m, instrument, ref cmd, out int termsReject, out string? termsProblem))
        {
            Reject(termsReject, termsProblem!, clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        var shape = MatchingEngine.ValidateNewOrder(in cmd); // the engine's own checks (post-only combination), before the order takes an id
        if (shape != RejectReason.None)
        {
            Reject(FixSession.OrdRejReasonOf(shape), shape.Name(), clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        cmd.OrderId = pipeline.NextOrderId();
        string clOrdId = Encoding.ASCII.GetString(clOrdIdBytes); // the one allocation: the journal and the order directory keep it
        var book = session.Book;
        var order = book.Rent();
        order.Init(cmd.OrderId, instrument, cmd.Side, cmd.Type, tif, clOrdId, lots, ticks, cmd.TriggerPrice);
        if (!book.TryAdd(order))
        {
            book.Return(order);
            Reject(6, "duplicate ClOrdID", clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        var record = OrderRecord.Of(in cmd, clOrdId, DateTimeOffset.UtcNow);
        if (!session.Directory.TryRegister(record))
        {
            book.Remove(order);
            Reject(6, "duplicate ClOrdID (already used by an order of this account)", clOrdIdBytes, symbolBytes, qtyBytes);
            return;
        }
        var admitted = pipeline.Submit(in cmd, null, received, clOrdId, ref connection.Batch);
        if (admitted != AdmitResult.Accepted)
        {
            book.Remove(order);
            session.Directory.Unregister(record);
            Reject(99, admitted.ToRejectReason().Name(), clOrdIdBytes, symbolBytes, qtyBytes);
        }
    }

    /// <summary>The instrument a Symbol (55) names, looked up without allocating.</summary>
    private static bool TryFindInstrument(FixSession session, ReadOnlySpan<byte> symbol, out Instrument instrument)
    {
        instrument = null!;
        if (symbol.Length > 64) return false;
        Span<char> text = stackalloc char[symbol.Length];
        for (int i = 0; i < symbol.Length; i++) text[i] = (char)symbol[i];
        return session.Pipeline.Instruments.TryGet(text, out instrument);
    }

    private void CancelOrReplace(FixMessage m, FixSession session, bool replace)
    {
        var clOrdIdBytes = m.Get(FixTags.ClOrdId);
        var origBytes = m.Get(FixTags.OrigClOrdId);
        var w = connection.Fields;

        void Refuse(long orderId, byte status, int reason, string text, ReadOnlySpan<byte> clOrdId, ReadOnlySpan<byte> orig)
        {
            FixSession.WriteCancelReject(w, orderId, clOrdId, orig, status, !replace, reason, text);
            session.Send(FixMsgTypes.OrderCancelReject, w.Written, app: true);
        }

        if (!ClientOrderIdRule.IsValid(clOrdIdBytes))
        {
            Refuse(0, (byte)'8', 99, "ClOrdID must be " + ClientOrderIdRule.Description, clOrdIdBytes, origBytes);
            return;
        }
        var book = session.Book;
        lock (book.Gate) // the order found stays this order (not recycled) while it is used here
        {
            if (!book.TryGet(origBytes, out var order))
            {
                Refuse(0, (byte)'8', 1, "unknown order", clOrdIdBytes, origBytes);
                return;
            }
            if (order.Done)
            {
                Refuse(order.OrderId, order.Status, 0, "too late: the order is no longer open", clOrdIdBytes, origBytes);
                return;
            }
            if (book.TryGet(clOrdIdBytes, out _))
            {
                Refuse(order.OrderId, order.Status, 6, "duplicate ClOrdID", clOrdIdBytes, origBytes);
                return;
            }
            if (!TryCommand(m, session, order, replace, out var cmd, out string? problem, out int reason))
            {
                Refuse(order.OrderId, order.Status, reason, problem!, clOrdIdBytes, origBytes);
                return;
            }
            order.AddPending(new PendingRequest(replace ? CommandOp.Replace : CommandOp.Cancel, Encoding.ASCII.GetString(clOrdIdBytes), order.ClOrdId));
            var admitted = session.Pipeline.Submit(in cmd, null, Stopwatch.GetTimestamp(), null, ref connection.Batch);
            if (admitted != AdmitResult.Accepted)
            {
                order.DropLastPending();
                Refuse(order.OrderId, order.Status, 99, admitted.ToRejectReason().Name(), clOrdIdBytes, origBytes);
            }
        }
    }

    /// <summary>The engine command of a cancel or replace of <paramref name="order"/>, or why the request is refused.</summary>
    private static bool TryCommand(FixMessage m, FixSession session, FixOrder order, bool replace, out OrderCommand cmd, out string? problem,
        out int reason)
    {
        problem = null;
        reason = 99;
        if (!replace)
        {
            cmd = OrderCommand.Cancel(order.OrderId, session.AccountId, order.Instrument.Index);
            return true;
        }
        cmd = default;
        byte ordType = m.GetChar(FixTags.OrdType);
        if (order.Type == OrderType.Market || ordType != FixOrderTypes.Code(order.Type))
        {
            problem = "OrdType must be the order's own: 2 (limit), 3 (stop) or 4 (stop limit); a market order is not replaced";
            return false;
        }
        var inst = order.Instrument;
        if (inst.TryParseQuantity(m.Get(FixTags.OrderQty), out long total) != RejectReason.None)
        {
            problem = $"OrderQty is not a positive multiple of lot {inst.Lot}";
            return false;
        }
        long filled = session.Directory.Find(order.OrderId)?.Capture().Filled ?? order.Cum;
        if (total <= filled)
        {
            // fills overtook the request (the client saw less filled when it sent it): too late, as for a cancel
            problem = "too late: OrderQty must exceed the quantity already filled";
            reason = 0;
            return false;
        }
        cmd = new OrderCommand
        {
            Op = CommandOp.Replace, OrderId = order.OrderId, Account = session.AccountId, Instrument = inst.Index, Quantity = total - filled,
        };
        if (!FixOrderTypes.TryReadPrice(m, inst, order.Type, out cmd.Price, out cmd.HasPrice, out problem)) return false;
        return TryReadNewTrigger(m, order, ref cmd, out problem);
    }

    /// <summary>
    /// StopPx (99) and TriggerDirection (5109), read as for a NewOrderSingle of the order's own type (a stop or stop
    /// limit needs StopPx, others may not carry it; 5109 may not turn a stop into a take-profit or back). A StopPx other
    /// than the order's is its new trigger; the order's own StopPx restates it, so a stop limit that already fired is
    /// replaced as the limit order it became (a new trigger for it is the engine's invalid_trigger_price).
    /// </summary>
    private static bool TryReadNewTrigger(FixMessage m, FixOrder order, ref OrderCommand cmd, out string? problem)
    {
        var entered = new OrderCommand { Side = order.Side, Type = FixOrderTypes.Of(FixOrderTypes.Code(order.Type)) };
        if (!FixOrderTypes.TryReadTrigger(m, order.Instrument, ref entered, out problem)) return false;
        if (m.Has(FixCustomTags.TriggerDirection) && entered.Type != order.Type)
        {
            problem = "TriggerDirection (5109) must be the order's own: a replace does not turn a stop into a take-profit or back";
            return false;
        }
        if (entered.TriggerPrice != order.StopPx) cmd.TriggerPrice = entered.TriggerPrice;
        return true;
    }

    private void MassCancel(FixMessage m, FixSession session)
    {
        string clOrdId = m.GetString(FixTags.ClOrdId)!;
        byte type = m.GetChar(FixTags.MassCancelRequestType);
        string? symbol = m.GetString(FixTags.Symbol);
        string reportId = "MC" + Interlocked.Increment(ref _massCancelIds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var w = connection.Fields;

        void Refuse(int reason, string text)
        {
            FixSession.WriteMassCancelReport(w, new MassCancelOutcome
            {
                ClOrdId = clOrdId, ReportId = reportId, RequestType = type == 0 ? (byte)'7' : type, Symbol = symbol, Rejected = true,
                RejectReason = reason, Text = text,
            });
            session.Send(FixMsgTypes.OrderMassCancelReport, w.Written, app: true);
        }

        int instrument = -1;
        if (type == (byte)'1')
        {
            if (!session.Pipeline.Instruments.TryGet(symbol!, out var inst)) // Symbol: conditionally required, validated
            {
                Refuse(1, "unknown symbol");
                return;
            }
            instrument = inst.Index;
        }
        else if (type != (byte)'7')
        {
            Refuse(0, "MassCancelRequestType must be 1 (security) or 7 (all orders)");
            return;
        }
        var outcome = new MassCancelOutcome { ClOrdId = clOrdId, ReportId = reportId, RequestType = type, Symbol = symbol };
        if (!session.Pipeline.OrderEntryEnabled)
        {
            Refuse(99, RejectReason.NotLeader.Name());
            return;
        }
        var completion = new FixMassCancel(session, outcome, session.Pipeline.Outbox, session.Pipeline.ShardsFor(instrument));
        if (!session.Pipeline.CancelAll(session.AccountId, instrument, CancelReason.User, completion))
            Refuse(99, RejectReason.Overloaded.Name());
    }
}
