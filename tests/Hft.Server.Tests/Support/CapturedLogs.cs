using Microsoft.Extensions.Logging;

namespace Hft.Server.Tests.Support;

/// <summary>
/// A node's last log lines, kept in memory (bounded) so that a test that fails can show what the node did; the nodes
/// of the tests are otherwise silent. Lines are kept across the node's restarts.
/// </summary>
public sealed class CapturedLogs(int capacity = 5000) : ILoggerProvider
{
    private readonly Queue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The last <paramref name="count"/> lines that <paramref name="keep"/> accepts, oldest first.</summary>
    public string Tail(int count, Func<string, bool> keep)
    {
        string[] lines;
        lock (_lines) lines = [.. _lines];
        var kept = lines.Where(keep).ToArray();
        return string.Join('\n', kept[Math.Max(0, kept.Length - count)..]);
    }

    private void Add(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string error = exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]";
            owner.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{error}");
        }
    }
}
