using System.Text.Json;
using Hft.Gateways.Tests.Support;

namespace Hft.Gateways.Tests.Binary;

/// <summary>The real <c>hft loadgen</c> process against a real server's binary gateway, briefly: it runs, gets every answer and reads the server's latency.</summary>
public class LoadgenEndToEndTests
{
    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => CliProcess.RunAsync(args);

    [Theory]
    [InlineData("0")]      // flat out
    [InlineData("2000")]   // paced, coordinated-omission corrected
    public async Task Loadgen_drives_the_binary_gateway_and_reports_json(string rate)
    {
        await using var s = await GatewayFixture.StartAsync();
        var (code, stdout, stderr) = await RunAsync("loadgen", "--port", s.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--url", s.Server.Urls[0], "--connections", "2", "--duration", "2", "--count", "3000", "--rate", rate, "--json");
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("binary", r.GetProperty("protocol").GetString());
        long requests = r.GetProperty("requests").GetInt64();
        Assert.InRange(requests, 100, 3000);
        Assert.Equal(requests, r.GetProperty("answered").GetInt64());
        Assert.Equal(0, r.GetProperty("errors").GetInt64());
        Assert.True(r.GetProperty("roundTripP99Us").GetDouble() > 0);
        Assert.Equal(rate != "0", r.GetProperty("coordinatedOmissionCorrected").GetBoolean());
        Assert.True(r.GetProperty("serverSamples").GetDouble() >= r.GetProperty("newOrders").GetInt64(), stdout);
        Assert.True(r.GetProperty("serverP99Us").GetDouble() > 0);
    }

    [Fact]
    public async Task Loadgen_drives_the_fix_acceptor_with_one_connection_per_session()
    {
        await using var s = await GatewayFixture.StartAsync(c => c with { Gateway = c.Gateway with { FixEnabled = true, FixPort = 0 } });
        int port = s.Server.Fix!.EndPoint!.Port;
        var (code, stdout, stderr) = await RunAsync("loadgen", "--protocol", "fix", "--fix-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--url", s.Server.Urls[0], "--connections", "2", "--duration", "2", "--count", "2000", "--rate", "2000", "--json");
        Assert.True(code == 0, $"exit {code}: {stderr}\n{stdout}");
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("fix", r.GetProperty("protocol").GetString());
        long requests = r.GetProperty("requests").GetInt64();
        Assert.InRange(requests, 100, 2000);
        Assert.InRange(r.GetProperty("answered").GetInt64(), requests * 99 / 100, requests);
        Assert.InRange(r.GetProperty("errors").GetInt64(), 0, requests / 100);
        Assert.True(r.GetProperty("serverSamples").GetDouble() > 0, stdout);
    }

    [Fact]
    public async Task Loadgen_refuses_bad_options()
    {
        var (code, _, stderr) = await RunAsync("loadgen", "--connections", "0");
        Assert.Equal(2, code);
        Assert.Contains("--connections must be 1..1024", stderr);
        (code, _, stderr) = await RunAsync("loadgen", "--protocol", "fix", "--connections", "3");
        Assert.Equal(2, code);
        Assert.Contains("3 connections need as many --fix-sessions", stderr);
        (code, _, stderr) = await RunAsync("loadgen", "--protocol", "fix", "--fix-sessions", "NOPASSWORD");
        Assert.Equal(2, code);
        Assert.Contains("--fix-sessions must be SENDER:password", stderr);
    }
}
