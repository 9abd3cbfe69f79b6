using Hft.Client;
using Hft.Gateways.Binary;

namespace Hft.Gateways.Tests.Support;

/// <summary>Reading a client's responses in tests, each wait bounded.</summary>
public static class ClientExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The next server message that is not a heartbeat.</summary>
    public static async Task<BinaryMessage> NextAsync(this BinaryClient client)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (true)
        {
            var m = await client.Messages.ReadAsync(cts.Token);
            if (m.Type != MessageType.ServerHeartbeat) return m;
        }
    }

    /// <summary>The next message, asserting its type.</summary>
    public static async Task<BinaryMessage> ExpectAsync(this BinaryClient client, MessageType type)
    {
        var m = await client.NextAsync();
        Assert.True(m.Type == type, $"expected {type}, got {m.Type} (reason {m.Reason}, cid {m.ClientOrderId})");
        return m;
    }

    /// <summary>The Logout reason the server closed with (and that it closed).</summary>
    public static async Task<DisconnectReason?> ClosedAsync(this BinaryClient client)
        => await client.Closed.WaitAsync(Timeout);
}
