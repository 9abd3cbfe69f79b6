using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;
using Hft.Client;
using Hft.Configuration;
using Hft.Gateways.Fix;
using Hft.Tests.Tls;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// The FIX acceptor over TLS ([tls] fix): trading works, a plain client gets nowhere (and no plain bytes), the server
/// certificate and client certificates are checked, and a connection that never starts its handshake meets the login timeout.
/// </summary>
public sealed class FixTlsTests : IDisposable
{
    private readonly TestCertificates _certs = TestCertificates.Create();

    public void Dispose() => _certs.Dispose();

    private Func<HftConfig, HftConfig> Tls(string clients = "none", int? loginTimeoutSeconds = null) => c => c with
    {
        Tls = c.Tls with { CertFile = _certs.CertFile, KeyFile = _certs.KeyFile, CaFile = _certs.CaFile, Fix = true, ClientCertificates = clients },
        Security = c.Security with { LoginTimeoutSeconds = loginTimeoutSeconds ?? c.Security.LoginTimeoutSeconds },
    };

    private SslClientAuthenticationOptions Trusting(X509Certificate2? clientCertificate = null)
        => TlsOptions.Client("localhost", new X509Certificate2Collection(_certs.Authority), clientCertificate);

    private static Task<FixClient> ConnectAsync(FixServerFixture f, SslClientAuthenticationOptions tls, string sender = "CLIENT_A1")
        => FixClient.ConnectAsync("127.0.0.1", f.Port, tls, sender).WaitAsync(Bounded.Generous);

    private static void LogOnAndTrade(FixClient client, string clOrdId, string password = FixServerFixture.PasswordA1)
    {
        var reply = client.Logon(password);
        Assert.True(reply.MsgType == "A", "logon refused: " + reply);
        client.NewOrder(clOrdId, "BTCUSD", '1', "0.1", "49000.00");
        var report = client.Expect(m => m.MsgType == "8");
        Assert.Equal(clOrdId, report[FixTags.ClOrdId]);
        Assert.Equal("0", report[FixTags.ExecType]);
    }

    [Fact]
    public async Task A_client_trusting_the_authority_logs_on_and_trades_over_tls()
    {
        await using var f = await FixServerFixture.StartAsync(Tls());
        await using var client = await ConnectAsync(f, Trusting());
        LogOnAndTrade(client, "T1");
    }

    [Fact]
    public async Task A_plain_client_on_the_tls_port_gets_nowhere_is_counted_and_the_acceptor_keeps_serving()
    {
        await using var f = await FixServerFixture.StartAsync(Tls());
        using (var plain = RawFixSocket.Connect(f.Port))
        {
            Assert.True(plain.Send(FixFrames.Frame(FixFrames.Header("A", "CLIENT_A1", 1) + $"98=0|108=30|554={FixServerFixture.PasswordA1}|")));
            Assert.True(plain.WaitClosed(Bounded.Generous), "the plain client is closed in the handshake");
            Assert.DoesNotContain("8=FIX", plain.ReceivedText); // no plain Logon, no plain Logout
        }
        await Bounded.UntilAsync(async () => await f.DisconnectsAsync("tls_handshake") == 1, "counted as tls_handshake");
        await Bounded.UntilAsync(() => f.Server.Fix!.WaitingForLogon == 0, "the failed connection holds no place");

        await using var secure = await ConnectAsync(f, Trusting(), "CLIENT_A2");
        LogOnAndTrade(secure, "T2", FixServerFixture.PasswordA2);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_server_certificate_refuses_it()
    {
        await using var f = await FixServerFixture.StartAsync(Tls());
        using var other = TestCertificates.Create("another CA");
        var options = TlsOptions.Client("localhost", new X509Certificate2Collection(other.Authority));
        var refused = await Assert.ThrowsAsync<AuthenticationException>(() => ConnectAsync(f, options));
        Assert.Contains("certificate", refused.Message, StringComparison.OrdinalIgnoreCase);
        // The client judges the certificate after its side of the handshake (the server may see it finished): the
        // acceptor sees a connection dropped before its Logon, and frees its place.
        await Bounded.UntilAsync(() => f.Server.Fix!.WaitingForLogon == 0, "the dropped connection holds no place");
    }

    [Fact]
    public async Task Required_client_certificates_admit_only_ones_the_authority_signed()
    {
        await using var f = await FixServerFixture.StartAsync(Tls("required"));
        await using (var signed = await ConnectAsync(f, Trusting(_certs.Client("trader-a1"))))
            LogOnAndTrade(signed, "S1");

        foreach (var certificate in new[] { null, TestCertificates.Stranger() })
            Assert.False(await LogsOnAsync(f, Trusting(certificate)), $"a client showing {certificate?.Subject ?? "no certificate"} is refused");
        await Bounded.UntilAsync(async () => await f.DisconnectsAsync("tls_handshake") == 2, "both refusals counted as tls_handshake");
    }

    [Fact]
    public async Task A_connection_that_never_starts_the_handshake_is_closed_at_the_login_timeout()
    {
        // The handshake runs under the acceptor's login deadline (the manual clock); the real-time bound of the
        // handshake is the same long timeout, far beyond the generous wait below, so only the manual clock closes it.
        const int timeout = 120;
        var clock = new ManualTimerClock();
        await using var f = await FixServerFixture.StartAsync(Tls(loginTimeoutSeconds: timeout), gatewayClock: clock);
        using var silent = RawFixSocket.Connect(f.Port);
        await using var trader = await ConnectAsync(f, Trusting()); // logs on in time: its timer is gone
        LogOnAndTrade(trader, "L1");
        await Bounded.UntilAsync(() => clock.Armed == 1, "the silent connection's login timer is armed");

        clock.Advance(TimeSpan.FromSeconds(timeout - 1));
        Assert.True(silent.IsOpen, "open before the login timeout");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(silent.WaitClosed(Bounded.Generous), "a connection that never starts its handshake is closed at the login timeout");
        Assert.Equal("", silent.ReceivedText);
        await Bounded.UntilAsync(async () => await f.DisconnectsAsync("login_timeout") == 1, "counted as login_timeout");
        Assert.Equal(0, await f.DisconnectsAsync("tls_handshake"));
    }

    /// <summary>Connects and tries to log on; false when the handshake, or the connection right after it (TLS 1.3 settles the client certificate then), fails.</summary>
    private static async Task<bool> LogsOnAsync(FixServerFixture f, SslClientAuthenticationOptions tls)
    {
        try
        {
            await using var client = await ConnectAsync(f, tls);
            return client.Logon(FixServerFixture.PasswordA1, timeout: Bounded.Generous).MsgType == "A";
        }
        catch (Exception e) when (e is AuthenticationException or IOException or TimeoutException)
        {
            return false;
        }
    }
}
