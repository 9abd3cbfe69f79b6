using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Hft.Server.Tests.MarketData;

/// <summary>A real <see cref="ClientWebSocket"/> on a server's <c>/ws</c>; received messages are parsed into a queue.</summary>
public sealed class WsClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();
    private Task _reading = Task.CompletedTask;

    public ClientWebSocket Socket => _socket;

    /// <summary>Every message received so far that matched nothing yet is still queued; this drains what arrives within <paramref name="seconds"/>.</summary>
    public async Task<List<JsonElement>> DrainAsync(double seconds)
    {
        var list = new List<JsonElement>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            while (true) list.Add(await _received.Reader.ReadAsync(cts.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
        {
        }
        return list;
    }

    public static Uri Address(Uri baseAddress) => new($"ws://{baseAddress.Authority}/ws");

    /// <summary>
    /// Connects; with <paramref name="read"/> false nothing is ever read (a slow consumer). A <paramref name="bearer"/>
    /// goes in the Authorization header, a <paramref name="queryToken"/> in <c>?token=</c>.
    /// </summary>
    public static async Task<WsClient> ConnectAsync(Uri baseAddress, bool read = true, string? bearer = null, string? queryToken = null)
    {
        var client = new WsClient();
        client._socket.Options.CollectHttpResponseDetails = true;
        if (bearer is not null) client._socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        var uri = Address(baseAddress);
        if (queryToken is not null) uri = new Uri(uri + "?token=" + Uri.EscapeDataString(queryToken));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(uri, cts.Token);
        if (read) client.StartReading();
        return client;
    }

    public void StartReading() => _reading = Task.Run(ReadLoop);

    public Task SendAsync(object message) => SendRawAsync(message as string ?? JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cts.Token);
    }

    /// <summary>The next message matching <paramref name="match"/> (others are skipped); fails after the timeout.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, double seconds = 10)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            JsonElement m;
            try
            {
                m = await _received.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no matching WebSocket message in time");
            }
            if (match(m)) return m;
        }
    }

    /// <summary>The next message that is not a heartbeat.</summary>
    public Task<JsonElement> NextAsync(double seconds = 10) => NextAsync(m => Str(m, "op") != "heartbeat", seconds);

    /// <summary>True when the server closed the connection within the timeout.</summary>
    public async Task<bool> ClosedAsync(double seconds)
    {
        var done = await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(seconds)));
        return done == _reading;
    }

    public static string? Str(JsonElement m, string name)
        => m.ValueKind == JsonValueKind.Object && m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private async Task ReadLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var r = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using (var doc = JsonDocument.Parse(message.ToArray())) _received.Writer.TryWrite(doc.RootElement.Clone());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        _received.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        await _reading.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
