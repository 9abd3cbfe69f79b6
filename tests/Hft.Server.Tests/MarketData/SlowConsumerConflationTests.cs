using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Hft.Pipeline;
using Hft.Server.MarketData;
using Hft.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Tests.MarketData;

/// <summary>
/// Conflation as a slow consumer's right: a level2 subscriber whose send queue reaches half its limit is moved to
/// conflated updates instead of being dropped when the queue fills; its seq/prevSeq chain goes on and the book it
/// rebuilds is exact. The slow client is a real WebSocket over a loopback TCP connection whose server side holds every
/// write until the test opens it: how slow the client is does not depend on socket buffer sizes or timing.
/// </summary>
public sealed class SlowConsumerConflationTests
{
    private const int QueueLimit = 40;

    [Fact]
    public async Task A_level2_subscriber_whose_queue_is_half_full_gets_conflated_updates_and_an_exact_book_instead_of_a_resync()
    {
        await using var s = await ApiServerFixture.StartAsync(c => c, new MarketDataOptions { SendQueueLimit = QueueLimit, SlowConsumerConflateMs = 50 });
        var publisher = s.Server.Services.GetRequiredService<MarketDataPublisher>();
        Assert.True(publisher.Instruments.TryGet("BTCUSD", out var btc));

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var clientSocket = new TcpClient();
        await clientSocket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var serverSocket = await listener.AcceptTcpClientAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var serverWs = WebSocket.CreateFromStream(new GatedStream(serverSocket.GetStream(), gate.Task), isServer: true, null, Timeout.InfiniteTimeSpan);
        using var clientWs = WebSocket.CreateFromStream(clientSocket.GetStream(), isServer: false, null, Timeout.InfiniteTimeSpan);

        using var connection = new WsConnection(serverWs, publisher.Options);
        publisher.Register(connection);
        var sending = connection.SendLoop();
        Interlocked.Increment(ref connection.PendingRequests);
        publisher.Subscribe(connection, Channel.Level2, btc!);

        // Each resting order at a new price is one level2 update; the held socket lets them pile up in the send queue.
        var a1 = s.Client("A1");
        for (int i = 0; i < 3 * QueueLimit && publisher.SlowConsumerConflations == 0; i++)
            (await a1.Place(Rest.Limit("buy", (45000 + i).ToString(CultureInfo.InvariantCulture), "0.001"))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(1, publisher.SlowConsumerConflations);
        // Later changes reach it only conflated, some of them on levels it already holds.
        for (int i = 0; i < 10; i++)
            (await a1.Place(Rest.Limit("buy", (45000 + i % 5).ToString(CultureInfo.InvariantCulture), "0.002"))).AssertStatus(HttpStatusCode.Created);

        gate.SetResult();
        var expected = BookText((await s.Anonymous.Get("api/v1/book/BTCUSD?depth=1000")).Body);
        var bids = new SortedDictionary<decimal, string>();
        long lastSeq = -1;
        bool notified = false;
        int conflatedUpdates = 0;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!(notified && conflatedUpdates > 0 && Text(bids) == expected))
        {
            var m = await ReceiveAsync(clientWs, timeout.Token);
            if (m.TryGetProperty("op", out _) || Str(m, "channel") != "level2") continue;
            switch (Str(m, "type"))
            {
                case "snapshot":
                    Assert.Equal(-1, lastSeq);
                    Apply(bids, m);
                    lastSeq = m.GetProperty("seq").GetInt64();
                    break;
                case "update":
                    Assert.Equal(lastSeq, m.GetProperty("prevSeq").GetInt64()); // no gap, conflated or not
                    Apply(bids, m);
                    lastSeq = m.GetProperty("seq").GetInt64();
                    if (notified) conflatedUpdates++;
                    break;
                case "conflated":
                    Assert.Equal("slow_consumer", Str(m, "reason"));
                    Assert.Equal(50, m.GetProperty("conflate_ms").GetInt32());
                    notified = true;
                    break;
                default:
                    Assert.Fail($"unexpected level2 message {m}");
                    break;
            }
        }
        Assert.Equal(0, publisher.OverflowNotices); // never dropped
        Assert.Null(connection.CloseReason);
        publisher.Unregister(connection);
        connection.Abort();
        await sending.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private static string Str(JsonElement m, string name) => m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static void Apply(SortedDictionary<decimal, string> bids, JsonElement m)
    {
        foreach (var l in m.GetProperty("bids").EnumerateArray())
        {
            decimal price = decimal.Parse(l[0].GetString()!, CultureInfo.InvariantCulture);
            if (decimal.Parse(l[1].GetString()!, CultureInfo.InvariantCulture) == 0) bids.Remove(price);
            else bids[price] = $"{l[1].GetString()}x{l[2].GetInt32()}";
        }
    }

    private static string Text(SortedDictionary<decimal, string> bids) => string.Join(" ", bids.Select(b => $"{b.Key}:{b.Value}"));

    private static string BookText(JsonElement rest)
    {
        var bids = new SortedDictionary<decimal, string>();
        Apply(bids, rest);
        return Text(bids);
    }

    private static async Task<JsonElement> ReceiveAsync(WebSocket ws, CancellationToken token)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var r = await ws.ReceiveAsync(buffer, token);
            Assert.NotEqual(WebSocketMessageType.Close, r.MessageType);
            message.Write(buffer, 0, r.Count);
            if (r.EndOfMessage) return JsonDocument.Parse(Encoding.UTF8.GetString(message.ToArray())).RootElement.Clone();
        }
    }

    /// <summary>A stream whose writes wait until the gate opens (reads pass through).</summary>
    private sealed class GatedStream(Stream inner, Task gate) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await gate.WaitAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
