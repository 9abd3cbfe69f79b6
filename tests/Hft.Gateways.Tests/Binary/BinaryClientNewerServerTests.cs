using System.Net;
using System.Net.Sockets;
using Hft.Client;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// The client library against a server that speaks a later revision of its version: a server message type the library
/// does not know is skipped by its length (its sequence number still counts), as docs/protocol/binary.md asks of clients.
/// </summary>
public class BinaryClientNewerServerTests
{
    [Fact]
    public async Task A_server_message_type_the_library_does_not_know_is_skipped_and_the_session_goes_on()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = await BinaryClient.ConnectAsync("127.0.0.1", port);
        using var server = await listener.AcceptSocketAsync().WaitAsync(ClientExtensions.Timeout);
        var login = client.LoginAsync(AuthKind.ApiKey, GatewayFixture.KeyA1);

        var frames = new byte[3 * BinaryProtocol.MaxServerMessageSize];
        int n = BinaryCodec.Write(new BinaryMessage { Type = MessageType.LoginAccepted, Version = BinaryProtocol.Version }, 1, frames);
        var unknown = frames.AsSpan(n, 24); // type 0xF0, 24 bytes: no layout of this library
        BitConverter.TryWriteBytes(unknown, (ushort)24);
        unknown[2] = 0xF0;
        BitConverter.TryWriteBytes(unknown[4..], 2u);
        n += 24;
        n += BinaryCodec.Write(new BinaryMessage { Type = MessageType.Canceled, ClientOrderId = 9, OrderId = 77, Quantity = 5 }, 3, frames.AsSpan(n));
        server.Send(frames.AsSpan(0, n));

        Assert.Equal(MessageType.LoginAccepted, (await login).Type);
        var canceled = await client.ExpectAsync(MessageType.Canceled);
        Assert.Equal((9ul, 77L, 5L), (canceled.ClientOrderId, canceled.OrderId, canceled.Quantity));
        Assert.False(client.Closed.IsCompleted);
    }
}
