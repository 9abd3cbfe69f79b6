using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Process;

/// <summary>
/// The real <c>hft serve</c> process on a loopback port: HTTP from outside, tokens from <c>hft token</c> and from
/// POST /auth/token, and SIGTERM during a burst of orders — exit 0, the pipeline drained, no acknowledged order lost.
/// </summary>
public sealed class ServeProcessTests
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private static Dictionary<string, string> ServeEnv(int port) => new()
    {
        ["HFT_CONFIG_DIR"] = Repo.ConfigDir,
        ["HFT_MONITORING__METRICS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["HFT_GATEWAY__FIX_PORT"] = "0", // the development profile serves FIX: any free port
    };

    private static HttpClient Client(int port, string? token)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}/"),
            Timeout = TimeSpan.FromSeconds(20),
        };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Serve_answers_http_then_drains_on_sigterm_without_losing_an_acknowledged_order()
    {
        var work = Directory.CreateTempSubdirectory("hft-serve-test-");
        var (started, port) = await HftProcess.StartServeAsync(["serve"], ServeEnv, work.FullName, s_startTimeout);
        using var serve = started;
        try
        {
            Assert.Contains($"hft: listening on http://127.0.0.1:{port}", serve.Stdout, StringComparison.Ordinal);
            Assert.Contains("profile=development", serve.Stdout, StringComparison.Ordinal);
            Assert.Contains("hft: FIX 4.4 acceptor listening on 127.0.0.1:", serve.Stdout, StringComparison.Ordinal);

            // A token from the CLI (`hft token`), and one from the API key exchange.
            var (tokenExit, tokenRun) = await HftProcess.RunAsync(["token", "--account", "A1", "--role", "trader"],
                new Dictionary<string, string> { ["HFT_CONFIG_DIR"] = Repo.ConfigDir }, TimeSpan.FromSeconds(60));
            Assert.True(tokenExit == 0, tokenRun.Stderr);
            var cliToken = tokenRun.Stdout.Trim();
            Assert.Equal(2, cliToken.Count(c => c == '.'));
            using var anonymous = Client(port, null);
            var exchanged = (await anonymous.Post("api/v1/auth/token", new { apiKey = "dev-key-A2" })).AssertStatus(HttpStatusCode.OK);

            using var a1 = Client(port, cliToken);
            using var a2 = Client(port, exchanged.Str("token"));
            Assert.Equal("ready", (await anonymous.Get("ready")).AssertStatus(HttpStatusCode.OK).Str("status"));
            var first = (await a1.Place(Rest.Limit("buy", "49500", "1", clientOrderId: "proc-1"))).AssertStatus(HttpStatusCode.Created);
            Assert.Equal("new", first.Str("status"));
            var listed = (await a1.Get("api/v1/orders")).AssertStatus(HttpStatusCode.OK).Body.EnumerateArray().Single();
            Assert.Equal(first.Id, listed.GetProperty("id").GetInt64());
            (await anonymous.Get("api/v1/orders")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");

            // Burst: 32 concurrent senders, crossing buys (A1) and sells (A2); SIGTERM once 300 are answered.
            var acks = new ConcurrentBag<ApiResult>();
            var others = new ConcurrentBag<ApiResult>();
            int next = -1, answered = 0, refusedConnections = 0;
            var clock = Stopwatch.StartNew();
            var senders = Enumerable.Range(0, 32).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < 20_000 && clock.Elapsed < TimeSpan.FromSeconds(40))
                {
                    ApiResult r;
                    try
                    {
                        r = await (i % 2 == 0 ? a1 : a2).Place(Rest.Limit(i % 2 == 0 ? "buy" : "sell", (49_990 + i % 20).ToString(System.Globalization.CultureInfo.InvariantCulture), "0.01"));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref refusedConnections); // the listener is closed: this sender is done
                        return;
                    }
                    (r.Status == HttpStatusCode.Created ? acks : others).Add(r);
                    Interlocked.Increment(ref answered);
                }
            }).ToArray();
            while (Volatile.Read(ref answered) < 300 && clock.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(5);
            serve.Terminate();
            int exit = await serve.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await Task.WhenAll(senders);

            Assert.True(exit == 0, $"exit {exit}\nstdout:\n{serve.Stdout}\nstderr:\n{serve.Stderr}");
            Assert.Contains("pipeline: drained and stopped", serve.Stdout, StringComparison.Ordinal);
            Assert.Contains("hft: stopped", serve.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("shutdown timeout reached", serve.Stdout, StringComparison.Ordinal);
            Assert.True(acks.Count >= 300, $"{acks.Count} acknowledged before SIGTERM");
            // Every 201 was decided by the engine before the answer left: a final or resting status, never pending.
            Assert.All(acks, a => Assert.Contains(a.Str("status"), new[] { "new", "partially_filled", "filled" }));
            Assert.Equal(acks.Count, acks.Select(a => a.Id).Distinct().Count());
            // Anything else was refused while stopping (503), never a server error.
            Assert.All(others, r => Assert.True(r.Status == HttpStatusCode.ServiceUnavailable, r.ToString()));
            var traded = acks.Sum(a => a.Body.GetProperty("fills").GetArrayLength());
            Assert.True(traded > 0, "the crossing burst should have traded");
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Serve_refuses_a_port_in_use_with_exit_1()
    {
        using var holder = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;
        var work = Directory.CreateTempSubdirectory("hft-serve-port-test-"); // its own data/fix: a FIX store is locked per process
        try
        {
            var (exit, run) = await HftProcess.RunAsync(["serve"], ServeEnv(port), TimeSpan.FromSeconds(60), work.FullName);
            Assert.True(exit == 1, $"exit {exit}\nstdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
            Assert.Contains("cannot listen", run.Stderr, StringComparison.Ordinal);
            run.Dispose();
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { }
        }
    }
}
