using Hft.Core.Events;
using Hft.Core.Matching;

namespace Hft.Pipeline.Durability;

/// <summary>
/// A reply to one command, or to one command fanned out to several shards (a mass cancel of every instrument): it
/// collects what each shard decided and, once every shard has and the highest of their journal sequences is durable,
/// is released exactly once through the outbox. A journal failure on any of them releases it as failed: never
/// acknowledged. Gateways derive their replies from it (REST requests, binary and FIX mass cancels).
/// </summary>
public abstract class FanInReply : ICommandReply, IDurableWaiter
{
    private readonly DurableOutbox _outbox;
    private int _remaining;
    private long _sequence;
    private bool _failed;

    protected FanInReply(DurableOutbox outbox, int expected)
    {
        _outbox = outbox;
        _remaining = expected;
    }

    /// <summary>One shard decided the command: collect what the reply needs (under the reply's lock; copy, the span is reused).</summary>
    protected abstract void Collect(in OrderCommand command, ReadOnlySpan<EngineEvent> events);

    /// <summary>Every shard decided and everything is durable (<paramref name="failed"/> false), or the journal failed.</summary>
    protected abstract void Released(bool failed);

    public void OnDecided(in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
    {
        lock (this)
        {
            Collect(in command, events);
            if (sequence < 0) _failed = true;
            else _sequence = Math.Max(_sequence, sequence);
            if (--_remaining > 0) return;
        }
        if (_failed) Released(failed: true);
        else _outbox.WhenDurable(_sequence, this);
    }

    void IDurableWaiter.OnDurable(bool failed) => Released(failed);
}
