using Hft.Gateways.Fix;

namespace Hft.Client;

/// <summary>Takes a <see cref="FixClient"/>'s received messages on its reader thread (see <see cref="FixClient.Attach"/>).</summary>
public interface IFixMessageHandler
{
    /// <summary>One received message, parsed over the receive buffer: valid only during the call.</summary>
    void OnMessage(FixMessage message);

    void OnClosed();
}
