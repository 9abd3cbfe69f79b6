using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Routing.Tests.Support;

/// <summary>
/// FOR THE RETRY-LOGIC TESTS ONLY: a real Kestrel listener that plays a node which says it leads (as a deposed leader
/// does until it notices) and then does something to an order: refuses it with the contract's 421 not_leader (with or
/// without a leader hint), never answers, or resets the connection. It stands in for no hft behaviour the other tests
/// check; the orders that succeed land on real hft servers. Counts the order-entry requests it received.
/// </summary>
public sealed class RetryLogicPeer : IAsyncDisposable
{
    public enum Mode { NotLeader, Hang, Reset }

    private readonly WebApplication _app;
    private int _orders;

    private RetryLogicPeer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Order-entry requests received (POST/DELETE/PATCH under /api/v1/orders).</summary>
    public int Orders => Volatile.Read(ref _orders);

    public static async Task<RetryLogicPeer> StartAsync(int group, Mode mode, string? leaderHint = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var peer = new RetryLogicPeer(app);
        app.MapGet("/replication/status", () => Results.Json(new { enabled = true, group, nodeId = 9, role = "leader", term = 99, leader = (object?)null }));
        app.Map("/api/v1/orders/{**rest}", async (HttpContext http) =>
        {
            Interlocked.Increment(ref peer._orders);
            using var drain = new MemoryStream();
            await http.Request.Body.CopyToAsync(drain);
            switch (mode)
            {
                case Mode.NotLeader:
                    http.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                    await http.Response.WriteAsJsonAsync(new { error = new { code = "not_leader", message = "this node is not the leader", leader = leaderHint } });
                    break;
                case Mode.Hang:
                    await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { });
                    break;
                default:
                    http.Abort();
                    break;
            }
        });
        await app.StartAsync();
        peer.BaseUrl = app.Urls.First().TrimEnd('/');
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
