using Hft.Core.Matching;
using Hft.Core.Orders;

namespace Hft.Risk.Tests.Property;

/// <summary>One generated step: a command, or an admin action (mark, halt/resume, kill switch, re-enable).</summary>
public enum StepKind { Command, Mark, Halt, Resume, Kill, Enable }

public record struct Step(StepKind Kind, OrderCommand Command, int Account, int Instrument, long Price);

/// <summary>Limits of one account, as decimals for the model and as the <see cref="AccountLimits"/> risk gets.</summary>
public sealed record ModelLimits(decimal? Credit, decimal? MaxQty, decimal? MaxNotional, decimal? MaxPosition, int? MaxOpen,
    decimal MakerBps, decimal TakerBps)
{
    public AccountLimits ToRisk() => new()
    {
        Credit = Amt(Credit), MaxOrderQty = Amt(MaxQty), MaxOrderNotional = Amt(MaxNotional), MaxPosition = Amt(MaxPosition),
        MaxOpenOrders = MaxOpen, MakerFeeBps = Amt(MakerBps)!.Value, TakerFeeBps = Amt(TakerBps)!.Value,
    };

    private static Hft.Core.Numerics.Amount? Amt(decimal? d)
        => d is { } v ? Support.Ev.A(v.ToString(System.Globalization.CultureInfo.InvariantCulture)) : null;
}

/// <summary>A random market set-up and command stream, built deterministically from rows of small integers.</summary>
public sealed class Scenario
{
    public const int Accounts = 4; // ids 1..4, all declared

    /// <summary>tick, lot, base price in ticks (≈ 100 money each).</summary>
    public static readonly (string Tick, string Lot, decimal TickD, decimal LotD, long Base)[] Grids =
    [
        ("1", "1", 1m, 1m, 100),
        ("0.5", "0.1", 0.5m, 0.1m, 200),
        ("0.01", "1", 0.01m, 1m, 10_000),
    ];

    public decimal?[] Bands { get; } = new decimal?[Grids.Length];
    public long[] Marks { get; } = new long[Grids.Length];
    public ModelLimits[] Limits { get; } = new ModelLimits[Accounts + 1];
    public List<Step> Steps { get; } = new();

    private static T Pick<T>(int x, params T[] options) => options[x % options.Length];

    private static long PriceNear(int instrument, int x)
    {
        long b = Grids[instrument].Base;
        return b + (x % 31 - 15) * b / 100; // ±15%: around typical bands
    }

    public static Scenario Build(int[] config, int[][] rows)
    {
        var s = new Scenario();
        int c = 0;
        int Next() => config[c++ % config.Length];
        for (int i = 0; i < Grids.Length; i++)
        {
            s.Bands[i] = Pick<decimal?>(Next(), null, null, 5m, 10m, 2.5m);
            s.Marks[i] = Next() % 3 == 0 ? 0 : PriceNear(i, Next());
        }
        for (int a = 1; a <= Accounts; a++)
        {
            bool Set() => Next() % 10 < 7;
            s.Limits[a] = new ModelLimits(
                Set() ? Pick(Next(), 1000m, 3000m, 8000m, 20000m) : null,
                Set() ? Pick(Next(), 2m, 5m, 10m, 15m) : null,
                Set() ? Pick(Next(), 300m, 1000m, 2500m) : null,
                Set() ? Pick(Next(), 5m, 15m, 30m) : null,
                Set() ? Pick(Next(), 1, 2, 4, 8) : null,
                Pick(Next(), 0m, -1m, 0.5m),
                Pick(Next(), 0m, 2m, 1.25m));
        }

        long nextId = 1;
        var issued = new List<(long Id, int Account, int Instrument)>();
        foreach (var r in rows)
        {
            int kind = r[0], account = 1 + r[1] % Accounts, inst = r[2] % Grids.Length;
            long qty = 1 + r[5] % 20;
            if (inst == 1) qty *= 3;
            if (kind < 450)
            {
                var side = r[3] % 2 == 0 ? Side.Buy : Side.Sell;
                int t = r[3] / 2 % 10;
                var tif = t < 6 || t == 9 ? TimeInForce.Gtc : t < 8 ? TimeInForce.Ioc : TimeInForce.Fok;
                var stp = r[6] % 3 == 0 ? (SelfTradePrevention)(r[6] / 3 % 4) : SelfTradePrevention.None;
                long id = r[7] % 50 == 0 && issued.Count > 0 ? issued[r[7] % issued.Count].Id : nextId++; // some duplicates
                var cmd = OrderCommand.NewLimit(id, account, inst, side, PriceNear(inst, r[4]), qty, tif, postOnly: t == 9, stp);
                s.Steps.Add(new Step(StepKind.Command, cmd, account, inst, 0));
                issued.Add((id, account, inst));
            }
            else if (kind < 550)
            {
                var side = r[3] % 2 == 0 ? Side.Buy : Side.Sell;
                var tif = r[3] / 2 % 3 == 0 ? TimeInForce.Fok : TimeInForce.Ioc;
                var stp = r[6] % 3 == 0 ? (SelfTradePrevention)(r[6] / 3 % 4) : SelfTradePrevention.None;
                var cmd = OrderCommand.NewMarket(nextId++, account, inst, side, qty, tif, stp);
                s.Steps.Add(new Step(StepKind.Command, cmd, account, inst, 0));
            }
            else if (kind < 850)
            {
                if (issued.Count == 0) continue;
                var (id, owner, oInst) = issued[r[7] % issued.Count];
                int who = r[6] % 10 == 0 ? account : owner;
                OrderCommand cmd;
                if (kind < 680) cmd = OrderCommand.Cancel(id, who, oInst);
                else
                {
                    cmd = OrderCommand.Replace(id, who, oInst, PriceNear(oInst, r[4]), qty);
                    if (r[4] % 3 == 0) { cmd.HasPrice = false; cmd.Price = 0; }
                }
                s.Steps.Add(new Step(StepKind.Command, cmd, who, oInst, 0));
            }
            else if (kind < 900) s.Steps.Add(new Step(StepKind.Mark, default, 0, inst, r[4] % 5 == 0 ? 0 : PriceNear(inst, r[4])));
            else if (kind < 925) s.Steps.Add(new Step(StepKind.Kill, default, account, 0, 0));
            else if (kind < 960) s.Steps.Add(new Step(StepKind.Enable, default, account, 0, 0));
            else if (kind < 975) s.Steps.Add(new Step(StepKind.Halt, default, 0, inst, 0));
            else s.Steps.Add(new Step(StepKind.Resume, default, 0, inst, 0));
        }
        return s;
    }
}
