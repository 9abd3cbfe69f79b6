using System.Text.Json;

namespace Hft.Auth.Audit;

/// <summary>
/// The audit trail: one JSON object per line, appended to <c>[server] audit_log</c>, for every admin action
/// (success or failure), every authentication or authorization failure on every gateway, every login lockout and
/// every token grant or denial:
/// <code>{"time":"2025-01-02T03:04:05.678Z","subject":"ADMIN","action":"admin.halt","target":"BTCUSD","result":"ok","remote":"127.0.0.1"}</code>
/// <c>subject</c> is the acting account ("anonymous" when unknown), <c>result</c> is "ok" or "&lt;status&gt; &lt;code&gt;"
/// (or a grant/denial text), an optional <c>detail</c> says more. Thread-safe; each line is written whole and flushed
/// to the operating system before <see cref="Write"/> returns, so a process crash loses nothing already audited.
/// </summary>
/// <remarks>
/// Lines that anyone can cause (<c>durable: false</c>: failed logins, 401s) are limited per remote address to
/// <c>[security] audit_lines_per_second</c>; the lines over it are counted and written as one
/// <c>audit.suppressed</c> line when that address's next line is let through (or when the log closes), so a flood of
/// bad requests costs a bounded number of lines and never hides that it happened. Admin actions (rare, authenticated)
/// are never limited and are forced to disk (fsync).
/// </remarks>
public sealed class AuditLog : IDisposable
{
    public const string Anonymous = "anonymous";
    private const int MaxTrackedAddresses = 10_000;

    private readonly object _gate = new();
    private readonly FileStream _file;
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Dictionary<string, Budget> _budgets = new(StringComparer.Ordinal);
    private readonly int _linesPerSecond;
    private readonly TimeProvider _clock;
    private bool _disposed;

    /// <param name="path">The log file; a relative path is relative to the current directory. Its directory is
    /// created when missing.</param>
    /// <param name="linesPerSecond">Lines per remote address and second for events anyone can cause.</param>
    /// <param name="clock">Time of the lines and of the per-address budgets (tests pass a manual clock).</param>
    public AuditLog(string path, int linesPerSecond = 20, TimeProvider? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(linesPerSecond, 1);
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _linesPerSecond = linesPerSecond;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Absolute path of the log file.</summary>
    public string Path { get; }

    /// <summary>Lines written by this process.</summary>
    public long Count { get; private set; }

    /// <summary>Lines over the per-address budget, counted into summary lines instead of written.</summary>
    public long Suppressed { get; private set; }

    /// <summary>
    /// Writes one line. <paramref name="durable"/>: an authenticated action that must survive a power loss (fsynced,
    /// never limited); otherwise the line counts against <paramref name="remote"/>'s budget (lines without a remote
    /// address come from inside the server and are not limited).
    /// </summary>
    public void Write(string subject, string action, string target, string result, string? remote, string? detail = null, bool durable = false)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var now = _clock.GetUtcNow();
            if (!durable && remote is not null && !Admit(remote, now)) return;
            WriteLine(now, subject, action, target, result, remote, detail, durable);
        }
    }

    private bool Admit(string remote, DateTimeOffset now)
    {
        long second = now.ToUnixTimeSeconds();
        if (!_budgets.TryGetValue(remote, out var budget))
        {
            if (_budgets.Count >= MaxTrackedAddresses) FlushSuppressed(now); // bounded: forget quiet addresses
            budget = new Budget { Second = second };
            _budgets[remote] = budget;
        }
        if (budget.Second != second)
        {
            budget.Second = second;
            budget.Used = 0;
        }
        if (budget.Used >= _linesPerSecond)
        {
            budget.Dropped++;
            Suppressed++;
            return false;
        }
        budget.Used++;
        if (budget.Dropped > 0) WriteSummary(now, remote, budget);
        return true;
    }

    private void WriteSummary(DateTimeOffset now, string remote, Budget budget)
    {
        WriteLine(now, Anonymous, "audit.suppressed", "", budget.Dropped.ToString(System.Globalization.CultureInfo.InvariantCulture),
            remote, $"{budget.Dropped} lines from this address over {_linesPerSecond}/s were not written", durable: false);
        budget.Dropped = 0;
    }

    private void FlushSuppressed(DateTimeOffset now)
    {
        foreach (var (remote, budget) in _budgets)
            if (budget.Dropped > 0) WriteSummary(now, remote, budget);
        _budgets.Clear();
    }

    private void WriteLine(DateTimeOffset now, string subject, string action, string target, string result, string? remote, string? detail, bool durable)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("subject", subject);
            json.WriteString("action", action);
            json.WriteString("target", target);
            json.WriteString("result", result);
            if (remote is not null) json.WriteString("remote", remote);
            else json.WriteNull("remote");
            if (detail is not null) json.WriteString("detail", detail);
            json.WriteEndObject();
        }
        System.Buffers.BuffersExtensions.Write(_buffer, "\n"u8);
        _file.Write(_buffer.WrittenSpan);
        _file.Flush(flushToDisk: durable);
        Count++;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            FlushSuppressed(_clock.GetUtcNow());
            _disposed = true;
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
    }

    private sealed class Budget
    {
        public long Second;
        public int Used;
        public long Dropped;
    }
}
