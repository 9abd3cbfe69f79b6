using System.Runtime.CompilerServices;
using Hft.Core.Events;

namespace Hft.Core.Matching;

/// <summary>
/// The events of one command, written in order into a reused array. Grows (rarely) only when one
/// command sweeps more resting orders than it has ever held.
/// </summary>
public sealed class EventBuffer
{
    private EngineEvent[] _items;
    private int _count;

    public EventBuffer(int capacity) => _items = Book.PreTouch.Touch(new EngineEvent[Math.Max(16, capacity)]);

    public int Count => _count;

    public ReadOnlySpan<EngineEvent> Span => new(_items, 0, _count);

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref readonly EngineEvent At(int index) => ref _items[index];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref EngineEvent Add(EventKind kind)
    {
        if (_count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        ref var e = ref _items[_count++];
        e = default;
        e.Kind = kind;
        return ref e;
    }
}
