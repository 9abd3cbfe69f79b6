namespace Hft.Core.Tests.Support;

/// <summary>Short command constructors for hand-written scenarios (instrument 0 unless told).</summary>
public static class Cmd
{
    public static OrderCommand Limit(long id, int account, Side side, long price, long qty, TimeInForce tif = TimeInForce.Gtc,
        bool postOnly = false, SelfTradePrevention stp = SelfTradePrevention.None, int ins = 0)
        => OrderCommand.NewLimit(id, account, ins, side, price, qty, tif, postOnly, stp);

    public static OrderCommand Market(long id, int account, Side side, long qty, TimeInForce tif = TimeInForce.Ioc,
        SelfTradePrevention stp = SelfTradePrevention.None, int ins = 0)
        => OrderCommand.NewMarket(id, account, ins, side, qty, tif, stp);

    /// <summary>A stop / take-profit (<paramref name="price"/> only for the limit types).</summary>
    public static OrderCommand Stop(long id, int account, Side side, OrderType type, long trigger, long qty, long price = 0,
        TimeInForce tif = TimeInForce.Gtc, long expire = 0, int ins = 0)
    {
        var c = OrderCommand.NewTriggered(id, account, ins, side, type, trigger, price, qty, tif);
        c.ExpireTime = expire;
        return c;
    }

    public static OrderCommand Iceberg(long id, int account, Side side, long price, long qty, long display, int ins = 0)
    {
        var c = OrderCommand.NewLimit(id, account, ins, side, price, qty);
        c.DisplayQuantity = display;
        return c;
    }

    /// <summary>A good-till-date limit expiring at <paramref name="expire"/>.</summary>
    public static OrderCommand Gtd(long id, int account, Side side, long price, long qty, long expire, int ins = 0)
    {
        var c = OrderCommand.NewLimit(id, account, ins, side, price, qty, TimeInForce.Gtd);
        c.ExpireTime = expire;
        return c;
    }

    public static OrderCommand Cancel(long id, int account, int ins = 0) => OrderCommand.Cancel(id, account, ins);

    public static OrderCommand Replace(long id, int account, long price, long qty, int ins = 0)
        => OrderCommand.Replace(id, account, ins, price, qty);

    /// <summary>Replace that keeps the current price (HasPrice = false).</summary>
    public static OrderCommand ReplaceQty(long id, int account, long qty, int ins = 0)
    {
        var c = OrderCommand.Replace(id, account, ins, 0, qty);
        c.HasPrice = false;
        return c;
    }
}
