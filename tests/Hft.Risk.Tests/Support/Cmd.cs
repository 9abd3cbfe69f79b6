using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Risk.Tests.Support;

/// <summary>Short command constructors for the example tests.</summary>
public static class Cmd
{
    public static OrderCommand Buy(long id, int account, long price, long qty, int instrument = 0, TimeInForce tif = TimeInForce.Gtc)
        => OrderCommand.NewLimit(id, account, instrument, Side.Buy, price, qty, tif);

    public static OrderCommand Sell(long id, int account, long price, long qty, int instrument = 0, TimeInForce tif = TimeInForce.Gtc)
        => OrderCommand.NewLimit(id, account, instrument, Side.Sell, price, qty, tif);

    public static OrderCommand MarketBuy(long id, int account, long qty, int instrument = 0)
        => OrderCommand.NewMarket(id, account, instrument, Side.Buy, qty);

    public static OrderCommand MarketSell(long id, int account, long qty, int instrument = 0)
        => OrderCommand.NewMarket(id, account, instrument, Side.Sell, qty);

    public static OrderCommand Cancel(long id, int account, int instrument = 0) => OrderCommand.Cancel(id, account, instrument);

    public static OrderCommand Replace(long id, int account, long price, long qty, int instrument = 0)
        => OrderCommand.Replace(id, account, instrument, price, qty);
}
