using Hft.Server;

namespace Hft.Gateways;

/// <summary>
/// Wires the order-entry gateways enabled in <c>[gateway]</c> into a server being built:
/// <c>HftServer.Create(config, modules: [GatewayModule.Register])</c>. Each gateway is a hosted listener that submits
/// to the same pipeline as REST (risk, matching, journal, events) and hears its orders' events from the account hub.
/// </summary>
public static class GatewayModule
{
    public static void Register(ServerModuleContext context)
    {
        // Binary TCP gateway: registered here when [gateway] binary_enabled.
        // FIX 4.4 acceptor: registered here when [gateway] fix_enabled.
        _ = context;
    }
}
