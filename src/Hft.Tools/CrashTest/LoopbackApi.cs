using Hft.Client.Rest;

namespace Hft.Tools.CrashTest;

/// <summary>The crash tests' REST clients: a server on loopback, as one account (or anonymously).</summary>
internal static class LoopbackApi
{
    public static HftRestClient Open(int port, string? token) => new(HftRestClientOptions.Loopback(port, token) with
    {
        Timeout = TimeSpan.FromSeconds(15),
        MaxConnections = 64,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    });
}
