using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;
using Hft.Configuration;
using Hft.Node;
using Hft.Server.Listeners;
using Hft.Server.Tests.Support;
using Hft.Tests.Tls;

namespace Hft.Server.Tests.Security;

/// <summary>HTTPS and WSS on the API listener ([tls] http) with certificates re-read on change; the operations listener as [tls] operations says.</summary>
public sealed class HttpsListenerTests : IAsyncLifetime
{
    private readonly TestCertificates _certs = TestCertificates.Create();
    private readonly string _temp = Directory.CreateTempSubdirectory("hft-https-").FullName;
    private TradingNode? _node;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            if (_node is not null) await _node.DisposeAsync();
        }
        finally
        {
            _certs.Dispose();
            Directory.Delete(_temp, recursive: true);
        }
    }

    private async Task<TradingNode> StartAsync(string clients = "none", int reloadSeconds = 10)
    {
        var config = SeparateListenersFixture.Config(_temp, c => c with
        {
            Tls = c.Tls with
            {
                CertFile = _certs.CertFile, KeyFile = _certs.KeyFile, CaFile = _certs.CaFile, Http = true,
                ClientCertificates = clients, ReloadCheckSeconds = reloadSeconds,
            },
        });
        _node = TradingNode.Create(config, logging: _ => { }, listeners: ListenerPlan.SeparateOnFreePorts);
        await _node.StartAsync();
        return _node;
    }

    private HttpClient Client(X509Certificate2? clientCertificate = null)
    {
        var handler = new SocketsHttpHandler { SslOptions = TlsOptions.Client("localhost", new X509Certificate2Collection(_certs.Authority), clientCertificate) };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    [Fact]
    public async Task The_api_answers_over_https_only_and_the_internal_operations_listener_stays_plain()
    {
        var node = await StartAsync();
        var api = node.Api!.Listeners.ApiUrl;
        Assert.Equal("https", api.Scheme);
        using var https = Client();
        using var health = await https.GetAsync(new Uri(api, "/health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new UriBuilder(api) { Scheme = "http", Path = "/health" }.Uri));

        var operations = node.Api.Listeners.OperationsUrl;
        Assert.Equal("http", operations.Scheme);
        Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync(new Uri(operations, "/health"))).StatusCode);
    }

    [Fact]
    public async Task The_websocket_upgrades_over_wss()
    {
        var node = await StartAsync();
        using var ws = new ClientWebSocket();
        ws.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors)
            => PeerCertificates.Trusted(certificate, errors, new X509Certificate2Collection(_certs.Authority), checkName: true);
        var url = new UriBuilder(node.Api!.Listeners.ApiUrl) { Scheme = "wss", Path = "/ws" }.Uri;
        await ws.ConnectAsync(url, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(WebSocketState.Open, ws.State);
        var subscribe = System.Text.Encoding.UTF8.GetBytes("{\"op\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\"}");
        await ws.SendAsync(subscribe, WebSocketMessageType.Text, true, CancellationToken.None);
        var buffer = new byte[4096];
        var text = new System.Text.StringBuilder();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!text.ToString().Contains("\"subscribed\"", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < until, $"no subscription answer over wss within 30 s: {text}");
            var r = await ws.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, r.Count));
        }
        ws.Abort();
    }

    [Fact]
    public async Task A_renewed_certificate_serves_new_connections_without_a_restart()
    {
        var node = await StartAsync(reloadSeconds: 1);
        var endpoint = node.Api!.Listeners.ApiUrl;
        string first = await ServedSerialAsync(endpoint);
        var renewed = _certs.WriteNode("localhost", _certs.CertFile, _certs.KeyFile);
        var until = DateTime.UtcNow.AddSeconds(60);
        while (await ServedSerialAsync(endpoint) != renewed.SerialNumber)
        {
            Assert.True(DateTime.UtcNow < until, "the renewed certificate was not served within 60 s");
            await Task.Delay(200);
        }
        Assert.NotEqual(first, renewed.SerialNumber);
        using var https = Client();
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync(new Uri(endpoint, "/health"))).StatusCode);
    }

    [Fact]
    public async Task Required_client_certificates_refuse_a_client_without_one()
    {
        var node = await StartAsync(clients: "required");
        var health = new Uri(node.Api!.Listeners.ApiUrl, "/health");
        using var anonymous = Client();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => anonymous.GetAsync(health));
        using var stranger = Client(TestCertificates.Stranger());
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => stranger.GetAsync(health));
        using var signed = Client(_certs.Client("operator"));
        Assert.Equal(HttpStatusCode.OK, (await signed.GetAsync(health)).StatusCode);
    }

    /// <summary>The serial number of the certificate a fresh handshake with <paramref name="endpoint"/> gets.</summary>
    private async Task<string> ServedSerialAsync(Uri endpoint)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(TlsOptions.Client("localhost", new X509Certificate2Collection(_certs.Authority))).WaitAsync(TimeSpan.FromSeconds(30));
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData()).SerialNumber;
    }
}
