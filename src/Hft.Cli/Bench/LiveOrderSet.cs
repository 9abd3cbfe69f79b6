using Hft.Core.Orders;

namespace Hft.Cli.Bench;

/// <summary>
/// The generator's view of which order ids rest in the book, with their instrument, side, price and
/// remaining quantity. Ids are dense (1, 2, 3, ...) so per-id data lives in arrays indexed by id; the live
/// ids are kept in a packed array (swap-remove) for a uniform random pick.
/// </summary>
internal sealed class LiveOrderSet
{
    private readonly long[] _live;
    private int _count;
    private readonly int[] _position; // by id: index in _live, -1 when not live
    private readonly int[] _instrument;
    private readonly Side[] _side;
    private readonly long[] _price;
    private readonly long[] _remaining;

    public LiveOrderSet(int maxId)
    {
        _live = new long[maxId + 1];
        _position = new int[maxId + 1];
        Array.Fill(_position, -1);
        _instrument = new int[maxId + 1];
        _side = new Side[maxId + 1];
        _price = new long[maxId + 1];
        _remaining = new long[maxId + 1];
    }

    public int Count => _count;

    public bool Contains(long id) => _position[id] >= 0;

    public int InstrumentOf(long id) => _instrument[id];

    public Side SideOf(long id) => _side[id];

    public long PriceOf(long id) => _price[id];

    public long RemainingOf(long id) => _remaining[id];

    public void Add(long id, int instrument, Side side, long price, long remaining)
    {
        if (_position[id] < 0)
        {
            _position[id] = _count;
            _live[_count++] = id;
        }
        _instrument[id] = instrument;
        _side[id] = side;
        _price[id] = price;
        _remaining[id] = remaining;
    }

    public void SetRemaining(long id, long remaining) => _remaining[id] = remaining;

    public void Remove(long id)
    {
        int pos = _position[id];
        if (pos < 0) return;
        long last = _live[--_count];
        _live[pos] = last;
        _position[last] = pos;
        _position[id] = -1;
    }

    public long Pick(ref BenchRandom rng) => _live[rng.Next(_count)];
}
