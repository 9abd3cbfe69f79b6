using Hft.Configuration;
using Microsoft.Extensions.Logging;

namespace Hft.Node;

/// <summary>
/// The node's one logger factory, shaped by <c>[logging]</c>: the minimum level, per-category levels, and one-line text
/// or JSON lines (for a log shipper) on the console. Framework categories stay quiet unless a category entry asks.
/// </summary>
internal static class NodeLogging
{
    public static ILoggerFactory Create(LoggingConfig config, Action<ILoggingBuilder>? logging)
        => LoggerFactory.Create(builder => Configure(builder, config, logging));

    /// <summary>Applies <paramref name="config"/> to <paramref name="builder"/>; <paramref name="logging"/> (tests) replaces the console provider.</summary>
    internal static void Configure(ILoggingBuilder builder, LoggingConfig config, Action<ILoggingBuilder>? logging)
    {
        if (logging is not null) logging(builder);
        else if (config.Format == "json")
            builder.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.IncludeScopes = false;
            });
        else builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });

        builder.SetMinimumLevel(Level(config.Level));
        builder.AddFilter("Microsoft.AspNetCore", Max(LogLevel.Warning, Level(config.Level)));
        builder.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error); // keys are unused: tokens are JWTs
        foreach (var (category, level) in config.Categories) builder.AddFilter(category, Level(level));
    }

    /// <summary>A <see cref="LoggingConfig.Levels"/> name as a <see cref="LogLevel"/>.</summary>
    public static LogLevel Level(string name) => name switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "information" => LogLevel.Information,
        "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        "none" => LogLevel.None,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown log level"),
    };

    private static LogLevel Max(LogLevel a, LogLevel b) => a > b ? a : b;
}
