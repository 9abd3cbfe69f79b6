using Hft.Configuration;
using Hft.Core.Instruments;

namespace Hft.Cli.Bench;

/// <summary>
/// The node configuration of the <c>pipeline</c> scenario: the development profile (embedded copy, no environment
/// overrides, so every run is configured alike) with the journal in mode async in a directory of its own, the global
/// throttle off, no periodic snapshots, and the flow's instruments and accounts added beside the profile's.
/// </summary>
internal static class PipelineBenchConfig
{
    /// <summary>Open orders one bench account may hold: far above what the generated flow rests.</summary>
    public const int MaxOpenOrders = 1_000_000;

    public static string AccountName(int account) => $"BENCH-A{account:D3}";

    public static HftConfig Create(string journalDir, InstrumentRegistry instruments, int accounts)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        var symbols = new List<string>(config.Trading.EnabledSymbols);
        var definitions = new List<InstrumentConfig>(config.Trading.Instruments);
        foreach (var instrument in instruments.All)
        {
            symbols.Add(instrument.Symbol);
            definitions.Add(new InstrumentConfig
            {
                Symbol = instrument.Symbol, Tick = instrument.Tick.ToString(), Lot = instrument.Lot.ToString(), PriceBandPct = "10",
                MarkPrice = instrument.FormatPrice(OrderFlowGenerator.BasePrice),
            });
        }
        var declared = new List<AccountConfig>(config.Accounts);
        for (int a = 0; a < accounts; a++)
            declared.Add(new AccountConfig { Id = AccountName(a), MaxOpenOrders = MaxOpenOrders, RequestsPerSecond = 0 });
        return config with
        {
            Journal = config.Journal with { Dir = journalDir, Mode = "async", SnapshotIntervalSeconds = 0 },
            Trading = config.Trading with { MaxOrdersPerSecond = 0, EnabledSymbols = symbols, Instruments = definitions },
            Accounts = declared,
        };
    }
}
