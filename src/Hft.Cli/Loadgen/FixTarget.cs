using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Hft.Client;
using Hft.Core.Orders;
using Hft.Gateways.Fix;

namespace Hft.Cli.Loadgen;

/// <summary>
/// A loadgen connection over FIX 4.4 (the repo's <see cref="FixClient"/>): one configured session (SenderCompID and
/// password) per connection. A load order <c>n</c> is ClOrdID <c>N{n}.{run}</c>; its cancels and replaces take
/// <c>X{n}.{run}.{k}</c> / <c>R{n}.{run}.{k}</c> with the order's current ClOrdID as OrigClOrdID. The run token keeps
/// ClOrdIDs unique across loadgen runs on the same session (the acceptor refuses a reused ClOrdID). Answers are ExecutionReports
/// (New, Replaced, Canceled, Rejected, fills) and OrderCancelRejects, read on the target's own thread.
/// </summary>
public sealed class FixTarget : IOrderEntryTarget
{
    private readonly FixClient _client;
    private readonly ITargetListener _listener;
    private readonly LoadInstrument _instrument;
    private readonly ConcurrentDictionary<ulong, (string ClOrdId, char Side)> _live = new();
    private readonly HashSet<ulong> _newAnswered = new(); // reader thread only
    private readonly Thread _reader;
    private readonly string _run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
    private long _requests;
    private volatile bool _stopping;

    private FixTarget(FixClient client, ITargetListener listener, LoadInstrument instrument)
    {
        _client = client;
        _listener = listener;
        _instrument = instrument;
        _reader = new Thread(Read) { IsBackground = true, Name = "loadgen-fix-read" };
        _reader.Start();
    }

    /// <summary>Connects and logs on as <paramref name="session"/> ("SENDER:password"), trading instrument <paramref name="instrument"/>.</summary>
    public static async Task<FixTarget> ConnectAsync(string host, int port, string url, string session, int instrument, ITargetListener listener)
    {
        int colon = session.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new ArgumentException($"FIX session '{session}' must be SENDER:password");
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        var traded = await LoadInstrument.FetchAsync(http, instrument);
        var client = await FixClient.ConnectAsync(host, port, session[..colon]);
        var reply = client.Logon(session[(colon + 1)..], heartBtInt: 30, reset: true);
        if (reply.MsgType != "A")
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"FIX logon refused: {reply[FixTags.Text]}");
        }
        return new FixTarget(client, listener, traded);
    }

    private string Next(char prefix, ulong order)
        => string.Create(CultureInfo.InvariantCulture, $"{prefix}{order}.{_run}.{Interlocked.Increment(ref _requests)}");

    public void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity)
    {
        string id = string.Create(CultureInfo.InvariantCulture, $"N{clientOrderId}.{_run}");
        char fixSide = side == Side.Buy ? '1' : '2';
        _live[clientOrderId] = (id, fixSide);
        _client.NewOrder(id, _instrument.Symbol, fixSide, _instrument.Qty(quantity), _instrument.Price(price), '2', tif == TimeInForce.Ioc ? '3' : '1');
    }

    // An order that finished (its last fill was read) after loadgen picked it: answered at once, as the server would.
    public void Cancel(ulong clientOrderId)
    {
        if (_live.TryGetValue(clientOrderId, out var order)) _client.Cancel(Next('X', clientOrderId), order.ClOrdId, _instrument.Symbol, order.Side);
        else _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
    }

    public void Replace(ulong clientOrderId, long quantity, long price)
    {
        if (_live.TryGetValue(clientOrderId, out var order))
            _client.Replace(Next('R', clientOrderId), order.ClOrdId, _instrument.Symbol, order.Side, _instrument.Qty(quantity), _instrument.Price(price));
        else _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
    }

    public void Flush()
    {
    }

    /// <summary>The load order a ClOrdID belongs to: the digits after its one-letter prefix, up to a '.'.</summary>
    internal static bool TryOrderOf(string? clOrdId, out ulong order)
    {
        order = 0;
        if (clOrdId is null || clOrdId.Length < 2) return false;
        int dot = clOrdId.IndexOf('.', StringComparison.Ordinal);
        return ulong.TryParse(clOrdId.AsSpan(1, (dot < 0 ? clOrdId.Length : dot) - 1), NumberStyles.None, CultureInfo.InvariantCulture, out order);
    }

    private void Read()
    {
        while (!_stopping)
        {
            FixReceived? m;
            try
            {
                m = _client.TryExpect(_ => true, TimeSpan.FromMilliseconds(200));
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            if (m is null)
            {
                if (_client.Closed) break;
                continue;
            }
            long now = Stopwatch.GetTimestamp();
            if (m.MsgType == "5")
            {
                _listener.OnClosed("FIX logout: " + m[FixTags.Text]);
                break;
            }
            if (!TryOrderOf(m[FixTags.ClOrdId], out ulong order)) continue;
            if (m.MsgType == "8") OnExecutionReport(m, order, now);
            else if (m.MsgType == "9")
            {
                // "too late to cancel" / unknown order: the order finished meanwhile - a benign race, not an error
                bool late = m[FixTags.CxlRejReason] is "0" or "1" || m[FixTags.OrdStatus] is "2" or "4" or "8";
                _listener.OnAnswer(order, late ? Answer.TooLate : Answer.Rejected, now, m[FixTags.Text]);
                if (late) Done(order);
            }
        }
        if (_client.Closed && !_stopping) _listener.OnClosed("FIX connection closed");
    }

    private void OnExecutionReport(FixReceived m, ulong order, long now)
    {
        // The first report of a new order answers it, whatever it is: an IOC that fills or expires at once gets its
        // Trade or Canceled report without a separate New.
        bool ofNew = m[FixTags.ClOrdId]!.StartsWith('N');
        string? execType = m[FixTags.ExecType];
        if (ofNew && execType is "0" or "F" or "4" && _newAnswered.Add(order)) _listener.OnAnswer(order, Answer.Accepted, now);
        switch (execType)
        {
            case "5":
                if (_live.TryGetValue(order, out var o)) _live[order] = (m[FixTags.ClOrdId]!, o.Side);
                _listener.OnAnswer(order, Answer.Replaced, now);
                break;
            case "4":
                if (!ofNew) _listener.OnAnswer(order, Answer.Canceled, now);
                Done(order);
                break;
            case "8":
                _listener.OnAnswer(order, Answer.Rejected, now, m[FixTags.Text]);
                Done(order);
                break;
            case "F" when m[FixTags.OrdStatus] == "2":
                Done(order);
                break;
        }
    }

    private void Done(ulong order)
    {
        _live.TryRemove(order, out _);
        _newAnswered.Remove(order);
        _listener.OnDone(order);
    }

    public void Dispose()
    {
        _stopping = true;
        try
        {
            _client.Logout();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
        }
        _reader.Join(TimeSpan.FromSeconds(1));
        _client.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2));
    }
}
