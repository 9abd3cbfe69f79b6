using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Risk;

namespace Hft.Pipeline.Shards;

/// <summary>
/// The one step a command takes through a shard's state, written once. Everything that changes state calls it: the
/// live shards and <c>./hft replay</c> and the benchmarks <see cref="Decide(ref OrderCommand)"/>; recovery, replicated followers and
/// journal replay <see cref="ApplyDecided"/> what the journal recorded. Operator records go through
/// <see cref="Admin.AdminStep"/>. Risk limits hold across shards because every read and write of an account's risk state
/// happens under its lock: the taker's from the check through matching to its settlement, each other account's
/// while it is settled - never two at once, so shards cannot deadlock.
/// </summary>
public sealed class CommandStep(MatchingEngine engine, RiskStage risk)
{
    private readonly int[] _otherAccounts = new int[64];

    public MatchingEngine Engine { get; } = engine;

    public RiskStage Risk { get; } = risk;

    /// <summary>
    /// Decides a new command: the engine's validation, pre-trade risk, matching, then settlement of every account the
    /// events touch. Risk writes its verdict into <paramref name="cmd"/> (a rejection reason, a market order's band
    /// protection): journal the command as it is afterwards. The span is the engine's buffer, valid until the next call.
    /// </summary>
    public ReadOnlySpan<EngineEvent> Decide(ref OrderCommand cmd, scoped ref StageTimestamps ts)
    {
        ReadOnlySpan<EngineEvent> events;
        var account = Risk.FindAccount(cmd.Account);
        if (account is null)
        {
            // Unknown to risk: nothing of an account to protect; risk rejects new orders, the engine the rest.
            Risk.PreTrade(Engine, ref cmd);
            ts.Risked = Stamp(ts.Received);
            events = Engine.Process(in cmd);
            ts.Matched = Stamp(ts.Received);
            Settle(events, -1);
        }
        else
        {
            lock (account.Sync)
            {
                Risk.PreTrade(Engine, ref cmd);
                ts.Risked = Stamp(ts.Received);
                events = Engine.Process(in cmd);
                ts.Matched = Stamp(ts.Received);
                Risk.Apply(events, cmd.Account);
            }
            Settle(events, cmd.Account);
        }
        ts.Decided = Stamp(ts.Received);
        return Escape(events);
    }

    /// <summary>Decides a command without timing it (replay, benchmarks).</summary>
    public ReadOnlySpan<EngineEvent> Decide(ref OrderCommand cmd)
    {
        var ts = default(StageTimestamps);
        return Decide(ref cmd, ref ts);
    }

    /// <summary>
    /// Applies a command exactly as it was decided (recovery, a follower, journal replay): no risk check - its verdict
    /// is in the record - then every touched account settled as <see cref="Decide(ref OrderCommand)"/> settles it.
    /// </summary>
    public ReadOnlySpan<EngineEvent> ApplyDecided(in OrderCommand cmd)
    {
        var events = Engine.Process(in cmd);
        Settle(events, -1);
        return Escape(events);
    }

    // Timestamps only when the command is timed (a gateway stamped its receipt).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Stamp(long received) => received == 0 ? 0 : Stopwatch.GetTimestamp();

    // The span is the engine's event buffer, not a local: re-create it from its reference so it may be returned.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<EngineEvent> Escape(ReadOnlySpan<EngineEvent> events)
        => MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetReference(events), events.Length);

    /// <summary>Applies the events to every account they touch other than <paramref name="done"/>, each under its own lock.</summary>
    private void Settle(ReadOnlySpan<EngineEvent> events, int done)
    {
        int n = 0;
        foreach (ref readonly var e in events)
        {
            if (e.Kind == EventKind.Trade) Note(e.MakerAccount, done, ref n);
            if (e.Kind is EventKind.Trade or EventKind.Canceled or EventKind.Replaced or EventKind.Accepted) Note(e.Account, done, ref n);
        }
        for (int i = 0; i < n; i++)
        {
            var account = Risk.Account(_otherAccounts[i]);
            lock (account.Sync) Risk.Apply(events, account.Id);
        }
        if (n == _otherAccounts.Length) SettleOverflow(events, done);
    }

    // More than 64 distinct accounts in one command (a sweep through many makers): the rest, found by scanning.
    private void SettleOverflow(ReadOnlySpan<EngineEvent> events, int done)
    {
        var seen = new HashSet<int>(_otherAccounts) { done };
        foreach (ref readonly var e in events)
        {
            if (e.Kind == EventKind.Trade && seen.Add(e.MakerAccount)) SettleOne(events, e.MakerAccount);
            if (e.Kind is EventKind.Trade or EventKind.Canceled or EventKind.Replaced or EventKind.Accepted && seen.Add(e.Account)) SettleOne(events, e.Account);
        }
    }

    private void SettleOne(ReadOnlySpan<EngineEvent> events, int id)
    {
        var account = Risk.Account(id);
        lock (account.Sync) Risk.Apply(events, id);
    }

    private void Note(int account, int done, ref int n)
    {
        if (account == done) return;
        for (int i = 0; i < n; i++)
            if (_otherAccounts[i] == account) return;
        if (n < _otherAccounts.Length) _otherAccounts[n++] = account;
    }
}
