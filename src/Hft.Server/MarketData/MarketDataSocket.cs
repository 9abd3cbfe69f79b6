using System.Net.WebSockets;
using System.Text.Json;
using Hft.Server.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.MarketData;

/// <summary>
/// <c>/ws</c>: public market data over WebSocket. Client messages: <c>{"op":"subscribe"|"unsubscribe","channel":"trades"|
/// "level2"|"ticker"|"status","symbol":"BTCUSD"}</c> and <c>{"op":"ping"}</c> (answered <c>{"op":"pong"}</c>); bad ones
/// get <c>{"error":{"code","message"}}</c>.
/// </summary>
public static class MarketDataSocket
{
    /// <summary>Subscribe/unsubscribe requests of one connection the publisher may have queued at once.</summary>
    public const int MaxPendingRequests = 256;

    public static void MapMarketDataSocket(this IEndpointRouteBuilder app) => app.Map("/ws", (HttpContext http, MarketDataPublisher publisher) => Handle(http, publisher));

    private static async Task Handle(HttpContext http, MarketDataPublisher publisher)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await ApiError.Write(http, StatusCodes.Status400BadRequest, "websocket_required", "/ws speaks WebSocket only: send an upgrade request");
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var connection = new WsConnection(socket, publisher.Options);
        publisher.Register(connection);
        var sending = connection.SendLoop();
        try
        {
            await Receive(socket, connection, publisher, http.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
        }
        finally
        {
            publisher.Unregister(connection);
            if (socket.State == WebSocketState.Open && !connection.Closed.IsCancellationRequested)
            {
                try
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
                {
                }
            }
            connection.Abort();
            await sending;
        }
    }

    private static async Task Receive(WebSocket socket, WsConnection connection, MarketDataPublisher publisher, CancellationToken aborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, connection.Closed);
        var buffer = new byte[publisher.Options.MaxMessageBytes];
        while (!linked.IsCancellationRequested)
        {
            int length = 0;
            bool tooLarge = false;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    tooLarge = true;
                    length = 0; // discard the rest of the message
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(length), linked.Token);
                if (result.MessageType == WebSocketMessageType.Close) return;
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (tooLarge)
                connection.TrySend(MarketDataPublisher.Error("message_too_large", $"messages are limited to {buffer.Length} bytes"));
            else if (result.MessageType != WebSocketMessageType.Text)
                connection.TrySend(MarketDataPublisher.Error("bad_request", "send JSON text messages"));
            else
                Handle(buffer.AsSpan(0, length), connection, publisher);
        }
    }

    private static void Handle(ReadOnlySpan<byte> message, WsConnection connection, MarketDataPublisher publisher)
    {
        string? op, channelName, symbol;
        try
        {
            var reader = new Utf8JsonReader(message);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                connection.TrySend(MarketDataPublisher.Error("bad_request", "a message is a JSON object with an \"op\""));
                return;
            }
            op = Text(doc.RootElement, "op");
            channelName = Text(doc.RootElement, "channel");
            symbol = Text(doc.RootElement, "symbol");
        }
        catch (JsonException e)
        {
            connection.TrySend(MarketDataPublisher.Error("bad_json", $"the message is not valid JSON: {e.Message}"));
            return;
        }
        switch (op)
        {
            case "ping":
                connection.TrySend(MarketDataPublisher.Message(w => w.WriteString("op", "pong")));
                return;
            case "subscribe" or "unsubscribe":
                break;
            case null:
                connection.TrySend(MarketDataPublisher.Error("bad_request", "the \"op\" field (a string) is required: subscribe, unsubscribe or ping"));
                return;
            default:
                connection.TrySend(MarketDataPublisher.Error("unknown_op", $"unknown op '{op}': use subscribe, unsubscribe or ping"));
                return;
        }
        if (!MarketDataPublisher.TryParseChannel(channelName, out var channel))
        {
            connection.TrySend(MarketDataPublisher.Error("unknown_channel",
                channelName is null ? "the \"channel\" field is required: trades, level2, ticker or status" : $"unknown channel '{channelName}': use trades, level2, ticker or status"));
            return;
        }
        if (symbol is null || !publisher.Instruments.TryGet(symbol, out var inst))
        {
            connection.TrySend(MarketDataPublisher.Error("unknown_symbol", symbol is null ? "the \"symbol\" field is required" : $"unknown symbol '{symbol}'"));
            return;
        }
        if (Interlocked.Increment(ref connection.PendingRequests) > MaxPendingRequests)
        {
            Interlocked.Decrement(ref connection.PendingRequests);
            connection.TrySend(MarketDataPublisher.Error("too_many_requests", $"more than {MaxPendingRequests} requests are waiting; slow down"));
            return;
        }
        if (op == "subscribe") publisher.Subscribe(connection, channel, inst);
        else publisher.Unsubscribe(connection, channel, inst);
    }

    private static string? Text(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
