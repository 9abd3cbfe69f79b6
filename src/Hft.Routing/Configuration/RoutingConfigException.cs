namespace Hft.Routing.Configuration;

/// <summary>A bad routing configuration: one line naming the file, the key and the problem. Exit code 2.</summary>
public sealed class RoutingConfigException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
