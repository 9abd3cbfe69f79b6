using Hft.Core.Events;
using Hft.Journal;
using Hft.Pipeline.Durability;
using Hft.Risk;

namespace Hft.Pipeline.Admin;

/// <summary>
/// What an operator (or the reference price feed) changes: halts, marks, the feed's halt and band widening, account
/// limits and the kill switch. Each change is applied through <see cref="AdminStep"/>, journaled as an
/// <see cref="AdminRecord"/> and waited for until durable (operator actions are rare); refused on a follower.
/// </summary>
public sealed class OperatorActions(TradingPipeline pipeline)
{
    private static readonly TimeSpan s_durableTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Kill switch: disable (cancelling every open order on every shard, reason account_disabled) or enable.
    /// Disabling tells <paramref name="reply"/> once per shard (with the cancels); enabling never does.
    /// False when a shard's ring stayed full (its cancels were not queued; the account is disabled all the same).
    /// </summary>
    public bool SetAccountEnabled(int account, bool enabled, ICommandReply? reply = null)
    {
        Change(new AdminRecord(AdminKind.AccountEnabled, -1, account, enabled ? 1 : 0, null));
        return enabled || pipeline.CancelAll(account, -1, CancelReason.AccountDisabled, reply);
    }

    /// <summary>
    /// Halts or resumes trading in an instrument. Resuming lifts a reference price feed's halt too (the operator
    /// overrides it; the feed halts again only after it has been fresh and goes stale again).
    /// </summary>
    public void SetHalted(int instrument, bool halted) => Change(new AdminRecord(halted ? AdminKind.Halt : AdminKind.Resume, instrument, -1, 0, null));

    /// <summary>Sets an instrument's mark price in ticks.</summary>
    public void SetMark(int instrument, long ticks) => Change(new AdminRecord(AdminKind.Mark, instrument, -1, ticks, null));

    /// <summary>The reference price feed halts or lifts its halt; an operator's halt stays in force either way.</summary>
    public void SetFeedHalted(int instrument, bool halted) => Change(new AdminRecord(AdminKind.FeedHalt, instrument, -1, halted ? 1 : 0, null));

    /// <summary>The reference price feed widens the band (factor in millionths; 0 = as configured).</summary>
    public void SetBandWiden(int instrument, long ppm) => Change(new AdminRecord(AdminKind.BandWiden, instrument, -1, ppm, null));

    /// <summary>Replaces an account's limits with <paramref name="change"/>'s result, computed under the account's lock.</summary>
    public AccountLimits SetLimits(int account, Func<AccountLimits, AccountLimits> change)
    {
        var risk = pipeline.RiskBook.Account(account);
        AccountLimits limits;
        lock (risk.Sync) limits = change(risk.Limits);
        Change(new AdminRecord(AdminKind.AccountLimits, -1, account, 0, limits));
        return limits;
    }

    /// <summary>Applies the change, journals it and waits until the journal made it durable.</summary>
    /// <exception cref="NotLeaderException">This node is a follower: the change would fork the group's state.</exception>
    /// <exception cref="IOException">The journal failed, or did not make the change durable in time.</exception>
    private void Change(in AdminRecord record)
    {
        if (!pipeline.OrderEntryEnabled) throw new NotLeaderException(pipeline.LeaderUrl);
        AdminStep.Apply(pipeline.RiskBook, in record);
        Span<byte> payload = stackalloc byte[AdminRecord.MaxSize];
        int n = record.Write(payload);
        var journal = pipeline.Journal;
        long sequence = journal.Append(RecordType.Admin, payload[..n]);
        journal.Flush();
        if (!DurableSignal.Wait(pipeline.Outbox, sequence, s_durableTimeout))
            throw new IOException("the journal did not make an operator action durable within 10 s");
    }
}
