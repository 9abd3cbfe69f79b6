using Hft.Gateways.Tests.Support;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Hft.Gateways.Tests.Fix;

/// <summary>Heap measurements need the process to themselves: this collection runs after the parallel ones, alone.</summary>

/// <summary>
/// What a connection that has not logged on costs the acceptor while it waits: no thread and no receive buffer (a
/// zero-byte receive waits for data), only its socket, its admission ticket and its login timer.
/// </summary>
[Collection(RunsAlone.Name)]
public class FixIdleConnectionCostTests(ITestOutputHelper output)
{
    private const int Connections = 300;
    private const long MaxServerBytesPerConnection = 16 * 1024; // the binary gateway's bound too: process-wide counting picks up other work
    private const int Rounds = 3;

    [Fact]
    public async Task An_idle_connection_before_logon_costs_no_thread_and_at_most_a_few_kilobytes()
    {
        await using var f = await FixServerFixture.StartAsync(c => c with
        {
            Security = c.Security with { MaxConnectionsPerAddress = 2 * Connections, MaxUnauthenticated = 2 * Connections, LoginTimeoutSeconds = 300 },
        });
        var acceptor = f.Server.Fix!;

        Func<bool> acceptorHasThemAll = () => acceptor.WaitingForLogon >= Connections;

        // A warm-up round first (lazy allocations of the acceptor and the runtime), then paired rounds; the median
        // pair is reported: the node's own background work moves the heap by a few MB either way.
        await MeasureAsync(f.Port, acceptorHasThemAll);
        await Bounded.UntilAsync(() => acceptor.WaitingForLogon == 0, "the warm-up connections are gone");
        var pairs = new List<(Growth ClientsOnly, Growth WithAcceptor)>();
        for (int round = 0; round < Rounds; round++)
        {
            // The clients' sockets live in this process too: their cost is measured against a listener that never
            // accepts (a new one each round: what it never accepted stays in its backlog).
            using var deaf = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            deaf.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            deaf.Listen(Connections);
            var clientsOnly = await MeasureAsync(((IPEndPoint)deaf.LocalEndPoint!).Port, () => true);
            var withAcceptor = await MeasureAsync(f.Port, acceptorHasThemAll);
            await Bounded.UntilAsync(() => acceptor.WaitingForLogon == 0, "the measured connections are gone");
            pairs.Add((clientsOnly, withAcceptor));
        }
        var (clients, both) = pairs.OrderBy(p => p.WithAcceptor.Heap - p.ClientsOnly.Heap).ElementAt(Rounds / 2);

        double serverBytes = (double)(both.Heap - clients.Heap) / Connections;
        output.WriteLine($"{Connections} idle connections, median of {Rounds} rounds: acceptor heap {serverBytes:F0} B per connection " +
            $"(clients alone {clients.Heap / Connections} B, both ends {both.Heap / Connections} B), " +
            $"threads +{both.Threads} (clients alone +{clients.Threads}); all rounds: " +
            string.Join(", ", pairs.Select(p => $"{(p.WithAcceptor.Heap - p.ClientsOnly.Heap) / Connections} B")));
        Assert.True(both.Threads - clients.Threads < Connections / 10, $"threads grew by {both.Threads}: one per connection?");
        Assert.True(serverBytes <= MaxServerBytesPerConnection, $"{serverBytes:F0} B per idle connection");
    }

    private sealed record Growth(long Heap, int Threads, long WorkingSet);

    /// <summary>Live heap, threads and working set this process gains while <see cref="Connections"/> idle clients are connected to <paramref name="port"/>.</summary>
    private static async Task<Growth> MeasureAsync(int port, Func<bool> serverHasThemAll)
    {
        var before = Snapshot();
        var clients = new List<Socket>(Connections);
        try
        {
            for (int i = 0; i < Connections; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await s.ConnectAsync(IPAddress.Loopback, port);
                clients.Add(s);
            }
            await Bounded.UntilAsync(serverHasThemAll, $"the server holds all {Connections} connections");
            var after = Snapshot();
            return new Growth(after.Heap - before.Heap, after.Threads - before.Threads, after.WorkingSet - before.WorkingSet);
        }
        finally
        {
            foreach (var s in clients) s.Dispose();
        }
    }

    private static Growth Snapshot()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        return new Growth(heap, process.Threads.Count, process.WorkingSet64);
    }
}
