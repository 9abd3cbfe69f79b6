using System.Diagnostics;
using System.Globalization;
using System.Text;
using Hft.Client;
using Hft.Client.Rest;
using Hft.Core.Orders;
using Hft.Gateways.Fix;

namespace Hft.Tools.Loadgen;

/// <summary>
/// A loadgen connection over FIX 4.4 (the repo's <see cref="FixClient"/>): one configured session (SenderCompID and
/// password) per connection; ClOrdIDs as <see cref="FixLoadClOrdIds"/> says. Requests are composed into the client's
/// buffer and written by <see cref="Flush"/>. Answers are ExecutionReports (New, Replaced, Canceled, Rejected, fills)
/// and OrderCancelRejects, read in place on the client's reader thread: no strings but a refusal's reason.
/// A replace asks for a new remaining quantity as on the binary protocol: OrderQty = CumQty seen so far + quantity.
/// </summary>
public sealed class FixTarget : IOrderEntryTarget, IFixMessageHandler
{
    private readonly FixClient _client;
    private readonly ITargetListener _listener;
    private readonly LoadInstrument _instrument;
    private readonly byte[] _symbol;
    private readonly FixLoadClOrdIds _ids;
    private readonly object _gate = new();
    private readonly Dictionary<ulong, LiveFixOrder> _live = new(); // under _gate: sender and reader threads
    private readonly ManualResetEventSlim _loggedOut = new(false);
    private long _requests;
    private volatile bool _stopping;

    private struct LiveFixOrder
    {
        public byte Side;

        /// <summary>0: named by its N ClOrdID; else by the R ClOrdID with this k (its last replace).</summary>
        public long NamedBy;

        public long CumLots;

        /// <summary>Its new order was answered (the first report of any kind).</summary>
        public bool Answered;
    }

    internal FixTarget(FixClient client, ITargetListener listener, LoadInstrument instrument, string run)
    {
        _client = client;
        _listener = listener;
        _instrument = instrument;
        _symbol = Encoding.ASCII.GetBytes(instrument.Symbol);
        _ids = new FixLoadClOrdIds(run);
        client.Attach(this);
    }

