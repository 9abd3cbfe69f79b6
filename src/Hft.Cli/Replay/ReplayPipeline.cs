using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Risk;

namespace Hft.Cli.Replay;

/// <summary>
/// The replay's composition root, one thread, in pipeline order:
/// 1. the engine validates the command (symbol, grid, ids) without side effects;
/// 2. pre-trade risk checks it (and gives market orders their band protection);
/// 3. the matching stage runs it (a rejection from 1 or 2 becomes its rejected event);
/// 4. risk settles the events (positions, PnL, reservations);
/// 5. the events are published (written as JSON lines).
/// </summary>
public sealed class ReplayPipeline
{
    private readonly EventJsonWriter _writer;

    public ReplayPipeline(EventJsonWriter writer, InstrumentRegistry instruments, AccountDirectory accounts)
    {
        _writer = writer;
        Instruments = instruments;
        Accounts = accounts;
        Engine = new MatchingEngine(new EngineOptions { OrderCapacity = 1 << 16, OrderIdCapacity = 1 << 20 });
        Risk = new RiskStage(new RiskOptions { RejectUndeclaredAccounts = false });
    }

    public InstrumentRegistry Instruments { get; }

    public AccountDirectory Accounts { get; }

    public MatchingEngine Engine { get; }

    public RiskStage Risk { get; }

    public void Execute(ref ReplayLine line)
    {
        switch (line.Kind)
        {
            case ReplayLineKind.Instrument:
            {
                var inst = Instruments[line.InstrumentIndex];
                Engine.AddInstrument(inst);
                var riskInstrument = Risk.AddInstrument(inst);
                if (line.PriceBandPct is { } band) riskInstrument.BandPct = band;
                break;
            }
            case ReplayLineKind.Command:
                Submit(ref line.Command);
                break;
            case ReplayLineKind.Account:
                UpdateAccount(in line.Account);
                break;
            case ReplayLineKind.Mark:
                Risk.Instrument(line.InstrumentIndex)!.Mark = line.Price;
                break;
            case ReplayLineKind.Halt:
            case ReplayLineKind.Resume:
                Risk.Instrument(line.InstrumentIndex)!.Halted = line.Kind == ReplayLineKind.Halt;
                break;
        }
    }

    private void Submit(ref OrderCommand cmd)
    {
        Risk.PreTrade(Engine, ref cmd);
        Publish(Engine.Process(in cmd));
    }

    private void UpdateAccount(in AccountUpdate u)
    {
        var account = Risk.Account(u.AccountId);
        account.Declared = true;
        var l = account.Limits;
        account.Limits = l with
        {
            Credit = u.Credit.Or(l.Credit),
            MaxOrderQty = u.MaxOrderQty.Or(l.MaxOrderQty),
            MaxOrderNotional = u.MaxOrderNotional.Or(l.MaxOrderNotional),
            MaxPosition = u.MaxPosition.Or(l.MaxPosition),
            MaxOpenOrders = u.MaxOpenOrders.Or(l.MaxOpenOrders),
            MakerFeeBps = u.MakerFeeBps.Or(l.MakerFeeBps),
            TakerFeeBps = u.TakerFeeBps.Or(l.TakerFeeBps),
        };
        if (u.Enabled is { } enabled)
        {
            account.Enabled = enabled;
            // Kill switch: disabling cancels every open order of the account.
            if (!enabled) Publish(Engine.Process(OrderCommand.MassCancel(u.AccountId, -1, CancelReason.AccountDisabled)));
        }
    }

    private void Publish(ReadOnlySpan<EngineEvent> events)
    {
        Risk.Apply(events);
        foreach (ref readonly var e in events) _writer.Write(in e);
    }

    /// <summary>The deterministic hash of the whole state (the same function the server serves at /debug/state-hash).</summary>
    public string StateHash() => Hft.Journal.StateHash.Compute(Instruments, [Engine], Risk.Book, Accounts.Name);

    /// <summary>After the last command: books, then positions and accounts of declared accounts.</summary>
    public void WriteFinalState()
    {
        foreach (var book in Engine.Books) _writer.WriteBook(book);
        foreach (var account in Risk.Accounts)
        {
            if (!account.Declared) continue;
            string name = Accounts.Name(account.Id);
            for (int i = 0; i < Instruments.Count; i++)
            {
                var inst = Risk.Instrument(i);
                if (inst is null || i >= account.InstrumentCapacity) continue;
                ref var pos = ref account.Position(i);
                if (pos.Active) _writer.WritePosition(name, inst, in pos);
            }
        }
        foreach (var account in Risk.Accounts)
        {
            if (account.Declared) _writer.WriteAccount(Accounts.Name(account.Id), account, Risk);
        }
    }
}
