using Hft.Client;
using Hft.Core.Events;
using Hft.Core.Orders;
using Hft.Gateways.Binary;

namespace Hft.Tools.Loadgen;

/// <summary>A loadgen connection over the binary protocol (the repo's <see cref="BinaryClient"/>).</summary>
public sealed class BinaryTarget : IOrderEntryTarget, IBinaryClientHandler
{
    private readonly ITargetListener _listener;
    private readonly int _instrument;
    private BinaryClient? _client;

    private BinaryTarget(ITargetListener listener, int instrument)
    {
        _listener = listener;
        _instrument = instrument;
    }

    /// <param name="tls">Client options for a TLS gateway (--tls), or null for plain TCP.</param>
    public static async Task<BinaryTarget> ConnectAsync(string host, int port, string apiKey, int instrument, ITargetListener listener,
        System.Net.Security.SslClientAuthenticationOptions? tls = null)
    {
        var target = new BinaryTarget(listener, instrument);
        target._client = await BinaryClient.ConnectAsync(host, port, tls, target);
        var reply = await target._client.LoginAsync(AuthKind.ApiKey, apiKey);
        if (reply.Type != MessageType.LoginAccepted)
        {
            target.Dispose();
            throw new InvalidOperationException($"binary login refused: {(LoginRejectReason)reply.Reason}");
        }
        return target;
    }

    public void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity)
        => _client!.SendNewOrder(clientOrderId, _instrument, side, OrderType.Limit, tif, price, quantity, flush: false);

    public void Cancel(ulong clientOrderId) => _client!.SendCancel(clientOrderId, flush: false);

    public void Replace(ulong clientOrderId, long quantity, long price) => _client!.SendReplace(clientOrderId, quantity, price, flush: false);

    public void Flush() => _client!.Flush();

    public void OnMessage(in BinaryMessage m)
    {
        long now = System.Diagnostics.Stopwatch.GetTimestamp();
        switch (m.Type)
        {
            case MessageType.OrderAccepted:
                _listener.OnAnswer(m.ClientOrderId, Answer.Accepted, now);
                break;
            case MessageType.Replaced:
                _listener.OnAnswer(m.ClientOrderId, Answer.Replaced, now);
                break;
            case MessageType.Canceled:
                _listener.OnAnswer(m.ClientOrderId, Answer.Canceled, now);
                _listener.OnDone(m.ClientOrderId);
                break;
            case MessageType.OrderRejected:
                bool late = (RejectReason)m.Reason == RejectReason.UnknownOrder && m.Op != 1;
                _listener.OnAnswer(m.ClientOrderId, late ? Answer.TooLate : Answer.Rejected, now, ((RejectReason)m.Reason).Name());
                if (m.Op == 1 || late) _listener.OnDone(m.ClientOrderId);
                break;
            case MessageType.Fill when m.Leaves == 0:
                _listener.OnDone(m.ClientOrderId);
                break;
        }
    }

    public void OnClosed(DisconnectReason? reason) => _listener.OnClosed(reason?.ToString() ?? "connection closed");

    public void Dispose()
    {
        try
        {
            _client?.SendLogout();
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
        }
        _client?.Dispose();
    }
}
