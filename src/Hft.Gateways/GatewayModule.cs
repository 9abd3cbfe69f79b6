using Hft.Gateways.Binary;
using Hft.Gateways.Fix;
using Hft.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

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

        // FIX 4.4 acceptor ([gateway] fix_enabled): docs/protocol/fix.md.
        if (context.Config.Gateway.FixEnabled)
        {
            var services = context.Builder.Services;
            services.AddSingleton(sp => new FixAcceptor(context.Config, context.Pipeline, context.AccountEvents, context.Directory,
                new FixMetrics(sp.GetRequiredService<CollectorRegistry>()), sp.GetRequiredService<ILoggerFactory>().CreateLogger("Hft.Gateways.Fix")));
            services.AddHostedService(sp => sp.GetRequiredService<FixAcceptor>());
        }
    }
}
