using Hft.MarketData;

namespace Hft.Server.MarketData.Binary;

/// <summary>
/// The last <see cref="Capacity"/> encoded messages by stream sequence, in fixed slots of the longest message size:
/// one array, no allocation after construction. Not thread-safe (the <see cref="FeedSequencer"/> guards it).
/// </summary>
internal sealed class RetransmitRing
{
    private readonly byte[] _slots;
    private readonly byte[] _lengths;
    private long _last;

    public RetransmitRing(int capacity)
    {
        Capacity = capacity;
        _slots = new byte[capacity * FeedLayout.MaxMessageSize];
        _lengths = new byte[capacity];
    }

    public int Capacity { get; }

    /// <summary>The oldest sequence still held (1 before the ring has wrapped; above <see cref="Last"/> when empty).</summary>
    public long Oldest => Math.Max(1, _last - Capacity + 1);

    public long Last => _last;

    /// <summary>Stores message <paramref name="sequence"/> (always the one after <see cref="Last"/>).</summary>
    public void Put(long sequence, ReadOnlySpan<byte> message)
    {
        int slot = (int)(sequence % Capacity);
        message.CopyTo(_slots.AsSpan(slot * FeedLayout.MaxMessageSize));
        _lengths[slot] = (byte)message.Length;
        _last = sequence;
    }

    /// <summary>The bytes of a held message (<see cref="Oldest"/> ≤ sequence ≤ <see cref="Last"/>).</summary>
    public ReadOnlySpan<byte> Get(long sequence)
    {
        int slot = (int)(sequence % Capacity);
        return _slots.AsSpan(slot * FeedLayout.MaxMessageSize, _lengths[slot]);
    }
}
