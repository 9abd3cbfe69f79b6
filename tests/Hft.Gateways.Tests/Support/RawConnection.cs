using System.Net;
using System.Net.Sockets;
using System.Text;
using Hft.Gateways.Binary;

namespace Hft.Gateways.Tests.Support;

/// <summary>
/// A bare TCP connection to the binary port for tests that control every byte: no heartbeats, no sequence keeping,
/// nothing sent unless asked. Reads the server's frames one at a time, every wait bounded by <see cref="ClientExtensions.Timeout"/>.
/// </summary>
public sealed class RawConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[8 * 1024];
    private int _start, _end;

    private RawConnection(Socket socket) => _socket = socket;

    public static async Task<RawConnection> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new RawConnection(socket);
    }

    public void Send(ReadOnlySpan<byte> bytes) => _socket.Send(bytes);

    /// <summary>Sends a Login (sequence 1) with an API key and returns the server's answer.</summary>
    public async Task<BinaryMessage> LoginAsync(string apiKey)
    {
        var frame = new byte[BinaryProtocol.MaxFrameSize];
        int n = BinaryCodec.WriteLogin(BinaryProtocol.Version, AuthKind.ApiKey, Encoding.UTF8.GetBytes(apiKey), 1, frame);
        Send(frame.AsSpan(0, n));
        return await NextAsync() ?? throw new IOException("closed before the login was answered");
    }

    /// <summary>Half-close: the server sees the end of the stream.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next frame the server sent (heartbeats included); null once the server closed the connection in order.</summary>
    /// <exception cref="SocketException">The connection was reset.</exception>
    /// <exception cref="InvalidDataException">The server sent bytes that are not a frame.</exception>
    public async Task<BinaryMessage?> NextAsync()
    {
        using var timeout = new CancellationTokenSource(ClientExtensions.Timeout);
        while (true)
        {
            var status = BinaryCodec.TryReadFrameLength(_buffer.AsSpan(_start, _end - _start), BinaryProtocol.MaxFrameSize, out int length);
            if (status == FrameStatus.Complete)
            {
                if (!BinaryCodec.TryRead(_buffer.AsSpan(_start, length), out var m)) throw new InvalidDataException($"undecodable server frame of {length} bytes");
                _start += length;
                return m;
            }
            if (status != FrameStatus.Incomplete) throw new InvalidDataException($"server frame status {status}");
            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            int read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                if (_end > _start) throw new InvalidDataException("the server closed in the middle of a frame");
                return null;
            }
            _end += read;
        }
    }

    /// <summary>The next frame that is not a ServerHeartbeat (null: closed in order).</summary>
    public async Task<BinaryMessage?> NextNotHeartbeatAsync()
    {
        while (true)
        {
            var m = await NextAsync();
            if (m is not { Type: MessageType.ServerHeartbeat }) return m;
        }
    }

    /// <summary>Waits for the server to end the connection: its LogoutNotice reason, or null when it closed without one.</summary>
    public async Task<DisconnectReason?> ClosedAsync()
    {
        DisconnectReason? reason = null;
        while (await NextNotHeartbeatAsync() is { } m)
        {
            Assert.True(m.Type == MessageType.LogoutNotice, $"expected the server to close, got {m.Type}");
            reason = (DisconnectReason)m.Reason;
        }
        return reason;
    }

    public void Dispose() => _socket.Dispose();
}
