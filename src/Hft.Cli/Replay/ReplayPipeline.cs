using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Pipeline.Admin;
using Hft.Pipeline.Shards;
using Hft.Risk;

namespace Hft.Cli.Replay;

/// <summary>
/// The replay, one thread: each command takes the server's own <see cref="CommandStep"/> (the engine's validation,
/// pre-trade risk, matching, settlement), each account, mark and halt line the server's <see cref="AdminStep"/>; the
/// events are written as JSON lines. Same step, same state: a replay and a server fed the same commands end with the
/// same state hash.
/// </summary>
public sealed class ReplayPipeline
{
    private readonly EventJsonWriter _writer;

    public ReplayPipeline(EventJsonWriter writer, InstrumentRegistry instruments, AccountDirectory accounts)
    {
        _writer = writer;
        Instruments = instruments;
        Accounts = accounts;
        Step = new CommandStep(new MatchingEngine(new EngineOptions { OrderCapacity = 1 << 16, OrderIdCapacity = 1 << 20 }),
            new RiskStage(new RiskOptions { RejectUndeclaredAccounts = false }));
    }

    public InstrumentRegistry Instruments { get; }

    public AccountDirectory Accounts { get; }

    public CommandStep Step { get; }

    public MatchingEngine Engine => Step.Engine;

    public RiskStage Risk => Step.Risk;

    public void Execute(ref ReplayLine line)
    {
        if (line.Time > 0) ExpireDue(line.Time);
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
                AdminStep.Apply(Risk.Book, new AdminRecord(AdminKind.Mark, line.InstrumentIndex, -1, line.Price, null));
                break;
            case ReplayLineKind.Halt:
            case ReplayLineKind.Resume:
                AdminStep.Apply(Risk.Book, new AdminRecord(line.Kind == ReplayLineKind.Halt ? AdminKind.Halt : AdminKind.Resume, line.InstrumentIndex, -1, 0, null));
                break;
        }
    }

    private void Submit(ref OrderCommand cmd) => Publish(Step.Decide(ref cmd));

    /// <summary>The clock moved to <paramref name="now"/>: an expiry command when an order is due, as the server's timer issues one.</summary>
    private void ExpireDue(long now)
    {
        if (Engine.NextExpiry > now) return;
        var expire = OrderCommand.Expire(now);
        Submit(ref expire);
    }

    private void UpdateAccount(in AccountUpdate u)
    {
        var account = Risk.Account(u.AccountId);
        account.Declared = true;
        var l = account.Limits;
        var limits = l with
        {
            Credit = u.Credit.Or(l.Credit),
            MaxOrderQty = u.MaxOrderQty.Or(l.MaxOrderQty),
            MaxOrderNotional = u.MaxOrderNotional.Or(l.MaxOrderNotional),
            MaxPosition = u.MaxPosition.Or(l.MaxPosition),
            MaxOpenOrders = u.MaxOpenOrders.Or(l.MaxOpenOrders),
            MakerFeeBps = u.MakerFeeBps.Or(l.MakerFeeBps),
            TakerFeeBps = u.TakerFeeBps.Or(l.TakerFeeBps),
        };
        AdminStep.Apply(Risk.Book, new AdminRecord(AdminKind.AccountLimits, -1, u.AccountId, 0, limits));
        if (u.Enabled is { } enabled)
        {
            AdminStep.Apply(Risk.Book, new AdminRecord(AdminKind.AccountEnabled, -1, u.AccountId, enabled ? 1 : 0, null));
            // Kill switch: disabling cancels every open order of the account, as the server's does.
            var cancel = OrderCommand.MassCancel(u.AccountId, -1, CancelReason.AccountDisabled);
            if (!enabled) Publish(Step.Decide(ref cancel));
        }
    }

    private void Publish(ReadOnlySpan<EngineEvent> events)
    {
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
