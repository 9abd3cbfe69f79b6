using static Hft.Core.Orders.Side;

namespace Hft.Core.Tests.Golden;

/// <summary>Good-till-date orders, hand-derived: an expiry command cancels what is due, earliest first, and replays exactly.</summary>
public class ExpiryGoldenTests
{
    private static OrderCommand[] Session() =>
    [
        Cmd.Gtd(1, 1, Buy, 99, 5, expire: 50),
        Cmd.Gtd(3, 2, Sell, 101, 5, expire: 40),
        Cmd.Stop(2, 1, Buy, OrderType.StopLimit, trigger: 110, qty: 1, price: 111, tif: TimeInForce.Gtd, expire: 40),
        OrderCommand.Expire(39),
        OrderCommand.Expire(40),
        Cmd.Limit(4, 3, Sell, 99, 2),
        OrderCommand.Expire(100),
        OrderCommand.Expire(100),
    ];

    [Fact]
    public void Expiry_cancels_due_orders_by_expire_time_then_id_resting_and_pending_alike()
    {
        var g = new GoldenEngine();
        var s = Session();
        g.Rest(s[0], s[1], s[2]);
        Assert.Equal(40, g.Engine.NextExpiry);
        Assert.Empty(g.Run(s[3]));
        Assert.Equal(
        [
            Expect.Canceled(2, 1, Buy, 111, 1, CancelReason.Expired),
            Expect.Canceled(3, 2, Sell, 101, 5, CancelReason.Expired),
        ], g.Run(s[4]));
        g.Run(s[5]);
        Assert.Equal([Expect.Canceled(1, 1, Buy, 99, 3, CancelReason.Expired)], g.Run(s[6]));
        Assert.Empty(g.Run(s[7]));
        Assert.Empty(g.L3(Buy));
    }

    [Fact]
    public void Replaying_the_commands_expires_exactly_the_same_orders()
    {
        static string Run(OrderCommand[] commands)
        {
            var engine = TestMarket.Engine(1);
            var text = new System.Text.StringBuilder();
            foreach (var c in commands)
                foreach (ref readonly var e in engine.Process(in c)) EventText.AppendFull(text, in e);
            return text.ToString();
        }
        Assert.Equal(Run(Session()), Run(Session()));
        Assert.Contains("|10|", Run(Session())); // cancel reason expired
    }

    [Fact]
    public void Gtd_needs_an_expire_time_and_only_gtd_may_have_one()
    {
        var g = new GoldenEngine();
        Assert.Equal([Expect.Rejected(1, 1, CommandOp.New, RejectReason.InvalidExpireTime)], g.Run(Cmd.Gtd(1, 1, Buy, 99, 5, expire: 0)));
        var gtc = Cmd.Limit(2, 1, Buy, 99, 5);
        gtc.ExpireTime = 10;
        Assert.Equal([Expect.Rejected(2, 1, CommandOp.New, RejectReason.InvalidExpireTime)], g.Run(gtc));
    }
}
