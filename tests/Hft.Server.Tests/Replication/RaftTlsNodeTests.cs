using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;
using Hft.Server.Tests.Support;
using Hft.Tests.Tls;
using Hft.Tools;

namespace Hft.Server.Tests.Replication;

/// <summary>
/// The node wires [tls] raft: a replicated node's Raft port speaks TLS with the node certificate from [tls] cert_file to
/// a peer showing a certificate of the cluster CA (the other two members are not running: it stays a follower).
/// </summary>
public sealed class RaftTlsNodeTests : IAsyncLifetime
{
    private readonly TestCertificates _authority = TestCertificates.Create("hft cluster CA");
    private readonly int[] _ports = [Loopback.FreePort(), Loopback.FreePort(), Loopback.FreePort()];
    private ApiServerFixture? _node;

    public async Task InitializeAsync()
        => _node = await ApiServerFixture.StartAsync(c => c with
        {
            Journal = c.Journal with { Mode = "sync", Dir = Path.Combine(_authority.Dir, "journal") },
            Replication = c.Replication with { Enabled = true, NodeId = 0, Peers = _ports.Select(p => $"127.0.0.1:{p}").ToArray() },
            Tls = c.Tls with { CertFile = _authority.CertFile, KeyFile = _authority.KeyFile, CaFile = _authority.CaFile, Raft = true },
        });

    public async Task DisposeAsync()
    {
        try
        {
            if (_node is not null) await _node.DisposeAsync();
        }
        finally
        {
            _authority.Dispose();
        }
    }

    [Fact]
    public async Task The_raft_port_shows_the_node_certificate_to_a_peer_of_the_cluster_authority()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _ports[0]);
        await using var ssl = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var peer = TlsOptions.Client("127.0.0.1", new X509Certificate2Collection(_authority.Authority), _authority.Client("hft-1"));
        await ssl.AuthenticateAsClientAsync(peer, timeout.Token);

        using var shown = X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
        using var configured = X509Certificate2.CreateFromPem(File.ReadAllText(_authority.CertFile));
        Assert.Equal(configured.Thumbprint, shown.Thumbprint);
        Assert.True(ssl.IsMutuallyAuthenticated);
    }

}
