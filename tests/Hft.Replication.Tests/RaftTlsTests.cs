using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Hft.Auth.Tls;
using Hft.Tests.Tls;
using Hft.Tools;

namespace Hft.Replication.Tests;

/// <summary>
/// Raft's mutual TLS ([tls] raft) between production <see cref="RaftNode"/>s on localhost: members with certificates of
/// the group's authority elect a leader and replicate; a member whose certificate comes from another authority, or one
/// speaking plain TCP, is not heard and does not disturb the others; a connection without a client certificate is
/// refused; a renewed certificate serves the next connection without a restart.
/// </summary>
public sealed class RaftTlsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-raft-tls-" + Guid.NewGuid().ToString("N"));
    private readonly TestCertificates _authority = TestCertificates.Create("hft raft CA");
    private readonly TestCertificates _otherAuthority = TestCertificates.Create("another CA");
    private readonly List<TlsRaftMember> _members = new();
    private readonly EndPoint[] _endPoints = Enumerable.Range(0, 3).Select(_ => (EndPoint)new DnsEndPoint("localhost", Loopback.FreePort())).ToArray();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try
        {
            foreach (var m in _members) await m.DisposeAsync();
        }
        finally
        {
            _authority.Dispose();
            _otherAuthority.Dispose();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Members_with_certificates_of_the_group_authority_elect_a_leader_and_every_follower_applies_the_same_entries()
    {
        await StartAsync(_authority, _authority, _authority);
        var leader = await LeaderAsync(_members);
        await ReplicateAsync(leader, 20);
        await Until.TrueAsync(() => _members.All(m => m.Applied.Length == 20), TimeSpan.FromSeconds(30), "every member applied 20 entries");
        foreach (var m in _members) Assert.Equal(Payloads(20), m.Applied.Select(Value));
        Assert.All(_members, m => Assert.Equal(0, m.Refused));

        // What a member's Raft port shows a connecting peer: its node certificate, over TLS.
        foreach (var m in _members)
        {
            using var shown = await ServerCertificateAsync(m, _authority.Client("probe"));
            Assert.Equal(FileThumbprint(m), shown.Thumbprint);
        }
    }

    [Fact]
    public async Task A_connection_without_a_client_certificate_is_refused()
    {
        await StartAsync(_authority, _authority, _authority);
        await LeaderAsync(_members);
        var member = _members[0];
        X509Certificate? shown = null;
        var options = TlsOptions.Client("localhost", new X509Certificate2Collection(_authority.Authority));
        var check = options.RemoteCertificateValidationCallback!;
        options.RemoteCertificateValidationCallback = (s, certificate, chain, errors) =>
        {
            shown = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return check(s, certificate, chain, errors);
        };
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port(member));
        await using var ssl = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        bool refused;
        try
        {
            await ssl.AuthenticateAsClientAsync(options, timeout.Token);
            // TLS 1.3: the server judges the (missing) client certificate after the client finished; its alert arrives
            // as the first read. A server that accepted would leave this read waiting until the timeout.
            refused = await ssl.ReadAsync(new byte[64], timeout.Token) == 0;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            refused = true;
        }
        Assert.NotNull(shown); // the handshake reached the member's certificate: the port speaks TLS
        Assert.Equal(FileThumbprint(member), ((X509Certificate2)shown!).Thumbprint);
        Assert.True(refused, "a connection without a client certificate was accepted");
    }

    [Fact]
    public async Task A_member_whose_certificate_comes_from_another_authority_is_not_heard_and_does_not_hear()
    {
        await StartAsync(_authority, _authority, _otherAuthority);
        var (group, stranger) = (_members.Take(2).ToList(), _members[2]);
        var leader = await LeaderAsync(group);
        await ReplicateAsync(leader, 5);
        await Until.TrueAsync(() => group.All(m => m.Applied.Length == 5), TimeSpan.FromSeconds(30), "the two members applied 5 entries");

        // Both directions were tried and refused in the handshake: the group's members refused the stranger's
        // certificate, and the stranger refused theirs.
        await Until.TrueAsync(() => group.All(m => m.Refused > 0) && stranger.Refused > 0, TimeSpan.FromSeconds(30), "certificates refused both ways");
        await Until.NeverAsync(() => stranger.Applied.Length > 0 || stranger.Node.LeaderEndPoint is not null, TimeSpan.FromSeconds(3),
            "the stranger heard the group");
        Assert.All(group, m => Assert.NotEqual(stranger.Self, m.Node.LeaderEndPoint));
        Assert.Equal(0, stranger.Node.CommitIndex);
    }

    [Fact]
    public async Task A_plain_member_cannot_talk_to_members_speaking_tls()
    {
        await StartAsync(_authority, _authority, null);
        var (group, plain) = (_members.Take(2).ToList(), _members[2]);
        var leader = await LeaderAsync(group);
        await ReplicateAsync(leader, 5);
        await Until.TrueAsync(() => group.All(m => m.Applied.Length == 5), TimeSpan.FromSeconds(30), "the two members applied 5 entries");
        await Until.NeverAsync(() => plain.Applied.Length > 0 || plain.Node.LeaderEndPoint is not null, TimeSpan.FromSeconds(5),
            "the plain member heard the group");
        Assert.All(group, m => Assert.NotEqual(plain.Self, m.Node.LeaderEndPoint));
        Assert.Equal(0, plain.Node.CommitIndex);
    }

    [Fact]
    public async Task A_renewed_certificate_serves_the_next_peer_connection_without_a_restart()
    {
        await StartAsync(_authority, _authority, _authority);
        var leader = await LeaderAsync(_members);
        var member = _members[0];
        var client = _authority.Client("probe");
        using (var before = await ServerCertificateAsync(member, client))
            Assert.Equal(FileThumbprint(member), before.Thumbprint);

        using var renewed = _authority.WriteNode("localhost", member.CertFile, member.KeyFile);
        using (var after = await ServerCertificateAsync(member, client))
            Assert.Equal(renewed.Thumbprint, after.Thumbprint);
        await ReplicateAsync(leader, 3); // the group goes on
        await Until.TrueAsync(() => _members.All(m => m.Applied.Length == 3), TimeSpan.FromSeconds(30), "every member applied 3 entries");
    }

    private async Task StartAsync(params TestCertificates?[] authorities)
    {
        for (int i = 0; i < authorities.Length; i++)
            _members.Add(await TlsRaftMember.StartAsync(_endPoints[i], _endPoints, Path.Combine(_dir, $"n{i}"), authorities[i]));
    }

    /// <summary>The one leader that every member of <paramref name="group"/> follows (at most 30 s).</summary>
    private static async Task<TlsRaftMember> LeaderAsync(IReadOnlyList<TlsRaftMember> group)
    {
        TlsRaftMember? leader = null;
        await Until.TrueAsync(() =>
        {
            var leaders = group.Where(m => m.Node.IsLeader).ToList();
            leader = leaders.Count == 1 && group.All(m => Equals(m.Node.LeaderEndPoint, leaders[0].Self)) ? leaders[0] : null;
            return leader is not null;
        }, TimeSpan.FromSeconds(30), "one leader followed by the group");
        return leader!;
    }

    /// <summary>Appends values 1..<paramref name="count"/> on the leader, each waiting for its commit.</summary>
    private static Task ReplicateAsync(TlsRaftMember leader, int count) => Task.Run(() =>
    {
        leader.Node.AllowTicketsUnder(leader.Node.LeadershipToken);
        foreach (var payload in Payloads(count))
        {
            long ticket = leader.Node.Append(BitConverter.GetBytes(payload), nothingInFlight: true);
            Assert.True(ticket > 0, "the leader refused to append");
            Assert.True(SpinWait.SpinUntil(() => leader.Node.CommittedTicket >= ticket, TimeSpan.FromSeconds(30)), "the entry was not committed");
        }
    });

    private static IEnumerable<long> Payloads(int count) => Enumerable.Range(1, count).Select(i => (long)i);

    private static long Value(byte[] entry) => BitConverter.ToInt64(entry);

    /// <summary>The certificate in the member's tls.crt now.</summary>
    private static string FileThumbprint(TlsRaftMember member)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(member.CertFile));
        return certificate.Thumbprint;
    }

    private static int Port(TlsRaftMember member) => ((DnsEndPoint)member.Self).Port;

    /// <summary>Handshakes with <paramref name="member"/>'s Raft port as a peer would (client certificate shown) and returns what it showed.</summary>
    private async Task<X509Certificate2> ServerCertificateAsync(TlsRaftMember member, X509Certificate2 clientCertificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Port(member));
        await using var ssl = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await ssl.AuthenticateAsClientAsync(TlsOptions.Client("localhost", new X509Certificate2Collection(_authority.Authority), clientCertificate), timeout.Token);
        return X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
    }
}
