using Hft.MarketData;

namespace Hft.Server.MarketData.Binary;

/// <summary>What a retransmission request gets: messages copied, or the reason it is refused.</summary>
internal readonly record struct RangeAnswer(int Count, RecoveryError Error, long Value)
{
    public bool Refused => Error != 0;
}

/// <summary>
/// The feed's single source of truth, under one lock: the session, the stream sequence, each instrument's sequence, the
/// book the messages built (what a snapshot shows) and the retransmission ring. The publisher thread appends; recovery
/// clients read a range or a snapshot, each consistent with one sequence.
/// </summary>
internal sealed class FeedSequencer
{
    private readonly object _gate = new();
    private readonly FeedBook _book = new();
    private readonly RetransmitRing _ring;
    private readonly long[] _instrumentSequence;
    private long _sequence;

    public FeedSequencer(FeedSessionId session, int instruments, int retransmitCapacity)
    {
        Session = session;
        _instrumentSequence = new long[instruments];
        _ring = new RetransmitRing(retransmitCapacity);
    }

    public FeedSessionId Session { get; }

    public int Instruments => _instrumentSequence.Length;

    /// <summary>The last sequence given out (0: none yet).</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>
    /// Publisher thread: numbers <paramref name="m"/> (stream and instrument sequence), encodes it into
    /// <paramref name="scratch"/>, applies it to the book and keeps it for retransmission. Returns its stream sequence.
    /// </summary>
    public long Append(ref FeedMessage m, Span<byte> scratch, out int length)
    {
        lock (_gate)
        {
            m.InstrumentSequence = ++_instrumentSequence[m.Instrument];
            long sequence = _sequence + 1;
            length = FeedCodec.Write(scratch, m);
            _book.Apply(m);
            _ring.Put(sequence, scratch[..length]);
            Volatile.Write(ref _sequence, sequence);
            return sequence;
        }
    }

    /// <summary>Publisher thread only (the only writer): the book as the messages so far built it.</summary>
    public FeedBook Book => _book;

    /// <summary>
    /// Copies messages <paramref name="first"/>.. (at most <paramref name="count"/>, fewer when the stream ends sooner)
    /// into <paramref name="slots"/> (<see cref="FeedLayout.MaxMessageSize"/> bytes each) and their sizes into
    /// <paramref name="lengths"/>; refused when the range is not held or lies beyond the stream.
    /// </summary>
    public RangeAnswer CopyRange(long first, int count, Span<byte> slots, Span<byte> lengths)
    {
        lock (_gate)
        {
            if (first > _sequence) return new RangeAnswer(0, RecoveryError.BeyondEnd, _sequence);
            if (first < _ring.Oldest) return new RangeAnswer(0, RecoveryError.NotAvailable, _ring.Oldest);
            int n = (int)Math.Min(count, _sequence - first + 1);
            for (int i = 0; i < n; i++)
            {
                var message = _ring.Get(first + i);
                message.CopyTo(slots[(i * FeedLayout.MaxMessageSize)..]);
                lengths[i] = (byte)message.Length;
            }
            return new RangeAnswer(n, 0, 0);
        }
    }

    /// <summary>
    /// Every instrument's status and resting orders (best price first per side), each stamped with the instrument's
    /// current sequence, and the stream sequence they reflect.
    /// </summary>
    public List<FeedMessage> Snapshot(long timestamp, out long sequence)
    {
        lock (_gate)
        {
            sequence = _sequence;
            var list = new List<FeedMessage>(_book.OrderCount + Instruments);
            for (int i = 0; i < Instruments; i++)
            {
                var instrument = (ushort)i;
                long seq = _instrumentSequence[i];
                var status = FeedMessage.InstrumentStatus(instrument, _book.Status(instrument));
                status.InstrumentSequence = seq;
                status.Timestamp = timestamp;
                list.Add(status);
                foreach (var side in (ReadOnlySpan<FeedSide>)[FeedSide.Buy, FeedSide.Sell])
                    foreach (var o in _book.Orders(instrument, side))
                    {
                        var add = FeedMessage.AddOrder(instrument, o.OrderId, o.Side, o.Price, o.Quantity);
                        add.InstrumentSequence = seq;
                        add.Timestamp = timestamp;
                        list.Add(add);
                    }
            }
            return list;
        }
    }
}
