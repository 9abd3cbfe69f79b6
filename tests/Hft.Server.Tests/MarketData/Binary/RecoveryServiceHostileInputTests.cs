using System.Buffers.Binary;
using System.Net.Sockets;
using Hft.Client.MarketData;
using Hft.MarketData;
using Hft.Server.MarketData.Binary;
using static Hft.Server.Tests.MarketData.Binary.FeedTestKit;

namespace Hft.Server.Tests.MarketData.Binary;

/// <summary>
/// Hostile or careless clients of the recovery service get a clear error code, cost bounded resources, and leave the feed
/// as it was: garbage, an oversized frame, a range too large, a range beyond the stream, an idle client, one client too many.
/// </summary>
public sealed class RecoveryServiceHostileInputTests
{
    private static async Task<BinaryFeed> Feed(Func<BinaryFeedOptions, BinaryFeedOptions>? with = null)
    {
        var options = Options() with { MaxRetransmitMessages = 100, RecoveryIdleTimeout = TimeSpan.FromSeconds(30) };
        var feed = await StartAsync(with is null ? options : with(options));
        new RandomFeedFlow(feed, seed: 1).Run(300);
        return feed;
    }

    private static Socket Connect(BinaryFeed feed)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 30_000, SendTimeout = 30_000 };
        socket.Connect(Recovery(feed));
        return socket;
    }

    /// <summary>Reads one frame: its type and body.</summary>
    private static (RecoveryFrameType Type, byte[] Body) ReadFrame(Socket socket)
    {
        var head = new byte[2];
        Fill(socket, head);
        var frame = new byte[BinaryPrimitives.ReadUInt16LittleEndian(head)];
        Fill(socket, frame);
        return ((RecoveryFrameType)frame[0], frame[1..]);
    }

    private static (RecoveryError Error, long Value) ReadError(Socket socket)
    {
        var (type, body) = ReadFrame(socket);
        Assert.Equal(RecoveryFrameType.Error, type);
        return ((RecoveryError)body[0], BinaryPrimitives.ReadInt64LittleEndian(body.AsSpan(1)));
    }

    private static void Fill(Socket socket, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = socket.Receive(buffer);
            if (n == 0) throw new IOException("closed");
            buffer = buffer[n..];
        }
    }

    /// <summary>The server closed the connection: a read returns 0 (bounded by the receive timeout).</summary>
    private static void AssertClosed(Socket socket)
    {
        var one = new byte[1];
        int n;
        try
        {
            n = socket.Receive(one);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            n = 0;
        }
        Assert.Equal(0, n);
    }

    private static async Task AssertUntouched(BinaryFeed feed, long sequence, string book)
    {
        Assert.Equal(sequence, feed.Sequence);
        Assert.Equal(book, Text(feed.Book, 2));
        using var recovery = new FeedRecoveryClient(Recovery(feed), TimeSpan.FromSeconds(30));
        var fresh = new FeedBook();
        var snapshot = recovery.Snapshot(packet =>
        {
            MoldPacket.TryReadHeader(packet, out _, out _, out ushort count);
            var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
            while (reader.TryNext(out var m)) fresh.Apply(m);
        });
        Assert.True(snapshot.Ok, snapshot.ToString());
        Assert.Equal(book, Text(fresh, 2));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Garbage_and_oversized_frames_get_an_error_and_the_connection_is_closed()
    {
        var feed = await Feed();
        try
        {
            long sequence = feed.Sequence;
            string book = Text(feed.Book, 2);

            using (var garbage = Connect(feed))
            {
                garbage.Send([0x05, 0x00, (byte)'X', 1, 2, 3, 4]); // a small frame of an unknown type
                Assert.Equal((RecoveryError.Malformed, 0L), ReadError(garbage));
                AssertClosed(garbage);
            }
            using (var oversized = Connect(feed))
            {
                oversized.Send([0xFF, 0xFF, (byte)'R']); // announces 65535 bytes: never read, refused at once
                Assert.Equal((RecoveryError.Oversized, (long)RecoveryProtocol.MaxRequestFrame), ReadError(oversized));
                AssertClosed(oversized);
            }
            using (var badRange = Connect(feed))
            {
                var request = new byte[RecoveryProtocol.RetransmitRequestSize];
                RecoveryProtocol.WriteRetransmitRequest(request, 0, 10); // sequences start at 1
                badRange.Send(request);
                Assert.Equal(RecoveryError.Malformed, ReadError(badRange).Error);
                AssertClosed(badRange);
            }
            Assert.Equal(2, feed.Recovery.Refusals(RecoveryError.Malformed));
            Assert.Equal(1, feed.Recovery.Refusals(RecoveryError.Oversized));
            await AssertUntouched(feed, sequence, book);
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task Ranges_too_large_or_beyond_the_stream_are_refused_and_the_connection_stays_usable()
    {
        var feed = await Feed();
        try
        {
            long sequence = feed.Sequence;
            using var recovery = new FeedRecoveryClient(Recovery(feed), TimeSpan.FromSeconds(30));
            var tooLarge = recovery.Retransmit(1, 101, _ => Assert.Fail("no data for a refused range"));
            Assert.Equal((RecoveryError.RangeTooLarge, 100L), (tooLarge.Error, tooLarge.Value));
            var beyond = recovery.Retransmit(sequence + 1, 10, _ => Assert.Fail("nothing beyond the stream"));
            Assert.Equal((RecoveryError.BeyondEnd, sequence), (beyond.Error, beyond.Value));

            int packets = 0;
            var tail = recovery.Retransmit(sequence - 9, 100, _ => packets++); // asks past the end: gets what there is
            Assert.True(tail.Ok, tail.ToString());
            Assert.Equal(sequence + 1, tail.Sequence);
            Assert.True(packets >= 1);
            Assert.Equal(1, feed.Recovery.Accepted); // one connection served all three
            Assert.Equal(10, feed.Recovery.RetransmittedMessages);
            await AssertUntouched(feed, sequence, Text(feed.Book, 2));
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task An_idle_client_is_dropped_with_a_reason()
    {
        var feed = await Feed(o => o with { RecoveryIdleTimeout = TimeSpan.FromSeconds(1) });
        try
        {
            using var idle = Connect(feed); // sends nothing
            Assert.Equal((RecoveryError.IdleTimeout, 1L), ReadError(idle)); // the read waits up to 30 s, the service 1 s
            AssertClosed(idle);
            Until(() => feed.Recovery.Clients == 0, () => $"{feed.Recovery.Clients} clients still counted");
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task One_client_more_than_the_limit_is_refused_and_the_others_are_served()
    {
        var feed = await Feed(o => o with { MaxRecoveryClients = 2 });
        try
        {
            using var first = new FeedRecoveryClient(Recovery(feed), TimeSpan.FromSeconds(30));
            using var second = new FeedRecoveryClient(Recovery(feed), TimeSpan.FromSeconds(30));
            Assert.True(first.Retransmit(1, 5, _ => { }).Ok);
            Assert.True(second.Retransmit(1, 5, _ => { }).Ok);
            Until(() => feed.Recovery.Clients == 2, () => $"{feed.Recovery.Clients} clients");

            using var third = Connect(feed);
            Assert.Equal((RecoveryError.TooManyClients, 2L), ReadError(third));
            AssertClosed(third);
            Assert.True(first.Retransmit(6, 5, _ => { }).Ok); // the two admitted ones go on
            Assert.Equal(2, feed.Recovery.Clients);
        }
        finally
        {
            await StopAsync(feed);
        }
    }
}
