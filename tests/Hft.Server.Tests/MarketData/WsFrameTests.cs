using System.Net.WebSockets;
using System.Text;
using Hft.Server.MarketData;

namespace Hft.Server.Tests.MarketData;

/// <summary>Frames built once per message (<see cref="WsFrame"/>) and a lagging connection's queue written in one go.</summary>
public sealed class WsFrameTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    public async Task A_frame_is_what_a_websocket_client_reads_as_one_text_message(int length)
    {
        var payload = new byte[length];
        for (int i = 0; i < length; i++) payload[i] = (byte)('a' + i % 26);
        var frame = WsFrame.Text(payload);

        Assert.Equal(length, frame.PayloadLength);
        Assert.True(frame.Payload.Span.SequenceEqual(payload));
        var received = await ReadAll(frame.Bytes.ToArray(), 1);
        Assert.Equal(Encoding.ASCII.GetString(payload), received[0]);
    }

    [Fact]
    public async Task A_lagging_connection_gets_everything_queued_in_order_in_one_write()
    {
        var wire = new RecordingStream();
        var transport = new WsTransport(wire);
        using var socket = WebSocket.CreateFromStream(new MemoryStream(), isServer: true, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        using var connection = new WsConnection(socket, new MarketDataOptions { SendQueueLimit = 1000 }, transport: transport);
        var expected = new List<string>();
        for (int i = 0; i < 500; i++)
        {
            int seq = i;
            var frame = MarketDataPublisher.Message(w =>
            {
                w.WriteNumber("seq", seq);
                w.WriteString("pad", new string('x', seq % 300));
            });
            expected.Add(Encoding.UTF8.GetString(frame.Payload.Span));
            Assert.True(connection.TryQueue(frame));
        }

        connection.Wake();
        var sending = connection.SendLoop();
        var writes = await wire.WaitForWrites(1);
        connection.Abort();
        await sending;

        Assert.Single(writes);
        Assert.Equal(1, connection.Writes);
        Assert.Equal(expected, await ReadAll(writes[0], expected.Count));
    }

    [Fact]
    public void Queueing_a_shared_frame_to_many_connections_allocates_nothing()
    {
        var options = new MarketDataOptions { SendQueueLimit = 1000 };
        var connections = new List<WsConnection>();
        for (int i = 0; i < 200; i++)
            connections.Add(new WsConnection(WebSocket.CreateFromStream(new MemoryStream(), true, null, TimeSpan.Zero), options));
        var frame = MarketDataPublisher.Message(w => w.WriteString("channel", "trades"));
        foreach (var c in connections) c.TryQueue(frame); // the queues' first array
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 3; k++)
            foreach (var c in connections)
            {
                Assert.True(c.TryQueue(frame));
                c.Wake();
            }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        foreach (var c in connections) c.Dispose();
    }

    /// <summary>What a client reads from <paramref name="wire"/>: its first <paramref name="count"/> text messages.</summary>
    private static async Task<List<string>> ReadAll(byte[] wire, int count)
    {
        using var client = WebSocket.CreateFromStream(new MemoryStream(wire), isServer: false, subProtocol: null, keepAliveInterval: TimeSpan.Zero);
        var messages = new List<string>();
        var buffer = new byte[1 << 17];
        while (messages.Count < count)
        {
            int length = 0;
            ValueWebSocketReceiveResult r;
            do
            {
                r = await client.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                Assert.Equal(WebSocketMessageType.Text, r.MessageType);
                length += r.Count;
            }
            while (!r.EndOfMessage);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }
        return messages;
    }

    /// <summary>A write-only stream that keeps each write call's bytes apart.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly List<byte[]> _writes = new();
        private readonly SemaphoreSlim _written = new(0);

        public async Task<List<byte[]>> WaitForWrites(int count)
        {
            for (int i = 0; i < count; i++) Assert.True(await _written.WaitAsync(TimeSpan.FromSeconds(10)), "no write");
            lock (_writes) return [.. _writes];
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (_writes) _writes.Add(buffer.ToArray());
            _written.Release();
            return ValueTask.CompletedTask;
        }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
        public override int Read(byte[] buffer, int offset, int count) => 0;
        public override void Flush() { }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
