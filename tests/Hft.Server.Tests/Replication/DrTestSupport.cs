using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Hft.Configuration;
using Hft.Pipeline.Replication;
using Hft.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Tests.Replication;

/// <summary>Nodes of the disaster-recovery tests: sources and replicas as real in-process nodes on loopback ports, journals in a temp dir.</summary>
internal static class Dr
{
    /// <summary>The development profile's ops token (its SHA-256 is [monitoring] ops_token_sha256): what a replica sends.</summary>
    public const string OpsToken = "dev-ops-token";

    public static Task<ApiServerFixture> StartSource(string dir, Func<HftConfig, HftConfig>? more = null)
        => ApiServerFixture.StartAsync(c =>
        {
            c = c with { Journal = c.Journal with { Mode = "sync", Dir = dir } };
            return more is null ? c : more(c);
        });

    public static Task<ApiServerFixture> StartReplica(string dir, IReadOnlyList<string> sources, Func<HftConfig, HftConfig>? more = null)
        => ApiServerFixture.StartAsync(c =>
        {
            c = c with
            {
                Journal = c.Journal with { Mode = "sync", Dir = dir },
                Dr = new DrConfig { Enabled = true, Sources = sources, Token = OpsToken, ReconnectMaxMs = 200, StaleSeconds = 10 },
            };
            return more is null ? c : more(c);
        });

    public static DrFollower Follower(this ApiServerFixture node) => node.Server.Services.GetRequiredService<DrFollower>();

    public static string Url(this ApiServerFixture node) => node.BaseAddress.ToString().TrimEnd('/');

    /// <summary>Waits for <paramref name="condition"/> (polled; the timeout is only a bound on a broken run, never a measurement).</summary>
    public static async Task Until(Func<bool> condition, string what, int seconds = 60)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(seconds)) Assert.Fail($"not within {seconds} s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>The value of a gauge without labels in the node's /metrics (the ops token: the operator's view).</summary>
    public static async Task<double> Metric(this ApiServerFixture node, string name)
    {
        using var client = node.NewClient(OpsToken);
        string text = (await client.Get("metrics")).AssertStatus(HttpStatusCode.OK).Text;
        foreach (var line in text.Split('\n'))
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
        throw new Xunit.Sdk.XunitException($"{name} not in /metrics:\n{text}");
    }

    public static async Task<(string Hash, long Sequence)> StateHash(this ApiServerFixture node)
    {
        using var client = node.NewClient(OpsToken);
        var r = (await client.Get("debug/state-hash")).AssertStatus(HttpStatusCode.OK);
        return (r.Str("hash"), r.Body.GetProperty("journalSequence").GetInt64());
    }

    /// <summary>Trades on <paramref name="node"/>: resting orders and crossing ones (fills), each acknowledged (201).</summary>
    public static async Task Trade(this ApiServerFixture node, int pairs, string tag)
    {
        for (int i = 0; i < pairs; i++)
        {
            string price = (49_900 + i % 50).ToString(CultureInfo.InvariantCulture) + ".00";
            (await node.Client("A1").Place(Rest.Limit("buy", price, "0.10", clientOrderId: $"{tag}-b{i}"))).AssertStatus(HttpStatusCode.Created);
            (await node.Client("A2").Place(Rest.Limit("sell", price, i % 2 == 0 ? "0.10" : "0.05", clientOrderId: $"{tag}-s{i}")))
                .AssertStatus(HttpStatusCode.Created);
        }
    }
}

/// <summary>
/// A TCP relay on a loopback port in front of a source: <see cref="Cut"/> is a network partition (every relayed
/// connection closed, new ones closed at accept), <see cref="Heal"/> ends it.
/// </summary>
internal sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _cut;

    public TcpRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void Cut()
    {
        _cut = true;
        lock (_open)
        {
            foreach (var c in _open) c.Dispose();
            _open.Clear();
        }
    }

    public void Heal() => _cut = false;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            if (_cut)
            {
                inbound.Dispose();
                continue;
            }
            var outbound = new TcpClient();
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _target);
            }
            catch (SocketException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }
            _ = Pump(inbound, outbound);
            _ = Pump(outbound, inbound);
        }
    }

    private static async Task Pump(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
