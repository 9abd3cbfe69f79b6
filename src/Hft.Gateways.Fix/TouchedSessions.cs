namespace Hft.Gateways.Fix;

/// <summary>
/// The sessions one reader gave events to while handling a read (its own, and others whose orders it touched): it
/// sends their releasable reports right after. Reader thread only; a handful of sessions, no allocation once grown.
/// </summary>
internal sealed class TouchedSessions
{
    private FixSession[] _sessions = new FixSession[4];
    private int _count;

    public void Add(FixSession session)
    {
        for (int i = 0; i < _count; i++)
            if (_sessions[i] == session) return;
        if (_count == _sessions.Length) Array.Resize(ref _sessions, _count * 2);
        _sessions[_count++] = session;
    }

    public void SendReleased()
    {
        for (int i = 0; i < _count; i++)
        {
            _sessions[i].SendReleased();
            _sessions[i] = null!;
        }
        _count = 0;
    }
}
