using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;

namespace Hft.Server.MarketData;

/// <summary>
/// One user-channel subscription (a connection following one account). On the shard thread it copies the events that
/// concern the account into a bounded list and returns: never blocks, never formats. When the list is full the
/// events are dropped and the stream marked lost; the publisher then tells the client to re-read its orders over REST.
/// </summary>
internal sealed class UserStream : IAccountEventSink
{
    private readonly object _gate = new();
    private readonly int _limit;
    private List<EngineEvent> _events = new();
    private bool _lost;

    public UserStream(WsConnection connection, int account, string accountName, int limit)
    {
        Connection = connection;
        Account = account;
        AccountName = accountName;
        _limit = limit;
    }

    public WsConnection Connection { get; }

    public int Account { get; }

    public string AccountName { get; }

    /// <summary>The hub subscription (disposed on unsubscribe or disconnect).</summary>
    public IDisposable? Handle { get; set; }

    /// <summary>Sequence of the last message sent on this stream (publisher thread only).</summary>
    public long Sequence { get; set; }

    /// <summary>Resync notices sent on this stream (publisher thread only).</summary>
    public int Resyncs { get; set; }

    public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events)
    {
        int n = 0;
        foreach (ref readonly var e in events)
            if (AccountEventHub.Concerns(Account, in e)) n++;
        if (n == 0) return;
        lock (_gate)
        {
            if (_lost) return;
            if (_events.Count + n + 1 > _limit)
            {
                _lost = true;
                _events.Clear();
                return;
            }
            foreach (ref readonly var e in events)
                if (AccountEventHub.Concerns(Account, in e)) _events.Add(e);
            _events.Add(default); // end of the command (Kind 0): its position updates follow here
        }
    }

    /// <summary>Marks the end of one command's events in the list <see cref="Take"/> returns.</summary>
    public static bool IsCommandEnd(in EngineEvent e) => e.Kind == 0;

    /// <summary>Publisher: swaps the queued events out; <paramref name="lost"/> when some were dropped since the last call.</summary>
    public List<EngineEvent> Take(List<EngineEvent> spare, out bool lost)
    {
        spare.Clear();
        lock (_gate)
        {
            var full = _events;
            _events = spare;
            lost = _lost;
            _lost = false;
            return full;
        }
    }
}
