using System.Runtime.CompilerServices;

namespace Hft.Pipeline.Shards;

/// <summary>
/// Bounded multi-producer, single-consumer ring of <see cref="PipelineCommand"/> slots (a pre-allocated array, no
/// per-command objects). Producers claim a sequence with a compare-and-swap that fails at once when the ring is
/// full — the caller rejects with <c>overloaded</c>, never blocks — write the slot, then publish it by stamping the
/// slot's sequence. The consumer takes slots strictly in sequence order.
/// </summary>
public sealed class CommandRing
{
    private readonly PipelineCommand[] _slots;
    private readonly long[] _published;
    private readonly int _mask;
    private PaddedLong _claimed;   // next sequence to hand to a producer
    private PaddedLong _consumed;  // next sequence the consumer will read

    public CommandRing(int capacity)
    {
        int size = 16;
        while (size < capacity) size <<= 1;
        _slots = new PipelineCommand[size];
        _published = new long[size];
        Array.Fill(_published, -1);
        _mask = size - 1;
    }

    public int Capacity => _slots.Length;

    /// <summary>Commands claimed but not yet consumed.</summary>
    public int Depth => (int)Math.Max(0, Volatile.Read(ref _claimed.Value) - Volatile.Read(ref _consumed.Value));

    /// <summary>Copies <paramref name="command"/> into the ring; false when full.</summary>
    public bool TryWrite(in PipelineCommand command)
    {
        long seq;
        while (true)
        {
            seq = Volatile.Read(ref _claimed.Value);
            if (seq - Volatile.Read(ref _consumed.Value) >= _slots.Length) return false;
            if (Interlocked.CompareExchange(ref _claimed.Value, seq + 1, seq) == seq) break;
        }
        int i = (int)(seq & _mask);
        _slots[i] = command;
        Volatile.Write(ref _published[i], seq);
        return true;
    }

    /// <summary>Consumer only: the next published command, if any. Call <see cref="Release"/> when done with it.</summary>
    public bool TryPeek(out int index)
    {
        long seq = _consumed.Value;
        index = (int)(seq & _mask);
        return Volatile.Read(ref _published[index]) == seq;
    }

    /// <summary>Consumer only: the slot at <paramref name="index"/> (valid between TryPeek and Release).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref PipelineCommand Slot(int index) => ref _slots[index];

    /// <summary>Consumer only: frees the slot just processed.</summary>
    public void Release(int index)
    {
        _slots[index] = default; // drop references (completion, query) for the GC
        Volatile.Write(ref _consumed.Value, _consumed.Value + 1);
    }

    /// <summary>A long alone on its cache line, so producers and the consumer do not false-share.</summary>
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Explicit, Size = 128)]
    private struct PaddedLong
    {
        [System.Runtime.InteropServices.FieldOffset(64)] public long Value;
    }
}
