using Hft.Core.Orders;

namespace Hft.Tools.Loadgen;

/// <summary>
/// The request mix: 60% passive GTC limits 1-20 ticks off the mid, 10% GTC limits 0-2 ticks through it (they may
/// trade), 5% IOC through it, 15% cancels and 10% replaces of live orders; quantities 1-10 lots. A connection
/// holding more than <see cref="MaxLive"/> live orders cancels instead of adding.
/// </summary>
public sealed class OrderMix(long mid, int seed)
{
    public const int MaxLive = 200;

    public Random Random { get; } = new(seed);

    public void Next(ConnectionLoad load, long now)
    {
        var target = load.Target!;
        int roll = Random.Next(100);
        if (load.LiveCount > MaxLive) roll = 80;
        if (roll >= 75)
        {
            var kind = roll < 90 ? RequestKind.Cancel : RequestKind.Replace;
            ulong live = load.TakeLiveOrder(Random, now, kind);
            if (live != 0)
            {
                if (kind == RequestKind.Cancel) target.Cancel(live);
                else target.Replace(live, Random.Next(1, 11), PassivePrice(Random.Next(2) == 0 ? Side.Buy : Side.Sell));
                return;
            }
        }
        var side = Random.Next(2) == 0 ? Side.Buy : Side.Sell;
        ulong id = load.NextNewOrder(now);
        long qty = Random.Next(1, 11);
        if (roll < 60) target.NewOrder(id, side, TimeInForce.Gtc, PassivePrice(side), qty);
        else target.NewOrder(id, side, roll < 70 || roll >= 75 ? TimeInForce.Gtc : TimeInForce.Ioc, AggressivePrice(side), qty);
    }

    private long PassivePrice(Side side) => side == Side.Buy ? mid - Random.Next(1, 21) : mid + Random.Next(1, 21);

    private long AggressivePrice(Side side) => side == Side.Buy ? mid + Random.Next(0, 3) : mid - Random.Next(0, 3);
}
