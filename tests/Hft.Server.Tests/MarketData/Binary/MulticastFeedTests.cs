using System.Net;
using System.Net.Sockets;
using Hft.Client.MarketData;
using static Hft.Server.Tests.MarketData.Binary.FeedTestKit;

namespace Hft.Server.Tests.MarketData.Binary;

/// <summary>The feed to a multicast group on loopback (skipped, with the reason, where the sandbox has no multicast route).</summary>
public sealed class MulticastFeedTests
{
    [SkippableFact]
    public async Task A_group_member_on_loopback_rebuilds_the_book()
    {
        var group = IPAddress.Parse("239.255.77.77");
        int port = FreeUdpPort();
        FeedClient client;
        try
        {
            client = new FeedClient(new FeedClientOptions
            {
                Listen = new IPEndPoint(IPAddress.Any, port), MulticastGroup = group, MulticastInterface = IPAddress.Loopback,
            });
        }
        catch (SocketException e)
        {
            Skip.If(true, $"cannot join a multicast group on loopback here: {e.Message}");
            return;
        }
        var feed = await StartAsync(Options() with
        {
            MulticastGroup = group.ToString(), MulticastPort = port, MulticastInterface = "127.0.0.1", MulticastLoopback = true,
        });
        using (client)
        {
            try
            {
                client.Start();
                // a probe first: a sandbox may accept the join and still deliver nothing
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (client.Packets == 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
                {
                    feed.Pump();
                    Thread.Sleep(60);
                }
                Skip.If(client.Packets == 0, "multicast on loopback delivers nothing in this environment (no route for 239.0.0.0/8 via lo)");
                new RandomFeedFlow(feed, seed: 21).Run(500);
                Until(() => client.NextSequence == feed.Sequence + 1, () => $"client at {client.NextSequence}, feed at {feed.Sequence}");
                Assert.Equal(Text(feed.Book, 2), client.Read(b => Text(b, 2)));
            }
            finally
            {
                await StopAsync(feed);
            }
        }
    }

    /// <summary>A free UDP port for the group (a group member binds the group's port on every address).</summary>
    private static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
