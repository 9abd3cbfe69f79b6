namespace Hft.Server.Listeners;

/// <summary>
/// Endpoint metadata: the listener that serves an endpoint. An endpoint without it belongs to the API listener.
/// With one shared port (development) every endpoint is served there.
/// </summary>
public sealed class ServedOn
{
    private ServedOn(string name) => Name = name;

    /// <summary>Only the operations listener (<c>[monitoring] metrics_port</c>): /metrics, /debug/*.</summary>
    public static ServedOn Operations { get; } = new("operations");

    /// <summary>Every listener: /health, /ready, /replication/status (probes and the routing gateway use either port).</summary>
    public static ServedOn EveryListener { get; } = new("every listener");

    public string Name { get; }

    public override string ToString() => Name;
}
