using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hft.Server.Tests.Feed;

/// <summary>
/// A real WebSocket server (Kestrel on 127.0.0.1, free port) standing where an exchange's feed would be: it records
/// what clients send (subscriptions), replays the messages a test gives it to every connected client, and can kill
/// every connection (abort, no close handshake) to make the client reconnect.
/// </summary>
internal sealed class LocalFeedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<WebSocket> _sockets = [];
    private readonly List<string> _received = [];
    private int _connections;

    private LocalFeedServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received) return _received.ToList();
        }
    }

    public static async Task<LocalFeedServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new LocalFeedServer(app);
        app.UseWebSockets();
        app.Map("/feed", server.Handle);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/feed");
        return server;
    }

    private async Task Handle(HttpContext http)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = 400;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        lock (_sockets) _sockets.Add(socket);
        Interlocked.Increment(ref _connections);
        var buffer = new byte[4096];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var r = await socket.ReceiveAsync(buffer, http.RequestAborted);
                if (r.MessageType == WebSocketMessageType.Close) break;
                lock (_received) _received.Add(Encoding.UTF8.GetString(buffer, 0, r.Count));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
        }
        finally
        {
            lock (_sockets) _sockets.Remove(socket);
        }
    }

    private List<WebSocket> Open()
    {
        lock (_sockets) return _sockets.Where(s => s.State == WebSocketState.Open).ToList();
    }

    /// <summary>Sends one message to every connected client; returns how many got it.</summary>
    public async Task<int> SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task<int> SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        int sent = 0;
        foreach (var socket in Open())
        {
            try
            {
                await socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);
                sent++;
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException)
            {
            }
        }
        return sent;
    }

    /// <summary>Drops every connection without a close handshake (as a crashed exchange gateway would).</summary>
    public void KillAll()
    {
        foreach (var socket in Open()) socket.Abort();
    }

    public static string CoinbaseTicker(string product, string price)
        => $$"""{"type":"ticker","sequence":1,"product_id":"{{product}}","price":"{{price}}","best_bid":"{{price}}","best_ask":"{{price}}","side":"buy","time":"2026-11-26T01:00:00.000000Z","trade_id":1,"last_size":"0.01"}""";

    public async ValueTask DisposeAsync()
    {
        KillAll();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
