using System.Text;
using System.Text.Json;
using Hft.Auth;
using Hft.Server.Auth;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Operations;

/// <summary>
/// The audit trail: one JSON object per line, appended to <c>[server] audit_log</c>, for every admin action
/// (success or failure), every authentication or authorization failure and every token grant or denial:
/// <code>{"time":"2025-01-02T03:04:05.678Z","subject":"ADMIN","action":"admin.halt","target":"BTCUSD","result":"ok","remote":"127.0.0.1"}</code>
/// <c>subject</c> is the account of the caller's token ("anonymous" without a valid one), <c>result</c> is "ok" or
/// "&lt;status&gt; &lt;code&gt;" (or a grant/denial text), an optional <c>detail</c> says more. Thread-safe; each line
/// is written whole and flushed to the operating system before <see cref="Write"/> returns, so a process crash
/// loses nothing already audited; admin actions (rare, authenticated) are also forced to disk (fsync), auth
/// failures (which anyone can cause) are not, so that a flood of bad requests cannot turn into a flood of fsyncs.
/// </summary>
public sealed class AuditLog : IDisposable
{
    public const string Anonymous = "anonymous";

    private static readonly object s_auditedKey = new();

    private readonly object _gate = new();
    private readonly FileStream _file;
    private readonly System.Buffers.ArrayBufferWriter<byte> _buffer = new(512);
    private bool _disposed;

    /// <param name="path">The log file; a relative path is relative to the current directory. Its directory is
    /// created when missing.</param>
    public AuditLog(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
    }

    /// <summary>Absolute path of the log file.</summary>
    public string Path { get; }

    /// <summary>Lines written by this process.</summary>
    public long Count { get; private set; }

    /// <summary>Audits an action of the request's caller (subject from its token) and marks the request as audited.</summary>
    public void Write(HttpContext http, string action, string target, string result, string? detail = null, bool durable = false)
    {
        http.Items[s_auditedKey] = true;
        Write(SubjectOf(http), action, target, result, http.Connection.RemoteIpAddress?.ToString(), detail, durable);
    }

    /// <summary>True when this request already wrote an audit line.</summary>
    public static bool WasAudited(HttpContext http) => http.Items.ContainsKey(s_auditedKey);

    public static string SubjectOf(HttpContext http)
        => http.User.Identity?.IsAuthenticated == true && TokenService.AccountOf(http.User) is { Length: > 0 } account ? account : Anonymous;

    public void Write(string subject, string action, string target, string result, string? remote, string? detail = null, bool durable = false)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _buffer.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(_buffer))
            {
                json.WriteStartObject();
                json.WriteString("time", DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
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
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _file.Flush(flushToDisk: true);
            _file.Dispose();
        }
    }
}
