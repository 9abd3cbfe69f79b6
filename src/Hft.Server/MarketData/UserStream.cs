using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;
using Hft.Pipeline.Durability;
using Hft.Pipeline.State;

namespace Hft.Server.MarketData;

/// <summary>
/// One user-channel subscription (a connection following one account). On the processing thread it copies the events
/// that concern the account into a bounded list and returns: never blocks, never formats. The publisher takes them
/// only once their command is durable: a user event is an acknowledgment and waits, like every other, in the outbox.
/// When the list is full the events are dropped and the stream marked lost; the publisher then tells the client to
/// re-read its orders over REST.
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

    public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
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
            _events.Add(new EngineEvent { OrderId = sequence }); // end of the command (Kind 0, its journal sequence): position updates follow here
        }
    }

    /// <summary>Marks the end of one command's events in the list <see cref="Take"/> returns.</summary>
    public static bool IsCommandEnd(in EngineEvent e) => e.Kind == 0;

    /// <summary>
    /// Publisher: takes the queued events of the commands that are durable, in order; the rest stay queued.
    /// <paramref name="lost"/> when some were dropped since the last call.
    /// </summary>
    public List<EngineEvent> Take(List<EngineEvent> spare, DurableOutbox outbox, out bool lost)
    {
        spare.Clear();
        lock (_gate)
        {
            var full = _events;
            int cut = 0; // after the last command end that is durable, scanning in order
            for (int i = 0; i < full.Count; i++)
            {
                if (!IsCommandEnd(full[i])) continue;
                if (!outbox.IsDurable(full[i].OrderId)) break;
                cut = i + 1;
            }
            for (int i = cut; i < full.Count; i++) spare.Add(full[i]);
            if (cut < full.Count) full.RemoveRange(cut, full.Count - cut);
            _events = spare;
            lost = _lost;
            _lost = false;
            return full;
        }
    }
}
