using System.Net.WebSockets;

namespace Hft.Feed;

/// <summary>
/// The connection half of an exchange adapter: connect to the URL, send the subscription, read text messages of at
/// most <see cref="MaxMessageBytes"/> and hand each to <see cref="Parse"/>; on any failure or close, wait
/// (<see cref="ReconnectBackoff"/>) and reconnect, until cancelled. Oversized and binary messages are counted and skipped.
/// </summary>
public abstract class WebSocketFeedAdapter(Uri url, ReconnectBackoff backoff) : IPriceFeedAdapter
{
    /// <summary>Largest message read (ticker messages are a few hundred bytes).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>A connection that receives nothing for this long is dropped and reconnected.</summary>
    public static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(60);

    public abstract string Source { get; }

    public Uri Url => url;

    /// <summary>Connections made (including the first).</summary>
    public long Connections { get; private set; }

    protected abstract byte[] SubscribeMessage();

    protected abstract FeedParseResult Parse(ReadOnlySpan<byte> message, IPriceSink sink);

    public async Task RunAsync(IPriceSink sink, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageBytes];
        while (!cancellationToken.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(15);
            bool connected = false;
            try
            {
                using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    connect.CancelAfter(TimeSpan.FromSeconds(10));
                    await socket.ConnectAsync(url, connect.Token);
                }
                connected = true;
                Connections++;
                sink.OnConnection(true);
                await socket.SendAsync(SubscribeMessage(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                await ReceiveLoop(socket, buffer, sink, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or System.Net.Sockets.SocketException
                                        or HttpRequestException)
            {
                // lost or refused: reconnect below
            }
            if (connected) sink.OnConnection(false);
            if (cancellationToken.IsCancellationRequested) break;
            try
            {
                await Task.Delay(backoff.Next(), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ReceiveLoop(ClientWebSocket socket, byte[] buffer, IPriceSink sink, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            int length = 0;
            bool oversized = false;
            ValueWebSocketReceiveResult r;
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            idle.CancelAfter(ReceiveTimeout);
            do
            {
                if (length == buffer.Length)
                {
                    oversized = true; // keep reading to the end of the message, discarding
                    length = 0;
                }
                r = await socket.ReceiveAsync(buffer.AsMemory(length), idle.Token);
                if (r.MessageType == WebSocketMessageType.Close) return;
                length += r.Count;
            } while (!r.EndOfMessage);
            if (oversized) sink.OnRejected(FeedParseResult.TooLarge);
            else if (r.MessageType != WebSocketMessageType.Text) sink.OnRejected(FeedParseResult.NotText);
            else
            {
                var result = Parse(buffer.AsSpan(0, length), sink);
                if (result == FeedParseResult.Price) backoff.Reset();
                else if (result != FeedParseResult.Ignored) sink.OnRejected(result);
            }
        }
    }
}
