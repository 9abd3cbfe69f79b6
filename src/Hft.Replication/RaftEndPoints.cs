using System.Globalization;
using System.Net;

namespace Hft.Replication;

/// <summary><c>host:port</c> strings of <c>[replication] peers</c> as endpoints: IP literals as they are, names resolved by DNS at connect time.</summary>
public static class RaftEndPoints
{
    public static EndPoint Parse(string peer)
    {
        int colon = peer.LastIndexOf(':');
        if (colon <= 0) throw new FormatException($"\"{peer}\" is not host:port");
        int port = int.Parse(peer.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture);
        string host = peer[..colon].Trim('[', ']');
        return IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
    }

    /// <summary>Where this member listens: its own IP, or every interface when it is known by a DNS name (a StatefulSet pod).</summary>
    public static IPEndPoint ListenOn(EndPoint self) => self switch
    {
        IPEndPoint ip => ip,
        DnsEndPoint dns => new IPEndPoint(IPAddress.Any, dns.Port),
        _ => throw new ArgumentException($"unsupported endpoint {self}"),
    };

    /// <summary>The host a peer is dialled by (a DNS name or an IP literal): the name its certificate must carry.</summary>
    public static string Host(EndPoint endPoint) => endPoint switch
    {
        IPEndPoint ip => ip.Address.ToString(),
        DnsEndPoint dns => dns.Host,
        _ => throw new ArgumentException($"unsupported endpoint {endPoint}"),
    };

    public static string Format(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => ip.ToString(),
        DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        null => "",
        _ => endPoint.ToString() ?? "",
    };
}
