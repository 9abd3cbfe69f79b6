using Microsoft.Extensions.Logging;

namespace Hft.Node;

/// <summary>The node's one logger factory: one-line console logs by default, quiet framework categories.</summary>
internal static class NodeLogging
{
    public static ILoggerFactory Create(Action<ILoggingBuilder>? logging)
        => LoggerFactory.Create(builder =>
        {
            if (logging is null) builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            else logging(builder);
            builder.SetMinimumLevel(LogLevel.Information);
            builder.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error); // keys are unused: tokens are JWTs
        });
}
