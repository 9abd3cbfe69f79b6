using System.Net;
using System.Net.Security;
using Hft.Auth.Tls;
using Hft.Tests.Tls;

namespace Hft.Replication.Tests;

/// <summary>
/// One production <see cref="RaftNode"/> on localhost with its own certificate files (issued by the given authority,
/// which is also its ca_file) and Raft's mutual TLS built by <see cref="TlsOptions"/> as the node does; or plain TCP
/// when no authority is given. Records every committed entry and counts the peer certificates its handshakes refused.
/// </summary>
internal sealed class TlsRaftMember : IReplicatedLogApplier, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<byte[]> _applied = new();
    private int _refused;

    private TlsRaftMember(EndPoint self, string dir)
    {
        Self = self;
        Dir = dir;
        CertFile = Path.Combine(dir, "tls.crt");
        KeyFile = Path.Combine(dir, "tls.key");
    }

    public EndPoint Self { get; }

    public string Dir { get; }

    public string CertFile { get; }

    public string KeyFile { get; }

    public RaftNode Node { get; private set; } = null!;

    /// <summary>Peer certificates (shown to this member as server or as client) that did not pass the check.</summary>
    public int Refused => Volatile.Read(ref _refused);

    public byte[][] Applied
    {
        get
        {
            lock (_gate) return _applied.ToArray();
        }
    }

    public static async Task<TlsRaftMember> StartAsync(EndPoint self, EndPoint[] members, string dir, TestCertificates? authority)
    {
        var member = new TlsRaftMember(self, Directory.CreateDirectory(dir).FullName);
        RaftTls? tls = null;
        if (authority is not null)
        {
            authority.WriteNode("localhost", member.CertFile, member.KeyFile);
            // Checked at every handshake: a test that renews the files sees the next connection use them.
            var source = new CertificateSource(member.CertFile, member.KeyFile, authority.CaFile, TimeSpan.Zero);
            tls = new RaftTls(member.Counting(TlsOptions.PeerServer(source)), host => member.Counting(TlsOptions.PeerClient(source, host)));
        }
        member.Node = await RaftNode.StartAsync(new RaftNodeOptions
        {
            // Well above a TLS handshake plus heartbeat jitter on two busy shared cores: a spurious election would
            // depose the leader in the middle of a test's appends.
            Self = self, Members = members, Dir = Path.Combine(dir, "raft"), ElectionTimeoutMs = 1500, Tls = tls,
        }, member, CancellationToken.None);
        return member;
    }

    public void Apply(ReadOnlySpan<byte> records)
    {
        lock (_gate) _applied.Add(records.ToArray());
    }

    private SslServerAuthenticationOptions Counting(SslServerAuthenticationOptions options)
    {
        var check = options.RemoteCertificateValidationCallback!;
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => Count(check(sender, certificate, chain, errors));
        return options;
    }

    private SslClientAuthenticationOptions Counting(SslClientAuthenticationOptions options)
    {
        var check = options.RemoteCertificateValidationCallback!;
        options.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) => Count(check(sender, certificate, chain, errors));
        return options;
    }

    private bool Count(bool trusted)
    {
        if (!trusted) Interlocked.Increment(ref _refused);
        return trusted;
    }

    public ValueTask DisposeAsync() => Node.DisposeAsync();
}
