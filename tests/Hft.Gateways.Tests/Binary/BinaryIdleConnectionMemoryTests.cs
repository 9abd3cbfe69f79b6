using System.Net;
using System.Net.Sockets;
using Hft.Gateways.Tests.Support;
using Xunit.Abstractions;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// What a connection that never logs on costs in memory: every byte the process allocates from connect to close,
/// per connection (run alone, so no other test's allocations are counted).
/// </summary>
[Collection(RunsAlone.Name)]
public class BinaryIdleConnectionMemoryTests(ITestOutputHelper output)
{
    /// <summary>Opens <paramref name="count"/> bare connections at once, waits until the gateway runs a session for each, closes them and waits until every session ended.</summary>
    private static async Task IdleConnectionsAsync(GatewayFixture s, int count)
    {
        var sockets = new Socket[count];
        for (int i = 0; i < count; i++)
        {
            sockets[i] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await sockets[i].ConnectAsync(new IPEndPoint(IPAddress.Loopback, s.Port));
        }
        await BinaryConnectionGuardTests.WaitUntil(() => s.Gateway.SessionCount == count, $"the gateway holds {count} connections");
        foreach (var socket in sockets) socket.Dispose();
        await BinaryConnectionGuardTests.WaitUntil(() => s.Gateway.SessionCount == 0, "every connection ended");
    }

    [Fact]
    public async Task A_connection_that_never_logs_on_costs_a_few_kilobytes_not_megabytes()
    {
        const int warmUp = 20, measured = 100;
        await using var s = await StartAsync(BinaryConnectionGuardTests.With(
            security => security with { MaxConnectionsPerAddress = 1000, MaxUnauthenticated = 1000 },
            gateway => gateway with { BinaryMaxSessions = 1000 }));
        await IdleConnectionsAsync(s, warmUp); // JIT, socket and thread-pool machinery
        long before = GC.GetTotalAllocatedBytes(precise: true);
        await IdleConnectionsAsync(s, measured);
        long perConnection = (GC.GetTotalAllocatedBytes(precise: true) - before) / measured;
        // Everything the process allocated meanwhile: both ends of each connection (the client socket too), the
        // sessions from accept to close, and whatever else the node did in that time.
        output.WriteLine($"allocated per idle connection (both ends, connect to close): {perConnection:N0} bytes");
        Assert.InRange(perConnection, 1, 16 * 1024);
    }
}
