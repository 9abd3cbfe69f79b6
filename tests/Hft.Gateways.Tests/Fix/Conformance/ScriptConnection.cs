using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix.Conformance;

/// <summary>A message the acceptor sent: its fields in wire order (the first of a repeated tag wins in lookups).</summary>
public sealed class ScriptMessage(List<(int Tag, string Value)> fields, string text)
{
    public IReadOnlyList<(int Tag, string Value)> Fields { get; } = fields;

    public string? this[int tag]
    {
        get
        {
            foreach (var (t, v) in fields)
                if (t == tag) return v;
            return null;
        }
    }

    public override string ToString() => text;
}

/// <summary>
/// A plain TCP connection a script drives: sends bytes exactly as written and frames what the acceptor answers, with
/// nothing automatic (no heartbeats, no sequence numbers, no resends).
/// </summary>
public sealed class ScriptConnection : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _filled;
    private bool _closed;

    private ScriptConnection(Socket socket) => _socket = socket;

    public static ScriptConnection Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(IPAddress.Loopback, port);
        return new ScriptConnection(socket);
    }

    /// <summary>Everything received, SOH shown as '|' (for failure messages).</summary>
    public StringBuilder Transcript { get; } = new();

    /// <summary>Sends the bytes; false when the acceptor already closed the connection.</summary>
    public bool Send(byte[] bytes)
    {
        Transcript.Append("  > ").AppendLine(Encoding.ASCII.GetString(bytes).Replace('\u0001', '|'));
        try
        {
            var span = bytes.AsSpan();
            while (!span.IsEmpty) span = span[_socket.Send(span, SocketFlags.None)..];
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>The next whole message, or null when the connection closed (or <paramref name="bound"/> passed: <paramref name="timedOut"/>).</summary>
    public ScriptMessage? Next(TimeSpan bound, out bool timedOut)
    {
        timedOut = false;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_filled > 0)
            {
                var status = FixFramer.TryFrame(_buffer.AsSpan(0, _filled), 1 << 20, out int consumed);
                if (status == FrameStatus.Complete)
                {
                    var message = Parse(_buffer.AsSpan(0, consumed));
                    Buffer.BlockCopy(_buffer, consumed, _buffer, 0, _filled - consumed);
                    _filled -= consumed;
                    Transcript.Append("  < ").AppendLine(message.ToString());
                    return message;
                }
                if (status != FrameStatus.NeedMore)
                    throw new InvalidOperationException("the acceptor sent bytes that do not frame: "
                        + Encoding.ASCII.GetString(_buffer, 0, _filled).Replace('\u0001', '|'));
            }
            if (_closed) return null;
            var left = bound - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                timedOut = true;
                return null;
            }
            if (!_socket.Poll((int)Math.Max(1, left.TotalMicroseconds), SelectMode.SelectRead)) continue;
            if (_filled == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
            int n;
            try
            {
                n = _socket.Receive(_buffer.AsSpan(_filled), SocketFlags.None);
            }
            catch (SocketException)
            {
                n = 0; // reset by the acceptor
            }
            if (n == 0)
            {
                _closed = true;
                Transcript.AppendLine("  < (closed)");
            }
            _filled += n;
        }
    }

    private static ScriptMessage Parse(ReadOnlySpan<byte> frame)
    {
        var text = Encoding.ASCII.GetString(frame);
        var fields = new List<(int, string)>();
        foreach (var field in text.Split('\u0001', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = field.IndexOf('=', StringComparison.Ordinal);
            fields.Add((int.Parse(field[..eq], CultureInfo.InvariantCulture), field[(eq + 1)..]));
        }
        return new ScriptMessage(fields, text.Replace('\u0001', '|'));
    }

    public void Dispose() => _socket.Dispose();
}
