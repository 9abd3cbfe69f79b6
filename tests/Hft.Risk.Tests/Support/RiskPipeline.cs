using Hft.Core.Book;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Risk;

namespace Hft.Risk.Tests.Support;

/// <summary>
/// Engine + risk composed like the replay pipeline: engine.Validate → risk.Check (its reason becomes the
/// command's EdgeReject) → engine.Process → risk.Apply(events). Kill switch: disable, mass cancel, apply.
/// </summary>
public sealed class RiskPipeline
{
    public RiskPipeline(RiskOptions? options = null, EngineOptions? engineOptions = null, params (string Tick, string Lot)[] grids)
    {
        Engine = new MatchingEngine(engineOptions ?? new EngineOptions { OrderCapacity = 1 << 12, OrderIdCapacity = 1 << 14 });
        Risk = new RiskStage(options ?? new RiskOptions { OpenOrderCapacity = 1 << 10 });
        if (grids.Length == 0) grids = [("1", "1"), ("1", "1"), ("1", "1")];
        for (int i = 0; i < grids.Length; i++)
        {
            ScaledUnit.TryParse(System.Text.Encoding.ASCII.GetBytes(grids[i].Tick), out var tick, out _);
            ScaledUnit.TryParse(System.Text.Encoding.ASCII.GetBytes(grids[i].Lot), out var lot, out _);
            if (!Registry.TryAdd("I" + i, tick, lot, out var inst, out var error)) throw new InvalidOperationException(error);
            Engine.AddInstrument(inst);
            Risk.AddInstrument(inst);
        }
    }

    public InstrumentRegistry Registry { get; } = new();

    public MatchingEngine Engine { get; }

    public RiskStage Risk { get; }

    public RiskInstrument Inst(int index) => Risk.Instrument(index)!;

    /// <summary>Declares an account with limits (risk-checked from now on).</summary>
    public AccountRisk Declare(int account, AccountLimits? limits = null)
    {
        var a = Risk.Account(account);
        a.Declared = true;
        a.Limits = limits ?? AccountLimits.Unlimited;
        return a;
    }

    /// <summary>Runs one command through the pipeline; the events are valid until the next call.</summary>
    public ReadOnlySpan<EngineEvent> Run(ref OrderCommand cmd)
    {
        Risk.PreTrade(Engine, ref cmd);
        var events = Engine.Process(in cmd);
        Risk.Apply(events);
        return events;
    }

    /// <summary>Runs one command and copies its events.</summary>
    public EngineEvent[] Submit(OrderCommand cmd) => Run(ref cmd).ToArray();

    /// <summary>Kill switch: disables the account and cancels all its open orders.</summary>
    public EngineEvent[] Kill(int account)
    {
        Risk.Account(account).Enabled = false;
        var events = Engine.Process(OrderCommand.MassCancel(account, -1, CancelReason.AccountDisabled));
        Risk.Apply(events);
        return events.ToArray();
    }

    /// <summary>The engine's live orders of an account, across all books.</summary>
    public int LiveOrdersOf(int account)
    {
        int n = 0;
        var buffer = new OrderView[Engine.Orders.Capacity];
        foreach (var book in Engine.Books)
        {
            foreach (var side in new[] { Hft.Core.Orders.Side.Buy, Hft.Core.Orders.Side.Sell })
            {
                int count = book.CopyOrders(side, buffer);
                for (int i = 0; i < count; i++)
                    if (buffer[i].Account == account) n++;
            }
        }
        return n;
    }
}
