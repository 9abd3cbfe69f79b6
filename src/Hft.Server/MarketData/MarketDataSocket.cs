using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Hft.Server.Api;
using Hft.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.MarketData;

/// <summary>
/// <c>/ws</c>: market data and the private user channel over WebSocket. Client messages: <c>{"op":"subscribe"|"unsubscribe",
/// "channel":"trades"|"level2"|"ticker"|"status"|"level3","symbol":"BTCUSD"}</c> (level2 may add <c>"conflate_ms"</c>),
/// <c>{"op":"subscribe","channel":"user"}</c> (admins may add <c>"account"</c>), <c>{"op":"auth","token":"..."}</c> and
/// <c>{"op":"ping"}</c> (answered <c>{"op":"pong"}</c>); bad ones get <c>{"error":{"code","message"}}</c>. A JWT may also
/// come with the upgrade request (Authorization header or <c>?token=</c>).
/// </summary>
public static class MarketDataSocket
{
    /// <summary>Subscribe/unsubscribe requests of one connection the publisher may have queued at once.</summary>
    public const int MaxPendingRequests = 256;

    public static void MapMarketDataSocket(this IEndpointRouteBuilder app)
        => app.Map("/ws", (HttpContext http, MarketDataPublisher publisher, WsAuth auth) => Handle(http, publisher, auth));

