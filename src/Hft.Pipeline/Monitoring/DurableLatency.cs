using System.Diagnostics;
using Hft.Pipeline.Durability;

namespace Hft.Pipeline.Monitoring;

/// <summary>
/// Times sampled commands of one shard until their journal record is durable - the moment their acknowledgment may
/// leave - without a thread of its own: the processing thread queues each sample (a fixed ring, no allocation), and one
/// waiter in the <see cref="DurableOutbox"/> at a time, on the thread that made them durable, records those now due
/// and waits again for the next. A full ring drops samples (counted), never blocks the shard.
/// </summary>
internal sealed class DurableLatency(DurableOutbox outbox, Action<int, long, long, long> record) : IDurableWaiter
{
    private const int Capacity = 4096;

    private readonly Sample[] _ring = new Sample[Capacity];
    private long _head; // consumer: next sample to record
    private long _tail; // producer: next free slot
    private int _armed; // 1 while a waiter is registered with the outbox
    private long _dropped;

    private struct Sample
    {
        public long Sequence;
        public long Received;
        public long Decided;
        public int Op;
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Processing thread (one at a time per shard): a sampled command of op index <paramref name="op"/> awaits <paramref name="sequence"/>.</summary>
    public void Add(int op, long sequence, long received, long decided)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= Capacity)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        ref var s = ref _ring[tail & (Capacity - 1)];
        s.Sequence = sequence;
        s.Received = received;
        s.Decided = decided;
        s.Op = op;
        Volatile.Write(ref _tail, tail + 1);
        if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0) outbox.WhenDurable(sequence, this);
    }

    public void OnDurable(bool failed)
    {
        long now = Stopwatch.GetTimestamp();
        long head = _head;
        long tail = Volatile.Read(ref _tail);
        while (head < tail)
        {
            ref var s = ref _ring[head & (Capacity - 1)];
            if (!failed && !outbox.IsDurable(s.Sequence)) break;
            if (!failed) record(s.Op, s.Received, s.Decided, now);
            head++;
        }
        Volatile.Write(ref _head, head);
        Interlocked.Exchange(ref _armed, 0);
        // Samples queued meanwhile: wait for the oldest (the producer may have seen us armed and not registered).
        if (head < Volatile.Read(ref _tail) && Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
            outbox.WhenDurable(_ring[head & (Capacity - 1)].Sequence, this);
    }
}
