using System.Net;
using System.Net.Security;
using DotNext.Net.Security;

namespace Hft.Replication;

/// <summary>
/// Mutual TLS between the members of a Raft group ([tls] raft): the options of every connection this member accepts,
/// and the options it dials a peer with, given the peer's host as listed in [replication] peers (its certificate must
/// name it). The composition root builds both from the node's certificate source.
/// </summary>
public sealed record RaftTls(SslServerAuthenticationOptions Server, Func<string, SslClientAuthenticationOptions> ClientFor)
{
    /// <summary>DotNext's form: one server options object, and per member the client options of all its connections.</summary>
    internal SslOptions ToSslOptions() => new PerPeer(ClientFor) { ServerOptions = Server };

    private sealed class PerPeer(Func<string, SslClientAuthenticationOptions> clientFor) : SslOptions
    {
        public override SslClientAuthenticationOptions CreateClientOptions(EndPoint serverAddress)
            => clientFor(RaftEndPoints.Host(serverAddress));
    }
}