    private static async Task Handle(HttpContext http, MarketDataPublisher publisher, WsAuth auth)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await ApiError.Write(http, StatusCodes.Status400BadRequest, "websocket_required", "/ws speaks WebSocket only: send an upgrade request");
            return;
        }
        WsIdentity? identity = null;
        if (WsAuth.TokenOf(http.Request) is { } token)
        {
            var login = await auth.Login(token, http.Connection.RemoteIpAddress);
            if (login.Identity is null)
            {
                HttpAudit.MarkAudited(http); // by the login throttle
                bool locked = login.Code == "login_locked";
                if (locked)
                    http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(login.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ApiError.Write(http, locked ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized, login.Code!, login.Error!);
                return;
            }
            identity = login.Identity;
        }
        if (!publisher.TryOpenConnection())
        {
            await ApiError.Write(http, StatusCodes.Status503ServiceUnavailable, "too_many_connections",
                $"this server accepts {publisher.Options.MaxConnections} WebSocket connections; retry later");
            return;
        }
        try
        {
            await Serve(http, publisher, auth, identity, http.Connection.RemoteIpAddress);
        }
        finally
        {
            publisher.ConnectionClosed();
        }
    }

    private static async Task Serve(HttpContext http, MarketDataPublisher publisher, WsAuth auth, WsIdentity? identity, IPAddress? remote)
    {
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        using var connection = new WsConnection(socket, publisher.Options, publisher.Traffic, http.Features.Get<WsTransport>()) { Identity = identity };
        publisher.Register(connection);
        var sending = connection.SendLoop();
        try
        {
            await Receive(socket, connection, publisher, auth, remote, http.RequestAborted);
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

    private static async Task Receive(WebSocket socket, WsConnection connection, MarketDataPublisher publisher, WsAuth auth, IPAddress? remote,
        CancellationToken aborted)
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
            publisher.Traffic.Received(length);
            if (tooLarge)
                connection.TrySend(MarketDataPublisher.Error("message_too_large", $"messages are limited to {buffer.Length} bytes"));
            else if (result.MessageType != WebSocketMessageType.Text)
                connection.TrySend(MarketDataPublisher.Error("bad_request", "send JSON text messages"));
            else
                await Handle(buffer.AsMemory(0, length), connection, publisher, auth, remote);
        }
    }

    private static async Task Handle(ReadOnlyMemory<byte> message, WsConnection connection, MarketDataPublisher publisher, WsAuth auth, IPAddress? remote)
    {
        string? op, channelName, symbol, token, account;
        JsonElement conflate;
        if (!JsonInput.TryParse(message.Span, out var doc, out var invalid))
        {
            connection.TrySend(MarketDataPublisher.Error("bad_json", invalid));
            return;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                connection.TrySend(MarketDataPublisher.Error("bad_request", "a message is a JSON object with an \"op\""));
                return;
            }
            op = Text(doc.RootElement, "op");
            channelName = Text(doc.RootElement, "channel");
            symbol = Text(doc.RootElement, "symbol");
            token = Text(doc.RootElement, "token");
            account = Text(doc.RootElement, "account");
            conflate = doc.RootElement.TryGetProperty("conflate_ms", out var cm) ? cm.Clone() : default;
        }
        switch (op)
        {
            case "ping":
                connection.TrySend(MarketDataPublisher.Message(w => w.WriteString("op", "pong")));
                return;
            case "auth":
                await Authenticate(token, connection, auth, remote);
                return;
            case "subscribe" or "unsubscribe":
                break;
            case null:
                connection.TrySend(MarketDataPublisher.Error("bad_request", "the \"op\" field (a string) is required: subscribe, unsubscribe, auth or ping"));
                return;
            default:
                connection.TrySend(MarketDataPublisher.Error("unknown_op", $"unknown op '{op}': use subscribe, unsubscribe, auth or ping"));
                return;
        }
        if (channelName == "user")
        {
            User(op, account, connection, publisher);
            return;
        }
        if (!MarketDataPublisher.TryParseChannel(channelName, out var channel))
        {
            connection.TrySend(MarketDataPublisher.Error("unknown_channel",
                channelName is null ? $"the \"channel\" field is required: {Channels}" : $"unknown channel '{channelName}': use {Channels}"));
            return;
        }
        if (symbol is null || !publisher.Instruments.TryGet(symbol, out var inst))
        {
            connection.TrySend(MarketDataPublisher.Error("unknown_symbol", symbol is null ? "the \"symbol\" field is required" : $"unknown symbol '{symbol}'"));
            return;
        }
        int conflateMs = 0;
        if (op == "subscribe" && channel == Channel.Level3 && connection.Identity is not { Level3: true })
        {
            connection.TrySend(MarketDataPublisher.Error(connection.Identity is null ? "unauthorized" : "forbidden", connection.Identity is null
                ? "level3 needs authentication: connect with a token or send {\"op\":\"auth\",\"token\":\"...\"} first"
                : $"account '{connection.Identity.AccountName}' is not entitled to level3 ({Level3Access.Entitlement})"));
            return;
        }
        if (op == "subscribe" && !TryConflation(conflate, channel, publisher.Options, connection, out conflateMs)) return;
        if (!TryReserve(connection)) return;
        if (op == "subscribe") publisher.Subscribe(connection, channel, inst, conflateMs);
        else publisher.Unsubscribe(connection, channel, inst);
    }

    private const string Channels = "trades, level2, ticker, status, level3 or user";

    private static bool TryReserve(WsConnection connection)
    {
        if (Interlocked.Increment(ref connection.PendingRequests) <= MaxPendingRequests) return true;
        Interlocked.Decrement(ref connection.PendingRequests);
        connection.TrySend(MarketDataPublisher.Error("too_many_requests", $"more than {MaxPendingRequests} requests are waiting; slow down"));
        return false;
    }

    private static bool TryConflation(JsonElement value, Channel channel, MarketDataOptions options, WsConnection connection, out int ms)
    {
        ms = channel == Channel.Level2 ? options.DefaultConflateMs : 0;
        if (value.ValueKind == JsonValueKind.Undefined) return true;
        string? error = null;
        if (channel != Channel.Level2) error = "conflate_ms applies to level2 only";
        else if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out ms)) error = "conflate_ms must be an integer number of milliseconds";
        else if (ms != 0 && (ms < options.MinConflateMs || ms > 60_000))
            error = $"conflate_ms must be 0 (every change) or {options.MinConflateMs}..60000, got {ms}";
        if (error is null) return true;
        connection.TrySend(MarketDataPublisher.Error("bad_request", error));
        return false;
    }

    // A connection already authenticated may send a newer token of the same identity (its old one would end the
    // connection when it lapses); a token of another account or role is refused and the current one stays.
    private static async Task Authenticate(string? token, WsConnection connection, WsAuth auth, IPAddress? remote)
    {
        if (token is null)
        {
            connection.TrySend(MarketDataPublisher.Error("bad_request", "the \"token\" field (a JWT string) is required"));
            return;
        }
        var login = await auth.Login(token, remote);
        if (login.Identity is not { } identity)
        {
            connection.TrySend(MarketDataPublisher.Error(login.Code!, login.Error!));
            return;
        }
        if (connection.Identity is { } current && !current.SameAs(identity))
        {
            connection.TrySend(MarketDataPublisher.Error("already_authenticated", $"this connection is authenticated as '{current.AccountName}'"
                + $" ({(current.IsAdmin ? "admin" : "trader")}); renew it with a token of the same account and role, or open a new connection"));
            return;
        }
        connection.Identity = identity;
        connection.TrySend(MarketDataPublisher.Message(w =>
        {
            w.WriteString("op", "authenticated");
            w.WriteString("account", identity.AccountName);
            w.WriteString("role", identity.IsAdmin ? "admin" : "trader");
        }));
    }

    /// <summary>The user channel: the caller's own account; an admin may name any account.</summary>
    private static void User(string op, string? accountName, WsConnection connection, MarketDataPublisher publisher)
    {
        if (connection.Identity is not { } identity)
        {
            connection.TrySend(MarketDataPublisher.Error("unauthorized",
                "the user channel needs authentication: connect with a token or send {\"op\":\"auth\",\"token\":\"...\"} first"));
            return;
        }
        int account = identity.Account;
        if (accountName is not null && accountName != identity.AccountName)
        {
            if (!identity.IsAdmin)
            {
                connection.TrySend(MarketDataPublisher.Error("forbidden", "only an admin may follow another account's user channel"));
                return;
            }
            if (!publisher.Accounts.TryGet(accountName, out account))
            {
                connection.TrySend(MarketDataPublisher.Error("unknown_account", $"account '{accountName}' is not known to this venue"));
                return;
            }
        }
        if (!TryReserve(connection)) return;
        if (op == "subscribe") publisher.SubscribeUser(connection, account);
        else publisher.UnsubscribeUser(connection, account);
    }

    private static string? Text(JsonElement obj, string name)
        => obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