    /// <summary>
    /// Connects (over TLS when <paramref name="tls"/> is given) and logs on as <paramref name="session"/> ("SENDER:password"),
    /// trading instrument <paramref name="instrument"/>.
    /// </summary>
    public static async Task<FixTarget> ConnectAsync(string host, int port, string url, string session, int instrument, ITargetListener listener,
        System.Net.Security.SslClientAuthenticationOptions? tls = null)
    {
        int colon = session.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) throw new ArgumentException($"FIX session '{session}' must be SENDER:password");
        using var http = new HftRestClient(new HftRestClientOptions(new Uri(url)) { Timeout = TimeSpan.FromSeconds(10) });
        var traded = await LoadInstrument.FetchAsync(http, instrument);
        var client = await FixClient.ConnectAsync(host, port, tls, session[..colon]);
        var reply = client.Logon(session[(colon + 1)..], heartBtInt: 30, reset: true);
        if (reply.MsgType != "A")
        {
            await client.DisposeAsync();
            throw new InvalidOperationException($"FIX logon refused: {reply[FixTags.Text]}");
        }
        string run = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture);
        return new FixTarget(client, listener, traded, run);
    }

    public void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity)
    {
        Span<byte> id = stackalloc byte[FixLoadClOrdIds.MaxLength];
        Span<byte> px = stackalloc byte[32];
        Span<byte> qty = stackalloc byte[32];
        byte fixSide = side == Side.Buy ? (byte)'1' : (byte)'2';
        lock (_gate) _live[clientOrderId] = new LiveFixOrder { Side = fixSide };
        _client.NewOrder(id[.._ids.Format((byte)'N', clientOrderId, 0, id)], _symbol, fixSide, qty[.._instrument.Qty(quantity, qty)],
            px[.._instrument.Price(price, px)], (byte)'2', tif == TimeInForce.Ioc ? (byte)'3' : (byte)'1', default, flush: false);
    }

    // An order that finished (its last report was read) after loadgen picked it is answered at once, as the server would.
    public void Cancel(ulong clientOrderId)
    {
        if (!TryLive(clientOrderId, out var order))
        {
            _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
            return;
        }
        Span<byte> id = stackalloc byte[FixLoadClOrdIds.MaxLength];
        Span<byte> orig = stackalloc byte[FixLoadClOrdIds.MaxLength];
        _client.Cancel(id[.._ids.Format((byte)'X', clientOrderId, ++_requests, id)], orig[..Name(clientOrderId, in order, orig)], _symbol, order.Side,
            flush: false);
    }

    public void Replace(ulong clientOrderId, long quantity, long price)
    {
        if (!TryLive(clientOrderId, out var order))
        {
            _listener.OnAnswer(clientOrderId, Answer.TooLate, Stopwatch.GetTimestamp());
            return;
        }
        Span<byte> id = stackalloc byte[FixLoadClOrdIds.MaxLength];
        Span<byte> orig = stackalloc byte[FixLoadClOrdIds.MaxLength];
        Span<byte> px = stackalloc byte[32];
        Span<byte> qty = stackalloc byte[32];
        _client.Replace(id[.._ids.Format((byte)'R', clientOrderId, ++_requests, id)], orig[..Name(clientOrderId, in order, orig)], _symbol, order.Side,
            qty[.._instrument.Qty(order.CumLots + quantity, qty)], px[.._instrument.Price(price, px)], flush: false);
    }

    public void Flush() => _client.Flush();

    private bool TryLive(ulong clientOrderId, out LiveFixOrder order)
    {
        lock (_gate) return _live.TryGetValue(clientOrderId, out order);
    }

    // The order's current ClOrdID (OrigClOrdID of its next cancel or replace).
    private int Name(ulong clientOrderId, in LiveFixOrder order, Span<byte> dest)
        => _ids.Format(order.NamedBy == 0 ? (byte)'N' : (byte)'R', clientOrderId, order.NamedBy, dest);

    // ---- answers (the client's reader thread) ----

    public void OnMessage(FixMessage m)
    {
        long now = Stopwatch.GetTimestamp();
        if (m.MsgType == FixMsgTypes.Logout)
        {
            _loggedOut.Set();
            if (!_stopping) _listener.OnClosed("FIX logout: " + m.GetString(FixTags.Text));
            return;
        }
        if (m.MsgType is not (FixMsgTypes.ExecutionReport or FixMsgTypes.OrderCancelReject)) return;
        if (!_ids.TryParse(m.Get(FixTags.ClOrdId), out byte prefix, out ulong order, out long k)) return; // not this run's
        if (m.MsgType == FixMsgTypes.ExecutionReport) OnExecutionReport(m, prefix, order, k, now);
        else OnCancelReject(m, order, now);
    }

    private void OnExecutionReport(FixMessage m, byte prefix, ulong order, long k, long now)
    {
        // The first report of a new order answers it, whatever it is: an IOC that fills or expires at once gets its
        // Trade or Canceled report without a separate New.
        bool ofNew = prefix == (byte)'N';
        byte execType = m.GetChar(FixTags.ExecType);
        bool answersNew = false;
        lock (_gate)
        {
            if (_live.TryGetValue(order, out var live))
            {
                if (ofNew && execType is (byte)'0' or (byte)'F' or (byte)'4' && !live.Answered) answersNew = live.Answered = true;
                if (execType is (byte)'F' or (byte)'5') live.CumLots = _instrument.Lots(m.Get(FixTags.CumQty));
                if (execType == (byte)'5' && prefix == (byte)'R') live.NamedBy = k;
                _live[order] = live;
            }
        }
        if (answersNew) _listener.OnAnswer(order, Answer.Accepted, now);
        switch (execType)
        {
            case (byte)'5':
                _listener.OnAnswer(order, Answer.Replaced, now);
                break;
            case (byte)'4':
                if (!ofNew) _listener.OnAnswer(order, Answer.Canceled, now);
                Done(order);
                break;
            case (byte)'8':
                _listener.OnAnswer(order, Answer.Rejected, now, m.GetString(FixTags.Text));
                Done(order);
                break;
            case (byte)'F' when m.GetChar(FixTags.OrdStatus) == (byte)'2':
                Done(order);
                break;
        }
    }

    // "too late" (0) / unknown order (1): the order finished or filled meanwhile - a benign race, not an error
    private void OnCancelReject(FixMessage m, ulong order, long now)
    {
        byte reason = m.Get(FixTags.CxlRejReason) is { Length: 1 } r ? r[0] : (byte)0;
        byte status = m.GetChar(FixTags.OrdStatus);
        bool gone = reason == (byte)'1' || status is (byte)'2' or (byte)'4' or (byte)'8';
        bool late = gone || reason == (byte)'0';
        _listener.OnAnswer(order, late ? Answer.TooLate : Answer.Rejected, now, late ? null : m.GetString(FixTags.Text));
        if (gone) Done(order);
    }

    private void Done(ulong order)
    {
        lock (_gate) _live.Remove(order);
        _listener.OnDone(order);
    }

    public void OnClosed()
    {
        _loggedOut.Set();
        if (!_stopping) _listener.OnClosed("FIX connection closed");
    }

    public void Dispose()
    {
        _stopping = true;
        try
        {
            _client.Logout();
            _loggedOut.Wait(TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
        }
        _client.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2));
        _loggedOut.Dispose();
    }
}
