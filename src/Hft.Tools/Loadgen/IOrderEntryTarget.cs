using Hft.Core.Orders;

namespace Hft.Tools.Loadgen;

/// <summary>How the server answered a request, as loadgen counts it.</summary>
public enum Answer : byte
{
    /// <summary>A new order was accepted (it may fill and finish at once).</summary>
    Accepted,
    Canceled,
    Replaced,
    /// <summary>Refused; counts as an error.</summary>
    Rejected,
    /// <summary>A cancel or replace found the order gone (it filled or was canceled meanwhile): a benign race, not an error.</summary>
    TooLate,
}

/// <summary>Told by a target, on its receive thread, what happened to the load's orders.</summary>
public interface ITargetListener
{
    /// <summary>
    /// The answer to the request outstanding on order <paramref name="clientOrderId"/>, at Stopwatch time
    /// <paramref name="timestamp"/>; for a refusal, the server's reason (its code name, e.g. <c>rate_limited</c>).
    /// </summary>
    void OnAnswer(ulong clientOrderId, Answer answer, long timestamp, string? reason = null);

    /// <summary>The order is finished (filled, canceled or rejected): no longer live.</summary>
    void OnDone(ulong clientOrderId);

    void OnClosed(string why);
}

/// <summary>
/// One loadgen connection to the server over some protocol (binary, REST; FIX later). Sends are buffered until
/// <see cref="Flush"/>; answers come to the listener. Called from one sending thread.
/// </summary>
public interface IOrderEntryTarget : IDisposable
{
    void NewOrder(ulong clientOrderId, Side side, TimeInForce tif, long price, long quantity);

    void Cancel(ulong clientOrderId);

    void Replace(ulong clientOrderId, long quantity, long price);

    void Flush();
}
