using System.Text;
using Hft.Core.Instruments;
using Hft.Core.Numerics;
using Hft.Risk;

namespace Hft.Cli.Bench;

/// <summary>
/// The pre-trade risk set-up of the <c>risk</c> scenario: every one of the flow's accounts is declared, with
/// every kind of limit, and the instrument has a price band and a mark. The limits are sized against the
/// generated flow (prices ~1,000.00 a lot, 1-10 lots an order, ~1% of the flow per account) so that most
/// orders pass and a small share (a few %) is rejected, by every risk check:
/// <list type="bullet">
/// <item>price band ±<see cref="BandPct"/>% around the last trade (the mark before the first trade);</item>
/// <item>max order quantity 9 lots on accounts ≡ 0 (mod 25), 10 elsewhere (the flow's largest order);</item>
/// <item>max order notional 9,000 on accounts ≡ 1 (mod 25), 20,000 elsewhere;</item>
/// <item>max open orders 3 on accounts ≡ 2 (mod 25), 50 elsewhere;</item>
/// <item>max position 120 lots (worst case, all open orders of one side filled): an account's position random-walks
/// with the flow and the limit reflects it;</item>
/// <item>credit 300,000 (exposure at the mark plus open notional, checked on every order, binding rarely), except
/// account 3 with 60,000: once its position nears 60 lots, nearly all its orders are refused (a reducing order
/// that would rest also adds exposure), until fills of its resting orders bring the position back down.</item>
/// </list>
/// With the default stream (2,000,000 commands, seed 20240601) about 2.9% of commands are refused by risk.
/// Maker/taker fees (-0.5 / 2.5 bps) make settlement compute fees on every fill.
/// </summary>
internal static class RiskProfile
{
    public const string BandPct = "0.03";
    public const int MaxPositionLots = 120;
    public const long CreditMoney = 300_000;
    public const long TightCreditMoney = 60_000;

    public static RiskStage Create(InstrumentRegistry instruments, int accounts, int openOrderCapacity)
    {
        var risk = new RiskStage(new RiskOptions
        {
            RejectUndeclaredAccounts = true,
            OpenOrderCapacity = openOrderCapacity,
        });
        foreach (var instrument in instruments.All)
        {
            var ri = risk.AddInstrument(instrument);
            ri.BandPct = Parse(BandPct);
            ri.Mark = OrderFlowGenerator.BasePrice;
        }
        for (int id = 0; id < accounts; id++)
        {
            var account = risk.Account(id);
            account.Declared = true;
            account.Limits = new AccountLimits
            {
                Credit = Whole(id == 3 ? TightCreditMoney : CreditMoney),
                MaxOrderQty = Whole(id % 25 == 0 ? 9 : 10),
                MaxOrderNotional = Whole(id % 25 == 1 ? 9_000 : 20_000),
                MaxPosition = Whole(MaxPositionLots),
                MaxOpenOrders = id % 25 == 2 ? 3 : 50,
                MakerFeeBps = Parse("-0.5"),
                TakerFeeBps = Parse("2.5"),
            };
        }
        return risk;
    }

    private static Amount Whole(long n) => new(n * Amount.One);

    private static Amount Parse(string text)
        => Amount.TryParse(Encoding.UTF8.GetBytes(text), out var a) ? a : throw new InvalidOperationException($"bad amount {text}");
}
