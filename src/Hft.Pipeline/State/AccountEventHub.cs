using Hft.Core.Events;
using Hft.Core.Matching;

namespace Hft.Pipeline.State;

/// <summary>
/// Receives the events of one processed command that concern an account it subscribed to (its own orders, and trades
/// where it was the maker). Called on the processing thread: must be quick and must never block - copy what it needs
/// into its own bounded queue and return. The span holds every event of the command; filter with
/// <see cref="AccountEventHub.Concerns"/>. What it sends a client waits until <c>sequence</c> (the command's
/// journal record; 0 = nothing journaled) is durable: see <see cref="Durability.DurableOutbox"/>.
/// </summary>
public interface IAccountEventSink
{
    void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence);
}

/// <summary>
/// Routes each processed command's events to the sinks subscribed to the accounts involved: the private order-event
/// streams of the WebSocket <c>user</c> channel and of the binary and FIX order-entry sessions, so fills of resting
/// orders reach their owners. Subscriptions are copy-on-write arrays indexed by account id, so the shard threads read
/// them without locks and without allocating; subscribe/unsubscribe are rare and take a lock.
/// </summary>
public sealed class AccountEventHub : IPipelineObserver
{
    private const int MaxDistinctAccounts = 64;
    private readonly object _gate = new();
    private IAccountEventSink[]?[] _byAccount = new IAccountEventSink[]?[64];
    private IAccountEventSink[] _everyAccount = [];

    /// <summary>Whether <paramref name="e"/> is about <paramref name="account"/>: its own order, or a trade it made as maker.</summary>
    public static bool Concerns(int account, in EngineEvent e)
        => e.Account == account || (e.Kind == EventKind.Trade && e.MakerAccount == account);

    /// <summary>Delivers the events of <paramref name="account"/> to <paramref name="sink"/> until the returned handle is disposed.</summary>
    public IDisposable Subscribe(int account, IAccountEventSink sink)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(account);
        lock (_gate)
        {
            var table = _byAccount;
            if (account >= table.Length)
            {
                var grown = new IAccountEventSink[]?[Math.Max(account + 1, table.Length * 2)];
                table.CopyTo(grown, 0);
                table = grown;
            }
            else table = (IAccountEventSink[]?[])table.Clone();
            table[account] = [.. table[account] ?? [], sink];
            Volatile.Write(ref _byAccount, table);
        }
        return new Subscription(this, account, sink);
    }

    /// <summary>Delivers every account's events (drop copy, audit) until the returned handle is disposed.</summary>
    public IDisposable SubscribeAll(IAccountEventSink sink)
    {
        lock (_gate) Volatile.Write(ref _everyAccount, [.. _everyAccount, sink]);
        return new Subscription(this, -1, sink);
    }

    /// <summary>Number of sinks subscribed to one account (or, with -1, to every account).</summary>
    public int SubscriberCount(int account)
    {
        if (account < 0) return Volatile.Read(ref _everyAccount).Length;
        var table = Volatile.Read(ref _byAccount);
        return account < table.Length ? table[account]?.Length ?? 0 : 0;
    }

    private void Unsubscribe(int account, IAccountEventSink sink)
    {
        lock (_gate)
        {
            if (account < 0)
            {
                Volatile.Write(ref _everyAccount, Without(_everyAccount, sink) ?? []);
                return;
            }
            var table = (IAccountEventSink[]?[])_byAccount.Clone();
            if (account < table.Length && table[account] is { } sinks) table[account] = Without(sinks, sink);
            Volatile.Write(ref _byAccount, table);
        }
    }

    private static IAccountEventSink[]? Without(IAccountEventSink[] sinks, IAccountEventSink sink)
    {
        int i = Array.IndexOf(sinks, sink);
        if (i < 0) return sinks;
        if (sinks.Length == 1) return null;
        var rest = new IAccountEventSink[sinks.Length - 1];
        Array.Copy(sinks, 0, rest, 0, i);
        Array.Copy(sinks, i + 1, rest, i, sinks.Length - i - 1);
        return rest;
    }

    public void OnProcessed(int shard, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence, in StageTimestamps timestamps)
    {
        if (events.IsEmpty) return;
        var everyAccount = Volatile.Read(ref _everyAccount);
        foreach (var sink in everyAccount) sink.OnAccountEvents(-1, in command, events, sequence);

        var table = Volatile.Read(ref _byAccount);
        Span<int> seen = stackalloc int[MaxDistinctAccounts];
        int count = 0;
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly var e = ref events[i];
            Deliver(table, e.Account, i, in command, events, sequence, seen, ref count);
            if (e.Kind == EventKind.Trade && e.MakerAccount != e.Account)
                Deliver(table, e.MakerAccount, i, in command, events, sequence, seen, ref count);
        }
    }

    // Each subscribed account is told once per command. The first 64 distinct accounts are remembered on the stack;
    // past that (a sweep through many makers) earlier events are scanned instead.
    private static void Deliver(IAccountEventSink[]?[] table, int account, int index, in OrderCommand command,
        ReadOnlySpan<EngineEvent> events, long sequence, Span<int> seen, ref int count)
    {
        if ((uint)account >= (uint)table.Length || table[account] is not { } sinks) return;
        for (int i = 0; i < count; i++)
            if (seen[i] == account) return;
        if (count < seen.Length) seen[count++] = account;
        else
        {
            for (int j = 0; j < index; j++)
                if (Concerns(account, in events[j])) return;
        }
        foreach (var sink in sinks) sink.OnAccountEvents(account, in command, events, sequence);
    }

    private sealed class Subscription(AccountEventHub hub, int account, IAccountEventSink sink) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) hub.Unsubscribe(account, sink);
        }
    }
}
