namespace Hft.Server.MarketData;

/// <summary>
/// Messages and bytes in and out of every /ws connection, added with Interlocked adds per WebSocket message or batch (no
/// allocation); exported at scrape time as <c>hft_gateway_messages_total{protocol="ws"}</c> and
/// <c>hft_gateway_bytes_total{protocol="ws"}</c> (payload bytes, without WebSocket framing).
/// </summary>
public sealed class WsTraffic
{
    private long _messagesIn, _messagesOut, _bytesIn, _bytesOut;

    public long MessagesIn => Interlocked.Read(ref _messagesIn);
    public long MessagesOut => Interlocked.Read(ref _messagesOut);
    public long BytesIn => Interlocked.Read(ref _bytesIn);
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    public void Received(int bytes)
    {
        Interlocked.Increment(ref _messagesIn);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    public void Sent(int messages, long bytes)
    {
        Interlocked.Add(ref _messagesOut, messages);
        Interlocked.Add(ref _bytesOut, bytes);
    }
}
