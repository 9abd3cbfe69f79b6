using CsCheck;

namespace Hft.Core.Tests.Property;

/// <summary>
/// Random command streams for model-based tests. CsCheck generates one row of small "dice" per command
/// (so streams shrink well); <see cref="Build"/> turns the dice into commands, remembering which ids it
/// issued so that cancels and replaces mostly aim at orders that exist (and sometimes at ones that do not).
/// Three instruments (0..2), three accounts (so self-trade prevention triggers), prices in a narrow band.
/// Stops and take-profits trigger inside that band, icebergs show small slices, good-till-date orders expire a few
/// clock steps ahead of the expiry commands, whose clock only moves forward.
/// </summary>
public static class CommandStreamGen
{
    public const int Instruments = 3;
    public const int Dice = 14;

    /// <summary>Ids at the edges of the id space, also checked for hash-index handling of 0 and negatives.</summary>
    private static readonly long[] s_oddIds = [0, -1, long.MaxValue, long.MinValue, 1L << 40, -(1L << 40)];

    public static readonly Gen<OrderCommand[]> Streams =
        Gen.Int[0, 999].Array[Dice].Array[150, 250].Select(Build);

    public static OrderCommand[] Build(int[][] rows)
    {
        var issued = new List<(long Id, int Account, int Instrument)>();
        long nextId = 1;
        long clock = 0;
        var commands = new OrderCommand[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var d = rows[i];
            int op = d[0] % 100;
            var cmd = op < 60 ? NewOrder(d, issued, ref nextId, clock)
                : op < 76 ? Cancel(d, issued)
                : op < 93 ? Replace(d, issued)
                : op < 96 ? MassCancel(d)
                : op < 99 ? OrderCommand.Expire(clock += d[1] % 4)
                : new OrderCommand { Op = (CommandOp)9, OrderId = 424242, Account = 1, Instrument = 0 };
            if (d[10] % 100 < 2) cmd.EdgeReject = d[10] % 2 == 0 ? RejectReason.InvalidPrice : RejectReason.UnknownSymbol;
            commands[i] = cmd;
        }
        return commands;
    }

    private static OrderCommand NewOrder(int[] d, List<(long Id, int Account, int Instrument)> issued, ref long nextId, long clock)
    {
        long id = (d[1] % 100) switch
        {
            < 92 => nextId++,
            92 => s_oddIds[d[2] % s_oddIds.Length],
            _ => issued.Count == 0 ? nextId++ : issued[d[2] % issued.Count].Id,
        };
        int account = 1 + d[3] % 3;
        int instrument = Instrument(d[4]);
        var type = (d[5] % 100) switch
        {
            < 12 => OrderType.Market,
            12 => (OrderType)7,
            < 18 => OrderType.Stop,
            < 24 => OrderType.StopLimit,
            < 28 => OrderType.TakeProfit,
            < 32 => OrderType.TakeProfitLimit,
            _ => OrderType.Limit,
        };
        int tifRoll = d[6] % 100;
        var tif = tifRoll < 40 ? TimeInForce.Gtc : tifRoll < 55 ? TimeInForce.Gtd : tifRoll < 72 ? TimeInForce.Ioc
            : tifRoll < 99 ? TimeInForce.Fok : (TimeInForce)0;
        var stp = (d[7] % 100) switch
        {
            < 40 => SelfTradePrevention.None,
            < 55 => SelfTradePrevention.CancelTaker,
            < 75 => SelfTradePrevention.CancelMaker,
            < 99 => SelfTradePrevention.CancelBoth,
            _ => (SelfTradePrevention)5,
        };
        bool postOnly = d[7] / 100 < 2; // 20 %, whatever the type: invalid combinations are rejected
        var side = d[8] % 100 == 0 ? (Side)0 : d[8] % 2 == 0 ? Side.Buy : Side.Sell;
        var cmd = new OrderCommand
        {
            Op = CommandOp.New, OrderId = id, Account = account, Instrument = instrument, Side = side, Type = type,
            Tif = tif, Stp = stp, PostOnly = postOnly, Price = Price(d[9]), HasPrice = true, Quantity = Quantity(d[8] / 10),
        };
        // A market order's price only counts as a price-band protection limit when HasPrice is set.
        if (type is OrderType.Market or OrderType.Stop or OrderType.TakeProfit) cmd.HasPrice = d[9] / 100 < 4;
        cmd.TriggerPrice = type.IsTriggered()
            ? (d[11] % 100) switch { < 97 => 94 + d[11] % 13, 97 => 0, 98 => -1, _ => Hft.Core.Instruments.Instrument.MaxPriceTicks + 1 }
            : d[11] % 100 < 98 ? 0 : 100;
        cmd.DisplayQuantity = (d[12] % 100) switch
        {
            < 70 => 0,
            < 94 => 1 + d[12] % 3,
            < 98 => cmd.Quantity,
            98 => -1,
            _ => cmd.Quantity + 1,
        };
        cmd.ExpireTime = tif == TimeInForce.Gtd
            ? (d[13] % 100) switch { < 97 => clock + 1 + d[13] % 12, 97 => 0, 98 => -5, _ => clock }
            : d[13] % 100 < 98 ? 0 : clock + 3;
        issued.Add((id, account, instrument));
        return cmd;
    }

