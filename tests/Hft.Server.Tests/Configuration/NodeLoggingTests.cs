using Hft.Configuration;
using Hft.Node;
using Microsoft.Extensions.Logging;

namespace Hft.Server.Tests.Configuration;

/// <summary>[logging] as the node applies it: the minimum level, per-category levels (longest prefix wins), the framework kept quiet.</summary>
public sealed class NodeLoggingTests
{
    private sealed class Recorder : ILoggerProvider
    {
        public List<(string Category, LogLevel Level)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Recorder owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries) owner.Entries.Add((category, logLevel));
            }
        }
    }

    private static List<(string, LogLevel)> Logged(LoggingConfig config)
    {
        var recorder = new Recorder();
        using (var factory = NodeLogging.Create(config, b => b.AddProvider(recorder)))
        {
            foreach (var category in new[] { "Hft.Node", "Hft.Gateways.Fix", "Hft.Gateways.Fix.Session", "Microsoft.AspNetCore.Hosting" })
            {
                var log = factory.CreateLogger(category);
                log.LogDebug("d");
                log.LogInformation("i");
                log.LogWarning("w");
            }
        }
        return recorder.Entries;
    }

    [Fact]
    public void Information_keeps_debug_out_and_the_framework_at_warning()
    {
        var logged = Logged(new LoggingConfig { Level = "information" });
        Assert.DoesNotContain(logged, e => e.Item2 == LogLevel.Debug);
        Assert.Contains(("Hft.Node", LogLevel.Information), logged);
        Assert.DoesNotContain(("Microsoft.AspNetCore.Hosting", LogLevel.Information), logged);
        Assert.Contains(("Microsoft.AspNetCore.Hosting", LogLevel.Warning), logged);
    }

    [Fact]
    public void Debug_mode_logs_the_node_at_debug_and_categories_override_by_longest_prefix()
    {
        var debug = Logged(new LoggingConfig { Level = "debug" });
        Assert.Contains(("Hft.Node", LogLevel.Debug), debug);
        Assert.DoesNotContain(("Microsoft.AspNetCore.Hosting", LogLevel.Debug), debug);

        var categories = Logged(new LoggingConfig
        {
            Level = "warning",
            Categories = new Dictionary<string, string> { ["Hft.Gateways"] = "information", ["Hft.Gateways.Fix.Session"] = "debug" },
        });
        Assert.DoesNotContain(("Hft.Node", LogLevel.Information), categories);
        Assert.Contains(("Hft.Gateways.Fix", LogLevel.Information), categories);
        Assert.DoesNotContain(("Hft.Gateways.Fix", LogLevel.Debug), categories);
        Assert.Contains(("Hft.Gateways.Fix.Session", LogLevel.Debug), categories);
    }
}
