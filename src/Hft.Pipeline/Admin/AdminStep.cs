using Hft.Risk;

namespace Hft.Pipeline.Admin;

/// <summary>
/// The one place an operator record changes state: live (<see cref="OperatorActions"/>, before it is journaled),
/// recovery and replicated followers (as journaled), and <c>./hft replay</c>'s account, mark and halt lines. An
/// account's limits and enabled flag are written under its lock, as the shards read them.
/// </summary>
public static class AdminStep
{
    public static void Apply(RiskBook book, in AdminRecord r)
    {
        switch (r.Kind)
        {
            case AdminKind.Halt or AdminKind.Resume:
                if (book.Instrument(r.Instrument) is { } halted) halted.Halted = r.Kind == AdminKind.Halt;
                break;
            case AdminKind.Mark:
                if (book.Instrument(r.Instrument) is { } marked) marked.Mark = r.Value;
                break;
            case AdminKind.FeedHalt:
                if (book.Instrument(r.Instrument) is { } feedHalted) feedHalted.FeedHalted = r.Value != 0;
                break;
            case AdminKind.BandWiden:
                if (book.Instrument(r.Instrument) is { } widened) widened.BandWidenPpm = r.Value;
                break;
            case AdminKind.AccountEnabled:
                var enabled = book.Account(r.Account);
                lock (enabled.Sync) enabled.Enabled = r.Value != 0;
                break;
            case AdminKind.AccountLimits:
                var limited = book.Account(r.Account);
                lock (limited.Sync) limited.Limits = r.Limits!;
                break;
        }
    }
}
