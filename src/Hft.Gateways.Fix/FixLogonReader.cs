using System.Buffers;
using System.Net.Sockets;
using Hft.Auth.Guards;
using Microsoft.Extensions.Logging;

namespace Hft.Gateways.Fix;

/// <summary>
/// An admitted connection until its Logon. While it waits it holds no thread and no buffer (a zero-byte receive
/// waits for data), only its socket, its admission ticket and its login timer; what arrives is framed in at most
/// <see cref="MaxLogonBytes"/>. The first message must be a Logon: anything else - garbage, another message, a
/// frame longer than that - closes the connection without a reply, and so does silence beyond
/// <c>[security] login_timeout_seconds</c>. <see cref="FixLogonPolicy"/> decides the Logon: refused with a Logout
/// saying why, or the connection becomes its session's <see cref="FixConnection"/> (allocated only then).
/// With [tls] fix the TLS handshake comes first, within the same login timeout; a failed one closes the connection as
/// <c>tls_handshake</c>. SslStream has no idle wait without a buffer, so a TLS connection holds the pooled Logon buffer
/// (<see cref="MaxLogonBytes"/>) plus SslStream's own (up to one TLS record, ~16 KB, while one is being read) from its
/// handshake until its Logon or its login timeout - bounded by <c>[security]</c> connection limits like the rest.
/// </summary>
internal sealed class FixLogonReader(Socket socket, ConnectionGate.Ticket ticket, FixAcceptor acceptor, ILogger log)
{
    private FixWire _wire = new(socket, null, acceptor.Metrics);

    /// <summary>The longest first message (a Logon) read before the connection is closed as oversized.</summary>
    public const int MaxLogonBytes = 1024;

    private const int FrameOverhead = 24; // "8=FIX.4.4|9=nnnn|" before the body, "10=ccc|" after it

    // Parses one Logon at a time per thread (decided synchronously): no per-connection parser while waiting.
    [ThreadStatic]
    private static FixMessage? t_message;

    /// <summary>Reads and decides the Logon, or closes the connection; never throws.</summary>
    public async Task RunAsync(TimeSpan loginTimeout, int maxMessageBytes, CancellationToken stop)
    {
        await Task.Yield(); // off the accept loop
        int maxBody = Math.Min(maxMessageBytes, MaxLogonBytes - FrameOverhead);
        byte[]? buffer = null;
        int filled = 0;
        string? reason = "peer_closed";
        using var deadline = new CancellationTokenSource(loginTimeout, acceptor.Clock);
        using var stopping = stop.Register(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        try
        {
            if (acceptor.Tls is { } tls)
            {
                var stream = await tls.AcceptAsync(socket, deadline.Token);
                if (stream is null)
                {
                    Close(stop.IsCancellationRequested ? "shutdown" : deadline.IsCancellationRequested ? "login_timeout" : "tls_handshake");
                    return;
                }
                _wire = new FixWire(socket, stream, acceptor.Metrics);
            }
            while (true)
            {
                await _wire.WaitReadableAsync(deadline.Token);
                buffer ??= ArrayPool<byte>.Shared.Rent(MaxLogonBytes);
                int n = await _wire.ReceiveAsync(buffer.AsMemory(filled, MaxLogonBytes - filled), deadline.Token);
                if (n == 0) break;
                filled += n;
                var status = FixFramer.TryFrame(buffer.AsSpan(0, filled), maxBody, out int consumed);
                if (status == FrameStatus.NeedMore && filled < MaxLogonBytes)
                {
                    if (!FixFramer.EndsWithTrailer(buffer.AsSpan(0, filled))) continue;
                    status = FrameStatus.Garbled; // a whole Logon whose BodyLength runs past its CheckSum
                }
                reason = status switch
                {
                    FrameStatus.Complete => Decide(buffer, consumed, filled, stop),
                    FrameStatus.Garbled => "garbled",
                    FrameStatus.WrongBeginString => "begin_string",
                    _ => "oversized",
                };
                break;
            }
        }
        catch (OperationCanceledException)
        {
            reason = stop.IsCancellationRequested ? "shutdown" : "login_timeout";
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            reason = "socket_error";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogError(e, "fix {Remote}: error before logon", ticket.Address); // a bug must end this connection, never the acceptor
            reason = "internal_error";
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
        if (reason is not null) Close(reason);
    }

    /// <summary>Decides the Logon framed at the start of <paramref name="buffer"/>; null when the connection became its session's.</summary>
    private string? Decide(byte[] buffer, int length, int filled, CancellationToken stop)
    {
        acceptor.Metrics.In.Inc();
        var m = t_message ??= new FixMessage();
        if (!m.TryParse(buffer, 0, length, out _, out _) || m.MsgType != FixMsgTypes.Logon) return "not_logon";
        var policy = acceptor.Logons;
        if (!policy.TryAccept(m, ticket.Address, out var session, out var terms, out var refusal)) return Refuse(session, refusal);
        var connection = new FixConnection(_wire, ticket, acceptor, acceptor.Config.Gateway, log);
        if (!connection.TryLogOn(session!, m, terms)) return Refuse(session, policy.Busy(session!, ticket.Address));
        ticket.LoggedOn();
        policy.LoggedOn(session!, ticket.Address);
        acceptor.Track(connection, connection.Start(buffer.AsSpan(length, filled - length), stop)); // what came after the Logon
        return null;
    }

    /// <summary>Answers with the refusal's Logout (when it has a text), then the connection is closed for its reason.</summary>
    private string Refuse(FixSession? session, LogonRefusal refusal)
    {
        var level = refusal.Reason == "locked_out" ? LogLevel.Debug : LogLevel.Warning; // lockouts are audited; a flood must not flood the log
        log.Log(level, "fix {Session} from {Remote}: Logon refused ({Reason}): {Text}", session?.Config.SenderCompId ?? "-", ticket.Address,
            refusal.Reason, refusal.Text ?? "no reply");
        if (session is null || refusal.Text is null) return refusal.Reason;
        var body = new FixFieldWriter(64 + refusal.Text.Length);
        body.Add(FixTags.Text, refusal.Text);
        try
        {
            _wire.Send(session.RefusalLogout(body.Written, refusal.TakeNumber));
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
        }
        return refusal.Reason;
    }

    private void Close(string reason)
    {
        acceptor.Metrics.Disconnected(reason);
        _wire.Close();
        ticket.Dispose();
        log.LogDebug("fix {Remote}: closed before logon ({Reason})", ticket.Address, reason);
    }
}
