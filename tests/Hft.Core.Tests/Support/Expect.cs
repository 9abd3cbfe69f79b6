namespace Hft.Core.Tests.Support;

/// <summary>Expected events for golden tests, in the text form of <see cref="EventText.Meaningful(in EngineEvent)"/>.</summary>
public static class Expect
{
    public static string Accepted(long id, int account, Side side, long price, long qty, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Accepted, OrderId = id, Account = account, Instrument = ins, Side = side, Price = price, Quantity = qty,
        });

    public static string Rejected(long id, int account, CommandOp op, RejectReason reason, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Rejected, OrderId = id, Account = account, Instrument = ins, Op = op, RejectReason = reason,
        });

    /// <summary>A trade: <paramref name="taker"/> (id, account) of <paramref name="takerSide"/> hits <paramref name="maker"/> at <paramref name="price"/>.</summary>
    public static string Trade(long price, long qty, (long Id, int Account) taker, Side takerSide, long takerRemaining,
        (long Id, int Account) maker, long makerRemaining, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Trade, Instrument = ins, Price = price, Quantity = qty, OrderId = taker.Id, Account = taker.Account,
            Side = takerSide, Remaining = takerRemaining, MakerOrderId = maker.Id, MakerAccount = maker.Account,
            MakerRemaining = makerRemaining,
        });

    public static string Canceled(long id, int account, Side side, long price, long remaining, CancelReason reason, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Canceled, OrderId = id, Account = account, Instrument = ins, Side = side, Price = price,
            Remaining = remaining, CancelReason = reason,
        });

    public static string Replaced(long id, int account, Side side, long price, long qty, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Replaced, OrderId = id, Account = account, Instrument = ins, Side = side, Price = price, Quantity = qty,
        });

    public static string Triggered(long id, int account, Side side, long price, long qty, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Triggered, OrderId = id, Account = account, Instrument = ins, Side = side, Price = price, Quantity = qty,
        });

    public static string Refreshed(long id, int account, Side side, long price, long slice, long remaining, int ins = 0)
        => EventText.Meaningful(new EngineEvent
        {
            Kind = EventKind.Refreshed, OrderId = id, Account = account, Instrument = ins, Side = side, Price = price,
            Quantity = slice, Remaining = remaining,
        });
}
