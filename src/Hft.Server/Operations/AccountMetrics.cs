using Hft.Core.Numerics;
using Hft.Pipeline;
using Prometheus;

namespace Hft.Server.Operations;

/// <summary>
/// The per-account business series - position per symbol, PnL, exposure, risk utilization, open orders, enabled -
/// in a registry of their own, collected when an operator scrapes: /metrics appends them only for the operator's view
/// (<see cref="OpsAccess"/>), so no anonymous scrape ever sees another account's book.
/// </summary>
public sealed class AccountMetrics : IDisposable
{
    private readonly ScrapeHook _scrape;
    private readonly TradingPipeline _pipeline;
    private readonly object _gate = new();
    private readonly double[] _lotSize;
    private readonly Gauge _position, _pnl, _exposure, _utilization, _openOrders, _accountEnabled;

    public AccountMetrics(TradingPipeline pipeline)
    {
        _pipeline = pipeline;
        _lotSize = pipeline.Instruments.All.Select(i => i.Lot.Mantissa / Math.Pow(10, i.Lot.Scale)).ToArray();
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        _position = f.CreateGauge("hft_position", "Signed position in instrument units (long > 0).", "account", "symbol");
        _pnl = f.CreateGauge("hft_pnl", "PnL in quote currency: realized (net of fees) and unrealized (at mark, else last trade).", "account", "kind");
        _exposure = f.CreateGauge("hft_exposure", "Exposure: sum |position| x mark + open quantity x limit price.", "account");
        _utilization = f.CreateGauge("hft_risk_utilization", "Exposure / credit limit (0 when unlimited); alert at 0.9.", "account");
        _openOrders = f.CreateGauge("hft_open_orders", "Resting orders of an account.", "account");
        _accountEnabled = f.CreateGauge("hft_account_enabled", "1 when the account may trade, 0 when disabled (kill switch).", "account");
        _scrape = ScrapeHook.Register(Registry, Collect);
    }

    /// <summary>Served by /metrics to operators only; never the server's main registry.</summary>
    public CollectorRegistry Registry { get; }

    private void Collect()
    {
        lock (_gate)
        {
            var book = _pipeline.RiskBook;
            var stage = _pipeline.Shards[0].Risk;
            var instruments = _pipeline.Instruments.All;
            foreach (var risk in book.Accounts)
            {
                string name = _pipeline.Accounts.Name(risk.Id);
                if (name.Length == 0) continue;
                lock (risk.Sync)
                {
                    var realized = Amount.Zero;
                    var unrealized = Amount.Zero;
                    foreach (var inst in instruments)
                    {
                        if (inst.Index >= risk.InstrumentCapacity) continue;
                        ref var p = ref risk.Position(inst.Index);
                        var ri = book.Instrument(inst.Index)!;
                        realized += p.Realized;
                        unrealized += p.Unrealized(ri.ValuationPrice, ri.NotionalUnit);
                        if (p.Active) _position.WithLabels(name, inst.Symbol).Set(p.Position * _lotSize[inst.Index]);
                    }
                    var exposure = stage.Exposure(risk);
                    _pnl.WithLabels(name, "realized").Set(ToDouble(realized));
                    _pnl.WithLabels(name, "unrealized").Set(ToDouble(unrealized));
                    _exposure.WithLabels(name).Set(ToDouble(exposure));
                    _utilization.WithLabels(name).Set(risk.Limits.Credit is { } credit && credit.Raw > 0 ? (double)exposure.Raw / (double)credit.Raw : 0);
                    _openOrders.WithLabels(name).Set(risk.OpenOrders);
                    _accountEnabled.WithLabels(name).Set(risk.Enabled ? 1 : 0);
                }
            }
        }
    }

    private static double ToDouble(Amount a) => (double)a.Raw / (double)Amount.One;

    /// <summary>Stops collecting for scrapes (the host disposes it when the node stops).</summary>
    public void Dispose() => _scrape.Dispose();
}
