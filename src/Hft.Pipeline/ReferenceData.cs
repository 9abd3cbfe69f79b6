using System.Text;
using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Numerics;
using Hft.Pipeline.State;
using Hft.Risk;

namespace Hft.Pipeline;

/// <summary>
/// What the pipeline trades and for whom, from the configuration: instruments (tick, lot, band, initial mark; symbols
/// not enabled start halted) and accounts (limits, with <c>[risk]</c> defaults for those they do not set), in the risk
/// book every shard shares.
/// </summary>
public sealed class ReferenceData
{
    private ReferenceData()
    {
    }

    public InstrumentRegistry Instruments { get; } = new();

    public RiskBook RiskBook { get; } = new();

    public AccountRegistry Accounts { get; } = new();

    public static ReferenceData From(HftConfig config)
    {
        var data = new ReferenceData();
        var enabled = new HashSet<string>(config.Trading.EnabledSymbols, StringComparer.Ordinal);
        foreach (var ic in config.Trading.Instruments)
        {
            if (!ScaledUnit.TryParse(Encoding.ASCII.GetBytes(ic.Tick), out var tick, out var tickError))
                throw new InvalidOperationException($"instrument {ic.Symbol}: tick {tickError}");
            if (!ScaledUnit.TryParse(Encoding.ASCII.GetBytes(ic.Lot), out var lot, out var lotError))
                throw new InvalidOperationException($"instrument {ic.Symbol}: lot {lotError}");
            if (!data.Instruments.TryAdd(ic.Symbol, tick, lot, out var instrument, out var error))
                throw new InvalidOperationException(error);
            var ri = data.RiskBook.AddInstrument(instrument);
            if (ic.PriceBandPct is { } band && Amount.TryParse(Encoding.ASCII.GetBytes(band), out var pct)) ri.BandPct = pct;
            if (ic.MarkPrice is { } mark && instrument.TryParsePrice(Encoding.ASCII.GetBytes(mark), out long markTicks) == RejectReason.None)
                ri.Mark = markTicks;
            ri.Halted = !enabled.Contains(ic.Symbol);
        }
        foreach (var ac in config.Accounts) data.Declare(ac, config.Risk);
        return data;
    }

    /// <summary>Declares an account with its limits (the account's own, else the defaults); returns its id.</summary>
    public int Declare(AccountConfig ac, RiskConfig defaults)
    {
        int id = Accounts.GetOrAdd(ac.Id);
        var account = RiskBook.Account(id);
        lock (account.Sync)
        {
            account.Declared = true;
            account.Enabled = ac.Enabled;
            account.Limits = new AccountLimits
            {
                Credit = ParseLimit(ac.Credit ?? defaults.Credit),
                MaxOrderQty = ParseLimit(ac.MaxOrderQty ?? defaults.MaxOrderQty),
                MaxOrderNotional = ParseLimit(ac.MaxOrderNotional ?? defaults.MaxOrderNotional),
                MaxPosition = ParseLimit(ac.MaxPosition ?? defaults.MaxPosition),
                MaxOpenOrders = ac.MaxOpenOrders ?? defaults.MaxOpenOrders,
                MakerFeeBps = ParseLimit(ac.MakerFeeBps ?? defaults.MakerFeeBps) ?? Amount.Zero,
                TakerFeeBps = ParseLimit(ac.TakerFeeBps ?? defaults.TakerFeeBps) ?? Amount.Zero,
            };
        }
        return id;
    }

    private static Amount? ParseLimit(string? text)
    {
        if (text is null) return null;
        return Amount.TryParse(Encoding.ASCII.GetBytes(text), out var a)
            ? a
            : throw new InvalidOperationException($"invalid decimal '{text}'");
    }
}
