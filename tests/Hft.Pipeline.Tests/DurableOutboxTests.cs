using System.Collections.Concurrent;
using Hft.Pipeline.Durability;

namespace Hft.Pipeline.Tests;

/// <summary>The one way out: a waiter is told exactly once, never before its sequence is durable, and told of a failure.</summary>
public sealed class DurableOutboxTests
{
    private sealed class Waiter(long sequence, DurableOutbox outbox, ConcurrentBag<string>? violations = null) : IDurableWaiter
    {
        private int _calls;

        public long Sequence => sequence;

        public int Calls => Volatile.Read(ref _calls);

        public bool? Failed { get; private set; }

        public int Thread { get; private set; }

        public void OnDurable(bool failed)
        {
            if (!failed && !outbox.IsDurable(sequence)) violations?.Add($"{sequence} released at durable {outbox.Durable}");
            Failed = failed;
            Thread = Environment.CurrentManagedThreadId;
            if (Interlocked.Increment(ref _calls) > 1) violations?.Add($"{sequence} released twice");
        }
    }

    [Fact]
    public void A_sequence_already_durable_is_released_at_once_on_the_callers_thread()
    {
        var outbox = new DurableOutbox(durable: 10);
        var w = new Waiter(10, outbox);
        outbox.WhenDurable(10, w);
        Assert.Equal((1, false, Environment.CurrentManagedThreadId), (w.Calls, w.Failed, w.Thread));
        var none = new Waiter(0, outbox); // a command that changed nothing
        outbox.WhenDurable(0, none);
        Assert.Equal(1, none.Calls);
    }

    [Fact]
    public void Waiters_are_released_as_the_durable_sequence_passes_them_and_only_then()
    {
        var outbox = new DurableOutbox(durable: 0);
        var waiters = new[] { 5L, 1, 3, 9, 3 }.Select(s => new Waiter(s, outbox)).ToArray();
        foreach (var w in waiters) outbox.WhenDurable(w.Sequence, w);
        Assert.All(waiters, w => Assert.Equal(0, w.Calls));

        outbox.OnDurable(3);
        Assert.Equal([0, 1, 1, 0, 1], waiters.Select(w => w.Calls).ToArray());
        outbox.OnDurable(2); // stale: nothing moves back
        Assert.Equal(3, outbox.Durable);
        outbox.OnDurable(9);
        Assert.All(waiters, w => Assert.Equal((1, false), (w.Calls, w.Failed)));
    }

    [Fact]
    public void A_failed_journal_releases_every_waiter_as_failed_and_refuses_what_comes_after()
    {
        var outbox = new DurableOutbox(durable: 4);
        var pending = new Waiter(7, outbox);
        outbox.WhenDurable(7, pending);
        outbox.OnFailed(new IOException("disk gone"));
        Assert.Equal((1, true), (pending.Calls, pending.Failed));
        Assert.True(outbox.Failed);

        var later = new Waiter(8, outbox);
        outbox.WhenDurable(8, later);
        Assert.Equal((1, true), (later.Calls, later.Failed));
        var old = new Waiter(4, outbox); // durable before the failure: still durable
        outbox.WhenDurable(4, old);
        Assert.Equal((1, false), (old.Calls, old.Failed));
    }

    [Fact]
    public void A_waiter_may_register_again_from_its_own_callback()
    {
        var outbox = new DurableOutbox(durable: 0);
        var seen = new List<long>();
        var chain = new Chain(outbox, seen);
        outbox.WhenDurable(1, chain);
        outbox.OnDurable(1);
        outbox.OnDurable(2);
        Assert.Equal([1, 2], seen);
    }

    private sealed class Chain(DurableOutbox outbox, List<long> seen) : IDurableWaiter
    {
        public void OnDurable(bool failed)
        {
            seen.Add(outbox.Durable);
            if (seen.Count < 2) outbox.WhenDurable(outbox.Durable + 1, this);
        }
    }

    [Fact]
    public void Concurrent_registrations_and_advances_release_every_waiter_exactly_once_and_never_early()
    {
        var outbox = new DurableOutbox(durable: 0);
        var violations = new ConcurrentBag<string>();
        const int threads = 4, perThread = 20_000;
        var all = new ConcurrentBag<Waiter>();
        using var done = new CountdownEvent(threads);
        long top = 0;
        var advancer = new Thread(() =>
        {
            long d = 0;
            while (!done.IsSet || d < Volatile.Read(ref top)) outbox.OnDurable(d = Math.Min(d + 7, Volatile.Read(ref top) + 3));
        });
        advancer.Start();
        for (int t = 0; t < threads; t++)
        {
            int seed = t;
            new Thread(() =>
            {
                var rng = new Random(seed);
                for (int i = 0; i < perThread; i++)
                {
                    long seq = outbox.Durable + rng.Next(0, 50);
                    long seen;
                    while (seq > (seen = Volatile.Read(ref top)) && Interlocked.CompareExchange(ref top, seq, seen) != seen)
                    {
                    }
                    var w = new Waiter(seq, outbox, violations);
                    all.Add(w);
                    outbox.WhenDurable(seq, w);
                }
                done.Signal();
            }).Start();
        }
        Assert.True(done.Wait(TimeSpan.FromSeconds(60)));
        Assert.True(advancer.Join(TimeSpan.FromSeconds(60)));
        outbox.OnDurable(Volatile.Read(ref top));
        Assert.Empty(violations);
        Assert.Equal(threads * perThread, all.Count);
        Assert.All(all, w => Assert.Equal(1, w.Calls));
    }
}
