using System.Diagnostics;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Gateways.Binary;
using Hft.Pipeline;
using Hft.Pipeline.Durability;

namespace Hft.Cli.Bench;

/// <summary>
/// The gateway's reply to the one command it has in flight, reused for every command (no allocation per command).
/// Told once by the pipeline, on the thread that processed the command (the submitting thread with run-to-completion,
/// else the shard's), it turns the command's events into the session's responses at once (the span is reused), as the
/// binary session queues them; they may be encoded once the outbox releases the command's journal record.
/// </summary>
internal sealed class AckReply(SessionOrderIds ids, int capacity) : ICommandReply, IDurableWaiter
{
    private const int Armed = 0, Decided = 1, Released = 2, Failed = 3;

    private BinaryMessage[] _messages = new BinaryMessage[capacity];
    private int _count;
    private long _sequence;
    private long _execId;
    private bool _answered;
    private int _state;

    /// <summary>The responses of the command, in event order: its answer first, then fills and cancels.</summary>
    public ReadOnlySpan<BinaryMessage> Messages => _messages.AsSpan(0, _count);

    /// <summary>The command's own answer is among the messages: OrderAccepted, OrderRejected, Canceled or Replaced.</summary>
    public bool Answered => _answered;

    public long Events { get; private set; }

    public long Trades { get; private set; }

    public long Rejected { get; private set; }

    /// <summary>Rejections by reason (index = <see cref="RejectReason"/> value).</summary>
    public long[] RejectsByReason { get; } = new long[RejectReasonNames.All.Count];

    /// <summary>Starts the counts afresh (after the untimed commands).</summary>
    public void ResetCounts()
    {
        Events = Trades = Rejected = 0;
        Array.Clear(RejectsByReason);
    }

    /// <summary>Before submitting the next command.</summary>
    public void Arm()
    {
        _count = 0;
        _answered = false;
        Volatile.Write(ref _state, Armed);
    }

    public void OnDecided(in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
    {
        Events += events.Length;
        foreach (ref readonly var e in events)
        {
            ulong client = ids.ClientIdOf(e.OrderId);
            switch (e.Kind)
            {
                case EventKind.Accepted:
                    Add(BinaryResponses.Accepted(in e, in command, client));
                    break;
                case EventKind.Rejected:
                    Add(BinaryResponses.Rejected(client, e.OrderId, command.Instrument, e.Op, e.RejectReason));
                    Rejected++;
                    if ((uint)e.RejectReason < (uint)RejectsByReason.Length) RejectsByReason[(int)e.RejectReason]++;
                    break;
                case EventKind.Trade:
                    Add(BinaryResponses.Fill(in e, client, e.OrderId, ++_execId, e.Remaining, Liquidity.Taker));
                    Add(BinaryResponses.Fill(in e, ids.ClientIdOf(e.MakerOrderId), e.MakerOrderId, ++_execId, e.MakerRemaining, Liquidity.Maker));
                    Trades++;
                    continue;
                case EventKind.Canceled:
                    Add(BinaryResponses.Canceled(in e, client));
                    break;
                case EventKind.Replaced:
                    Add(BinaryResponses.Replaced(in e, client, command.NewTriggerOf(e.OrderId)));
                    break;
            }
            if (e.OrderId == command.OrderId) _answered = true;
        }
        _sequence = sequence;
        Volatile.Write(ref _state, Decided);
    }

    public void OnDurable(bool failed) => Volatile.Write(ref _state, failed ? Failed : Released);

    /// <summary>
    /// Waits (spinning) until the command is decided and the outbox releases its record. False when it never will be
    /// (the journal failed) or the wait passed <paramref name="timeoutTicks"/>. <paramref name="waits"/> counts the
    /// commands that were not yet durable once decided and had to wait in the outbox.
    /// </summary>
    public bool AwaitReleased(DurableOutbox outbox, long timeoutTicks, ref long waits)
    {
        if (!SpinWhile(Armed, timeoutTicks) || _sequence < 0) return false;
        if (outbox.IsDurable(_sequence)) return true;
        waits++;
        outbox.WhenDurable(_sequence, this);
        return SpinWhile(Decided, timeoutTicks) && Volatile.Read(ref _state) == Released;
    }

    private bool SpinWhile(int state, long timeoutTicks)
    {
        var spinner = new SpinWait();
        long deadline = 0;
        while (Volatile.Read(ref _state) == state)
        {
            spinner.SpinOnce();
            if (!spinner.NextSpinWillYield) continue;
            long now = Stopwatch.GetTimestamp();
            if (deadline == 0) deadline = now + timeoutTicks;
            else if (now > deadline) return false;
        }
        return true;
    }

    private void Add(in BinaryMessage message)
    {
        if (_count == _messages.Length) Array.Resize(ref _messages, _count * 2); // sized from the dry run's peak: not expected
        _messages[_count++] = message;
    }
}
