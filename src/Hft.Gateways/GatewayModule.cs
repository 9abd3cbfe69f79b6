using Hft.Gateways.Binary;
using Hft.Server;
using Microsoft.Extensions.DependencyInjection;

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
        // Binary TCP gateway (docs/protocol/binary.md): resolve it from the server's services to find its port.
        if (context.Config.Gateway.BinaryEnabled)
        {
            context.Builder.Services.AddSingleton(sp => new BinaryGateway(context.Config, context.Pipeline, context.AccountEvents, sp,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<BinaryGateway>>()));
            context.Builder.Services.AddHostedService(sp => sp.GetRequiredService<BinaryGateway>());
        }
        // FIX 4.4 acceptor: registered here when [gateway] fix_enabled.
    }
}
