using System.Net.Security;
using System.Net.Sockets;

namespace Hft.Gateways.Fix;

/// <summary>
/// The bytes of one FIX connection: the socket itself (plain TCP: no layer between, nothing allocated per message),
/// or the TLS stream over it ([tls] fix; SslStream frames records in buffers of its own, rented while a record is
/// being read or written).
/// </summary>
internal sealed class FixWire(Socket socket, SslStream? tls, FixMetrics? metrics = null)
{
    // hft_gateway_bytes_total{protocol="fix"}: one add per read or write call, never per message.
    private readonly Prometheus.Counter.Child? _bytesIn = metrics?.BytesIn, _bytesOut = metrics?.BytesOut;

    public Socket Socket => socket;

    public bool Encrypted => tls is not null;

    /// <summary>Waits for bytes without holding a buffer: a zero-byte receive on a plain socket; TLS reads straight into the caller's buffer.</summary>
    public ValueTask<int> WaitReadableAsync(CancellationToken cancel)
        => tls is null ? socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, cancel) : ValueTask.FromResult(0);

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        var pending = tls is null ? socket.ReceiveAsync(buffer, SocketFlags.None, cancel) : tls.ReadAsync(buffer, cancel);
        return pending.IsCompletedSuccessfully ? new ValueTask<int>(Received(pending.Result)) : ReceivedLater(pending);
    }

    private async ValueTask<int> ReceivedLater(ValueTask<int> pending) => Received(await pending);

    /// <summary>Blocking read (the connection's reader thread); 0 when the peer closed.</summary>
    public int Receive(Span<byte> buffer) => Received(tls is null ? socket.Receive(buffer, SocketFlags.None) : tls.Read(buffer));

    private int Received(int n)
    {
        if (n > 0) _bytesIn?.Inc(n);
        return n;
    }

    /// <summary>Blocking write of all of <paramref name="bytes"/> (bounded by the socket's send timeout).</summary>
    public void Send(ReadOnlySpan<byte> bytes)
    {
        _bytesOut?.Inc(bytes.Length);
        if (tls is not null)
        {
            tls.Write(bytes);
            return;
        }
        while (!bytes.IsEmpty)
        {
            int n = socket.Send(bytes, SocketFlags.None);
            bytes = bytes[n..];
        }
    }

    /// <summary>Shuts the socket down (unblocking a reader) and releases it and the TLS state; safe to call more than once.</summary>
    public void Close()
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
        tls?.Dispose();
        socket.Dispose();
    }
}
