using System.Net;
using System.Net.Sockets;
using System.Text;
using Hft.Client.Rest;

namespace Hft.Gateways.Tests.Rest;

/// <summary>
/// The REST client against a raw socket: an HTTP error status is an answer, not an exception, and a request without an
/// answer says whether it timed out or lost its connection (the crash test and loadgen count them apart).
/// </summary>
public sealed class HftRestClientTests : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public HftRestClientTests() => _listener.Start();

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private HftRestClient Client(TimeSpan timeout) => new(HftRestClientOptions.Loopback(Port, "t0ken") with { Timeout = timeout });

    [Fact]
    public async Task An_error_status_is_an_answer_with_the_API_error_code()
    {
        using var api = Client(TimeSpan.FromSeconds(10));
        var reply = api.CancelOrderAsync(42);
        using var socket = await _listener.AcceptSocketAsync();
        string request = await ReadRequestAsync(socket);
        Assert.StartsWith("DELETE /api/v1/orders/42 HTTP/1.1", request, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer t0ken", request, StringComparison.Ordinal);
        const string body = """{"error":{"code":"order_not_found"}}""";
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n{body}"));
        var answer = await reply;
        Assert.Equal(404, answer.Status);
        Assert.True(answer.Refused);
        Assert.Equal("order_not_found", answer.ErrorCode);
        Assert.Equal(RestFailure.None, answer.Failure);
    }

    [Fact]
    public async Task No_answer_in_time_is_a_timeout()
    {
        using var api = Client(TimeSpan.FromMilliseconds(300));
        var reply = api.StateHashAsync();
        using var socket = await _listener.AcceptSocketAsync(); // accepted, never answered
        var answer = await reply;
        Assert.False(answer.Answered);
        Assert.Equal(RestFailure.Timeout, answer.Failure);
    }

    [Fact]
    public async Task A_reset_connection_is_a_connection_failure()
    {
        using var api = Client(TimeSpan.FromSeconds(10));
        var reply = api.PositionsAsync();
        using (var socket = await _listener.AcceptSocketAsync())
        {
            await ReadRequestAsync(socket);
            socket.LingerState = new LingerOption(true, 0); // close sends RST
        }
        var answer = await reply;
        Assert.Equal(0, answer.Status);
        Assert.Equal(RestFailure.Connection, answer.Failure);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_failure()
    {
        int port = Port;
        _listener.Stop();
        using var api = new HftRestClient(HftRestClientOptions.Loopback(port));
        var answer = await api.ReadyAsync();
        Assert.Equal(RestFailure.Connection, answer.Failure);
    }

    [Fact]
    public void A_CA_file_that_does_not_load_is_refused_at_construction()
    {
        var e = Assert.Throws<CaFileException>(() => new HftRestClient(new HftRestClientOptions(new Uri("https://localhost:1/")) { CaFile = "/nonexistent/ca.crt" }));
        Assert.Equal("/nonexistent/ca.crt", e.CaFile);
    }

    private static async Task<string> ReadRequestAsync(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await socket.ReceiveAsync(buffer);
            if (n == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Stop();
}