    private static OrderCommand MassCancel(int[] d)
    {
        int instrument = d[4] % 4 == 3 ? -1 : Instrument(d[4]);
        var reason = (d[5] % 4) switch { 0 => CancelReason.None, 1 => CancelReason.User, 2 => CancelReason.Admin, _ => CancelReason.AccountDisabled };
        return OrderCommand.MassCancel(1 + d[3] % 3, instrument, reason);
    }

    private static OrderCommand Cancel(int[] d, List<(long Id, int Account, int Instrument)> issued)
    {
        var (id, account, instrument) = Target(d, issued);
        return OrderCommand.Cancel(id, account, instrument);
    }

    private static OrderCommand Replace(int[] d, List<(long Id, int Account, int Instrument)> issued)
    {
        var (id, account, instrument) = Target(d, issued);
        var cmd = OrderCommand.Replace(id, account, instrument, Price(d[9]), Quantity(d[8] / 10));
        cmd.HasPrice = d[5] % 100 >= 30;
        if (d[11] % 100 < 25) cmd.TriggerPrice = d[11] % 100 == 0 ? -1 : 94 + d[11] % 13;
        return cmd;
    }

    /// <summary>Mostly a recently issued order with its own account and instrument; sometimes a stranger.</summary>
    private static (long Id, int Account, int Instrument) Target(int[] d, List<(long Id, int Account, int Instrument)> issued)
    {
        if (issued.Count == 0 || d[1] % 100 >= 95) return (1_000_000 + d[2], 1 + d[3] % 3, Instrument(d[4]));
        int back = d[1] % 100 < 70 ? d[2] % Math.Min(12, issued.Count) : d[2] % issued.Count;
        var (id, account, instrument) = issued[issued.Count - 1 - back];
        if (d[3] % 100 >= 90) account = 1 + (account % 3);
        if (d[4] % 100 >= 95) instrument = Instrument(d[4] / 100);
        return (id, account, instrument);
    }

    private static int Instrument(int roll) => (roll % 100) switch
    {
        < 97 => roll % Instruments,
        97 => Instruments, // a valid-looking index the engine does not trade
        98 => -1,
        _ => 99,
    };

    private static long Price(int roll) => (roll % 100) switch
    {
        < 96 => 95 + roll % 11,
        96 => 0,
        97 => -(roll % 7) - 1,
        98 => Hft.Core.Instruments.Instrument.MaxPriceTicks + 1,
        _ => Hft.Core.Instruments.Instrument.MaxPriceTicks,
    };

    private static long Quantity(int roll) => (roll % 100) switch
    {
        < 95 => 1 + roll % 10,
        95 => 0,
        96 => -(roll % 5) - 1,
        97 => Hft.Core.Instruments.Instrument.MaxQuantityLots + 1,
        98 => Hft.Core.Instruments.Instrument.MaxQuantityLots,
        _ => 25,
    };
}
