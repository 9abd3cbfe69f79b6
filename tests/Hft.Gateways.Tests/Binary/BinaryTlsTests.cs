using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;
using Hft.Client;
using Hft.Configuration;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using Hft.Tests.Tls;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>The binary gateway over TLS ([tls] binary): trading works, a plain client gets nowhere, client certificates are checked.</summary>
public sealed class BinaryTlsTests : IDisposable
{
    private readonly TestCertificates _certs = TestCertificates.Create();

    public void Dispose() => _certs.Dispose();

    private Func<HftConfig, HftConfig> Tls(string clients = "none") => c => c with
    {
        Tls = c.Tls with { CertFile = _certs.CertFile, KeyFile = _certs.KeyFile, CaFile = _certs.CaFile, Binary = true, ClientCertificates = clients },
    };

    private SslClientAuthenticationOptions Trusting(X509Certificate2? clientCertificate = null)
        => TlsOptions.Client("localhost", new X509Certificate2Collection(_certs.Authority), clientCertificate);

    [Fact]
    public async Task A_client_trusting_the_authority_logs_on_and_trades_over_tls()
    {
        await using var s = await StartAsync(Tls());
        using var client = await BinaryClient.ConnectAsync("127.0.0.1", s.Port, Trusting());
        Assert.Equal(MessageType.LoginAccepted, (await client.LoginAsync(AuthKind.ApiKey, KeyA1)).Type);
        client.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await client.ExpectAsync(MessageType.OrderAccepted);
    }

    [Fact]
    public async Task A_plain_client_on_the_tls_port_is_dropped_in_the_handshake_and_the_gateway_keeps_serving()
    {
        await using var s = await StartAsync(Tls());
        using var plain = await BinaryClient.ConnectAsync("127.0.0.1", s.Port);
        await Assert.ThrowsAnyAsync<Exception>(() => plain.LoginAsync(AuthKind.ApiKey, KeyA1).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Null(await plain.ClosedAsync()); // no Logout: there is no channel to send it on
        await WaitForAsync(async () => (await s.MetricsAsync()).Contains("hft_gateway_disconnects_total{protocol=\"binary\",reason=\"tls_handshake\"} 1"));
        await WaitForAsync(() => Task.FromResult(s.Gateway.SessionCount == 0)); // the failed connection holds nothing

        using var secure = await BinaryClient.ConnectAsync("127.0.0.1", s.Port, Trusting());
        Assert.Equal(MessageType.LoginAccepted, (await secure.LoginAsync(AuthKind.ApiKey, KeyA2)).Type);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_server_certificate_refuses_it()
    {
        await using var s = await StartAsync(Tls());
        using var other = TestCertificates.Create("another CA");
        var options = TlsOptions.Client("localhost", new X509Certificate2Collection(other.Authority));
        var refused = await Assert.ThrowsAsync<System.Security.Authentication.AuthenticationException>(() => BinaryClient.ConnectAsync("127.0.0.1", s.Port, options));
        Assert.Contains("certificate", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Required_client_certificates_admit_only_ones_the_authority_signed()
    {
        await using var s = await StartAsync(Tls("required"));
        using var signed = await BinaryClient.ConnectAsync("127.0.0.1", s.Port, Trusting(_certs.Client("trader-a1")));
        Assert.Equal(MessageType.LoginAccepted, (await signed.LoginAsync(AuthKind.ApiKey, KeyA1)).Type);

        foreach (var certificate in new[] { null, TestCertificates.Stranger() })
        {
            // TLS 1.3 settles the client certificate after the client's handshake: the refusal shows on first use.
            try
            {
                using var refused = await BinaryClient.ConnectAsync("127.0.0.1", s.Port, Trusting(certificate));
                await Assert.ThrowsAnyAsync<Exception>(() => refused.LoginAsync(AuthKind.ApiKey, KeyA2).WaitAsync(TimeSpan.FromSeconds(30)));
            }
            catch (System.Security.Authentication.AuthenticationException)
            {
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "condition not met within 30 s");
            await Task.Delay(50);
        }
    }
}
