using Hft.Configuration;

namespace Hft.Server.Listeners;

/// <summary>
/// The ports the host opens: the operations listener (<c>[monitoring] metrics_port</c>) always, and the API listener
/// (<c>[server] http_port</c>) beside it when the API has a port of its own; otherwise the API shares the operations
/// port (<see cref="Shared"/>, development).
/// </summary>
public sealed record ListenerPlan(int OperationsPort, int? ApiPort)
{
    public bool Shared => ApiPort is null;

    public static ListenerPlan From(HftConfig config)
        => new(config.Monitoring.MetricsPort, config.Server.SharesOperationsPort(config.Monitoring) ? null : config.Server.HttpPort);

    /// <summary>
    /// A listener of its own for the API and for operations, both on free ports - what the configuration cannot say,
    /// since http_port 0 means "share" there (tests).
    /// </summary>
    public static ListenerPlan SeparateOnFreePorts { get; } = new(0, 0);
}
