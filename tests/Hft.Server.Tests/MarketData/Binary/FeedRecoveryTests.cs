using System.Net;
using System.Net.Sockets;
using Hft.Client.MarketData;
using Hft.MarketData;
using static Hft.Server.Tests.MarketData.Binary.FeedTestKit;

namespace Hft.Server.Tests.MarketData.Binary;

/// <summary>
/// The binary feed and the client library over real loopback sockets: lost datagrams filled by retransmission, a late
/// joiner rebuilt from a snapshot and the replay after it, and two subscribers of which one never reads.
/// </summary>
public sealed class FeedRecoveryTests
{
    private const int Instruments = 3;

    [Fact]
    public async Task Lost_packets_are_retransmitted_and_the_client_book_equals_the_feed_book()
    {
        using var relay = new LossyUdpRelay(n => n % 5 == 0);
        var feed = await StartAsync(Options(relay.Port), Instruments);
        try
        {
            using var client = NewClient(feed);
            long live = 0, recovered = 0, early = 0;
            client.OnMessage = (in FeedMessage m, long decoded, bool fromRecovery) =>
            {
                if (fromRecovery) recovered++;
                else live++;
                if (decoded < m.Timestamp) early++; // one clock on one host: never decoded before it was published
            };
            relay.To = client.Port;
            client.Start();
            new RandomFeedFlow(feed, seed: 7, Instruments).Run(3000);
            Until(() => client.NextSequence == feed.Sequence + 1, () => $"client at {client.NextSequence}, feed at {feed.Sequence}; {client.LastFailure}");
            Assert.True(relay.Dropped > 0);
            Assert.True(client.Gaps > 0);
            Assert.True(client.RecoveredMessages > 0);
            Assert.Equal(0, client.Snapshots); // everything was still in the ring
            Assert.Equal(0, client.RecoveryFailures);
            Assert.Equal(Text(feed.Book, Instruments), client.Read(b => Text(b, Instruments)));
            Assert.Equal(0, feed.Book.Inconsistencies + client.Read(b => b.Inconsistencies));
            Assert.True(feed.Recovery.RetransmitRequests > 0);
            Assert.True(feed.Recovery.RetransmittedMessages >= client.RecoveredMessages);
            Assert.Equal(feed.Sequence, Volatile.Read(ref live) + Volatile.Read(ref recovered)); // the decode hook saw every message once
            Assert.Equal(client.RecoveredMessages, Volatile.Read(ref recovered));
            Assert.Equal(0, Volatile.Read(ref early));
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task A_late_joiner_beyond_the_ring_rebuilds_from_a_snapshot_and_what_followed()
    {
        using var relay = new LossyUdpRelay(_ => false);
        var feed = await StartAsync(Options(relay.Port) with { RetransmitCapacity = 64 }, Instruments);
        try
        {
            new RandomFeedFlow(feed, seed: 11, Instruments).Run(2000); // nobody listening yet: the relay discards
            using var client = NewClient(feed);
            relay.ForwardFrom = feed.Sequence + 1; // the client joins after these, even if the relay still holds some
            relay.To = client.Port;
            client.Start();
            new RandomFeedFlow(feed, seed: 12, Instruments).Run(500);
            Until(() => client.NextSequence == feed.Sequence + 1, () => $"client at {client.NextSequence}, feed at {feed.Sequence}; {client.LastFailure}");
            Assert.Equal(1, client.Snapshots);
            Assert.True(feed.Recovery.Refusals(RecoveryError.NotAvailable) >= 1);
            Assert.Equal(Text(feed.Book, Instruments), client.Read(b => Text(b, Instruments)));
            Assert.Equal(0, feed.Book.Inconsistencies + client.Read(b => b.Inconsistencies));
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task A_snapshot_at_a_sequence_plus_the_replay_from_it_is_the_current_book()
    {
        var feed = await StartAsync(Options(), Instruments);
        try
        {
            new RandomFeedFlow(feed, seed: 3, Instruments).Run(1500);
            using var recovery = new FeedRecoveryClient(Recovery(feed), TimeSpan.FromSeconds(30));
            var book = new FeedBook();
            var snapshot = recovery.Snapshot(packet => ApplyAll(book, packet));
            Assert.True(snapshot.Ok, snapshot.ToString());
            Assert.Equal(feed.Sequence, snapshot.Sequence);
            Assert.Equal(feed.Session, snapshot.Session);
            Assert.Equal(Text(feed.Book, Instruments), Text(book, Instruments));

            new RandomFeedFlow(feed, seed: 4, Instruments).Run(1500);
            long next = snapshot.Sequence + 1;
            for (int round = 0; round < 100 && next <= feed.Sequence; round++)
            {
                var replay = recovery.Retransmit(next, 1000, packet => next = ApplyFrom(book, packet, next));
                Assert.True(replay.Ok, replay.ToString());
                Assert.Equal(next, replay.Sequence);
            }
            Assert.Equal(feed.Sequence + 1, next);
            Assert.Equal(Text(feed.Book, Instruments), Text(book, Instruments));
            Assert.Equal(0, book.Inconsistencies);
            for (ushort i = 0; i < Instruments; i++) Assert.Equal(feed.Book.InstrumentSequence(i), book.InstrumentSequence(i));
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task A_subscriber_that_never_reads_does_not_hold_back_the_other()
    {
        using var stalled = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4096 };
        stalled.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var relay = new LossyUdpRelay(_ => false);
        var feed = await StartAsync(Options(((IPEndPoint)stalled.LocalEndPoint!).Port, relay.Port), Instruments);
        try
        {
            using var client = NewClient(feed);
            relay.To = client.Port;
            client.Start();
            for (int burst = 0; burst < 10; burst++)
            {
                new RandomFeedFlow(feed, seed: 100 + burst, Instruments).Run(400);
                Until(() => client.NextSequence == feed.Sequence + 1, () => $"burst {burst}: client at {client.NextSequence}, feed at {feed.Sequence}");
            }
            Assert.Equal(Text(feed.Book, Instruments), client.Read(b => Text(b, Instruments)));
            Assert.Equal(0, feed.Book.Inconsistencies + client.Read(b => b.Inconsistencies));
            Assert.Equal(0, feed.SendErrors);
            Assert.True(stalled.Available < feed.Packets * 100, "the stalled socket holds only what its small buffer takes");
            Assert.True(feed.Packets > 50);
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    [Fact]
    public async Task End_of_session_and_heartbeats_reach_the_client()
    {
        using var relay = new LossyUdpRelay(_ => false);
        var feed = await StartAsync(Options(relay.Port), Instruments);
        using var client = NewClient(feed);
        relay.To = client.Port;
        client.Start();
        try
        {
            Until(() => { feed.Pump(); return client.Heartbeats > 0; }, () => "no heartbeat");
            new RandomFeedFlow(feed, seed: 5, Instruments).Run(10);
            feed.End();
            Until(() => client.Ended, () => "no end of session");
            Assert.Equal(feed.Sequence + 1, client.NextSequence);
        }
        finally
        {
            await StopAsync(feed);
        }
    }

    private static void ApplyAll(FeedBook book, ReadOnlySpan<byte> packet)
    {
        Assert.True(MoldPacket.TryReadHeader(packet, out _, out _, out ushort count));
        var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
        while (reader.TryNext(out var m)) Assert.True(book.Apply(m));
        Assert.False(reader.Malformed);
    }

    private static long ApplyFrom(FeedBook book, ReadOnlySpan<byte> packet, long next)
    {
        Assert.True(MoldPacket.TryReadHeader(packet, out _, out long sequence, out ushort count));
        Assert.Equal(next, sequence);
        var reader = new FeedPacketReader(packet[MoldPacket.HeaderSize..], count);
        while (reader.TryNext(out var m)) book.Apply(m);
        return sequence + count;
    }
}
