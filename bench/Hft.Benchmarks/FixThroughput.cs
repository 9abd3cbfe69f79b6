using System.Diagnostics;
using Hft.Client;
using Hft.Configuration;
using Hft.Gateways;
using Hft.Gateways.Fix;
using Hft.Node;
using Hft.Server;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Benchmarks;

/// <summary>
/// <c>--fix [orders-per-connection] [connections 1|2] [journal none|async|sync]</c>: FIX order-entry throughput on
/// loopback, server and client in this process (they share the machine, as the targets assume). Each
/// connection logs on as a development session and pipelines NewOrderSingle IOC limits that do not trade (each gets
/// an ExecutionReport New, then Canceled) with at most 1,000 orders in flight; orders/s = orders fully reported / elapsed.
/// </summary>
public static class FixThroughput
{
    public static void Run(string[] args)
    {
        int orders = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 200_000;
        int connections = args.Length > 1 ? Math.Clamp(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), 1, 2) : 1;
        string journal = args.Length > 2 ? args[2] : "async";
        var dir = Directory.CreateTempSubdirectory("hft-fix-bench-").FullName;
        try
        {
            RunAsync(orders, connections, journal, dir).GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task RunAsync(int orders, int connections, string journal, string dir)
    {
        var config = ConfigLoader.Load("development", null, new Dictionary<string, string?>());
        config = config with
        {
            Monitoring = config.Monitoring with { MetricsPort = 0 },
            Server = config.Server with { HttpPort = 0, AuditLog = Path.Combine(dir, "audit.log") },
            Trading = config.Trading with { MaxOrdersPerSecond = 0 },
            Journal = config.Journal with { Mode = journal, Dir = Path.Combine(dir, "journal") },
            Gateway = config.Gateway with { FixEnabled = true, FixPort = 0, FixStoreDir = Path.Combine(dir, "fix") },
        };
        var server = TradingNode.Create(config, logging: _ => { });
        await server.StartAsync();
        int port = server.Fix!.EndPoint!.Port;
        string[] senders = ["CLIENT_A1", "CLIENT_A2"];
        string[] passwords = ["dev-fix-A1", "dev-fix-A2"];
        var clients = new FixClient[connections];
        for (int i = 0; i < connections; i++)
        {
            clients[i] = await FixClient.ConnectAsync("127.0.0.1", port, senders[i]);
            clients[i].Logon(passwords[i], heartBtInt: 30, reset: true);
        }
        Console.WriteLine($"fix bench: {connections} connection(s) x {orders:N0} IOC orders, journal {journal}, {Environment.ProcessorCount} cores");
        var clock = Stopwatch.StartNew();
        var runs = clients.Select(c => Task.Run(() => Drive(c, orders))).ToArray();
        int[] done = await Task.WhenAll(runs);
        clock.Stop();
        int total = done.Sum();
        Console.WriteLine($"fix bench: {total:N0} orders reported in {clock.Elapsed.TotalSeconds:N2} s = {total / clock.Elapsed.TotalSeconds:N0} orders/s " +
            $"({2 * total / clock.Elapsed.TotalSeconds:N0} execution reports/s)");
        foreach (var c in clients) await c.DisposeAsync();
        await server.StopAsync();
        await server.DisposeAsync();
    }

    private static int Drive(FixClient client, int orders)
    {
        const int window = 1000;
        int completed = 0;
        int rejected = 0;
        var receiver = Task.Run(() =>
        {
            while (completed + rejected < orders)
            {
                var m = client.TryExpect(x => x.MsgType == "8", TimeSpan.FromSeconds(10));
                if (m is null) break;
                if (m[FixTags.ExecType] == "4") Interlocked.Increment(ref completed);
                else if (m[FixTags.ExecType] == "8") Interlocked.Increment(ref rejected);
            }
        });
        for (int i = 0; i < orders; i++)
        {
            var spin = new SpinWait();
            while (i - Volatile.Read(ref completed) - Volatile.Read(ref rejected) >= window && !receiver.IsCompleted) spin.SpinOnce();
            if (receiver.IsCompleted) break;
            client.NewOrder(client.NextClOrdId(), "BTCUSD", '1', "0.01", "49000.00", tif: '3');
        }
        receiver.Wait();
        if (rejected > 0) Console.WriteLine($"fix bench: {rejected} order(s) rejected");
        return completed;
    }
}
