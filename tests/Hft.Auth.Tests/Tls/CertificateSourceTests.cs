using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;
using Hft.Tests.Tls;
using Prometheus;

namespace Hft.Auth.Tests.Tls;

public class CertificateSourceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_rotated_pair_serves_new_handshakes_after_the_next_check_without_a_restart()
    {
        using var certs = TestCertificates.Create();
        var clock = new ManualClock(Start);
        var source = new CertificateSource(certs.CertFile, certs.KeyFile, certs.CaFile, TimeSpan.FromSeconds(10), clock);
        var first = source.Current.Certificate.SerialNumber;

        var rotated = certs.WriteNode("localhost", certs.CertFile, certs.KeyFile);
        Assert.Equal(first, source.Current.Certificate.SerialNumber); // not checked yet
        clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(rotated.SerialNumber, source.Current.Certificate.SerialNumber);
        Assert.Equal(1, source.Reloads);
    }

    [Fact]
    public void A_certificate_replaced_before_its_key_keeps_the_old_pair_until_the_key_follows()
    {
        using var certs = TestCertificates.Create();
        var clock = new ManualClock(Start);
        var registry = Metrics.NewCustomRegistry();
        var source = new CertificateSource(certs.CertFile, certs.KeyFile, null, TimeSpan.FromSeconds(1), clock, metrics: new TlsMetrics(registry));
        var first = source.Current.Certificate.SerialNumber;
        var spareKey = Path.Combine(certs.Dir, "next.key");
        var next = certs.WriteNode("localhost", Path.Combine(certs.Dir, "next.crt"), spareKey);

        File.Copy(Path.Combine(certs.Dir, "next.crt"), certs.CertFile, overwrite: true); // the key is still the old one
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(first, source.Current.Certificate.SerialNumber);
        Assert.Equal(1, Failures(registry));

        File.Copy(spareKey, certs.KeyFile, overwrite: true);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(next.SerialNumber, source.Current.Certificate.SerialNumber);
    }

    [Fact]
    public void A_missing_or_foreign_file_stops_the_start_naming_the_file()
    {
        using var certs = TestCertificates.Create();
        var missing = Assert.Throws<TlsFileException>(() => TlsMaterial.Load(Path.Combine(certs.Dir, "nope.crt"), certs.KeyFile, null));
        Assert.Contains("nope.crt", missing.Message);
        File.WriteAllText(Path.Combine(certs.Dir, "empty-ca.crt"), "not a certificate\n");
        var empty = Assert.Throws<TlsFileException>(() => TlsMaterial.Load(certs.CertFile, certs.KeyFile, Path.Combine(certs.Dir, "empty-ca.crt")));
        Assert.Contains("empty-ca.crt", empty.Message);
        var mismatched = Assert.Throws<TlsFileException>(() => TlsMaterial.Load(certs.CertFile, certs.CaFile, null));
        Assert.Contains("tls.crt", mismatched.Message);
    }

    [Fact]
    public async Task A_client_trusting_our_authority_completes_the_handshake_and_sees_the_current_certificate()
    {
        using var certs = TestCertificates.Create();
        var source = new CertificateSource(certs.CertFile, certs.KeyFile, certs.CaFile, TimeSpan.FromSeconds(10));
        var seen = await HandshakeAsync(source, ClientCertificatePolicy.None, TlsOptions.Client("localhost", new X509Certificate2Collection(certs.Authority)));
        Assert.Equal(source.Current.Certificate.SerialNumber, seen.SerialNumber);
    }

    [Fact]
    public async Task A_client_refuses_a_server_its_authorities_do_not_vouch_for()
    {
        using var ours = TestCertificates.Create();
        using var theirs = TestCertificates.Create("other CA");
        var source = new CertificateSource(ours.CertFile, ours.KeyFile, null, TimeSpan.FromSeconds(10));
        await Assert.ThrowsAsync<AuthenticationException>(() => HandshakeAsync(source, ClientCertificatePolicy.None,
            TlsOptions.Client("localhost", new X509Certificate2Collection(theirs.Authority))));
    }

    [Fact]
    public async Task Required_client_certificates_refuse_none_and_strangers_and_admit_ones_our_authority_signed()
    {
        using var certs = TestCertificates.Create();
        var source = new CertificateSource(certs.CertFile, certs.KeyFile, certs.CaFile, TimeSpan.FromSeconds(10));
        var trust = new X509Certificate2Collection(certs.Authority);

        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(source, ClientCertificatePolicy.Required, TlsOptions.Client("localhost", trust)));
        await Assert.ThrowsAnyAsync<Exception>(() => HandshakeAsync(source, ClientCertificatePolicy.Required,
            TlsOptions.Client("localhost", trust, TestCertificates.Stranger())));
        var seen = await HandshakeAsync(source, ClientCertificatePolicy.Required, TlsOptions.Client("localhost", trust, certs.Client("trader-1")));
        Assert.Equal(source.Current.Certificate.SerialNumber, seen.SerialNumber);
    }

    /// <summary>One TLS handshake over a real loopback connection; returns the certificate the client saw.</summary>
    private static async Task<X509Certificate2> HandshakeAsync(CertificateSource source, ClientCertificatePolicy clients, SslClientAuthenticationOptions client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accept = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            await using var server = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await server.AuthenticateAsServerAsync(TlsOptions.Server(source, clients));
            await server.WriteAsync(new byte[] { 42 });
            await server.FlushAsync();
        });
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = new SslStream(tcp.GetStream());
        var handshake = stream.AuthenticateAsClientAsync(client);
        await handshake.WaitAsync(TimeSpan.FromSeconds(30));
        var one = new byte[1];
        // With TLS 1.3 the server judges the client certificate after the client's handshake returned: read to see it.
        int read = await stream.ReadAsync(one).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        if (read != 1 || one[0] != 42) throw new AuthenticationException("the server ended the connection");
        await accept.WaitAsync(TimeSpan.FromSeconds(30));
        return X509CertificateLoader.LoadCertificate(stream.RemoteCertificate!.GetRawCertData());
    }

    private static double Failures(CollectorRegistry registry)
    {
        using var ms = new MemoryStream();
        registry.CollectAndExportAsTextAsync(ms).GetAwaiter().GetResult();
        var text = System.Text.Encoding.UTF8.GetString(ms.ToArray());
        var line = text.Split('\n').First(l => l.StartsWith("hft_tls_reload_failures_total ", StringComparison.Ordinal));
        return double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
