using Hft.Gateways.Binary;

namespace Hft.Client;

/// <summary>Receives every server message of a <see cref="BinaryClient"/>, on its receive thread, in order. Copy what outlives the call.</summary>
public interface IBinaryClientHandler
{
    void OnMessage(in BinaryMessage message);

    /// <summary>The connection ended: <paramref name="reason"/> from the server's Logout, or null when it just closed.</summary>
    void OnClosed(DisconnectReason? reason);
}
