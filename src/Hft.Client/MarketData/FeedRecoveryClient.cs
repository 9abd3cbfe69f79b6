using System.Net;
using System.Net.Sockets;
using Hft.MarketData;

namespace Hft.Client.MarketData;

/// <summary>Receives one frame's bytes: a packet (retransmission) or snapshot messages in packet form.</summary>
public delegate void PacketHandler(ReadOnlySpan<byte> packet);

/// <summary>
/// How a recovery request ended: <see cref="Ok"/>, or refused with <see cref="Error"/> and its <see cref="Value"/>, or
/// failed (<see cref="Failure"/>: connection lost, timeout, a frame that makes no sense).
/// </summary>
public readonly record struct RecoveryResult(RecoveryError Error, long Value, long Sequence, FeedSessionId Session, string? Failure)
{
    public bool Ok => Error == 0 && Failure is null;

    public static RecoveryResult Failed(string why) => new(0, 0, 0, default, why);

    public override string ToString() => Ok ? $"ok at {Sequence}" : Failure ?? $"refused {Error} ({Value})";
}

/// <summary>
/// A blocking client of the feed's TCP recovery service (docs/protocol/marketdata.md, "Recovery"): connects on first use,
/// sends one request at a time and reads its answer; any failure closes the connection (the next request reconnects).
/// </summary>
public sealed class FeedRecoveryClient(IPEndPoint endpoint, TimeSpan timeout) : IDisposable
{
    private readonly byte[] _frame = new byte[RecoveryProtocol.LengthSize + ushort.MaxValue];
    private Socket? _socket;

    public IPEndPoint Endpoint => endpoint;

    /// <summary>Asks for messages <paramref name="first"/>.. (at most <paramref name="count"/>); each packet goes to <paramref name="onPacket"/>. Sequence: the one after the last sent.</summary>
    public RecoveryResult Retransmit(long first, int count, PacketHandler onPacket)
    {
        Span<byte> request = stackalloc byte[RecoveryProtocol.RetransmitRequestSize];
        RecoveryProtocol.WriteRetransmitRequest(request, first, count);
        return Exchange(request, onPacket, RecoveryFrameType.RetransmitDone);
    }

    /// <summary>Asks for a snapshot; its message frames go to <paramref name="onMessages"/>. Sequence and Session: what it reflects.</summary>
    public RecoveryResult Snapshot(PacketHandler onMessages)
    {
        Span<byte> request = stackalloc byte[RecoveryProtocol.SnapshotRequestSize];
        RecoveryProtocol.WriteSnapshotRequest(request);
        return Exchange(request, onMessages, RecoveryFrameType.SnapshotEnd);
    }

    private RecoveryResult Exchange(ReadOnlySpan<byte> request, PacketHandler onData, RecoveryFrameType last)
    {
        try
        {
            var socket = Connect();
            socket.Send(request);
            FeedSessionId session = default;
            for (int frames = 0; frames < 10_000_000; frames++)
            {
                ReadExactly(socket, _frame.AsSpan(0, RecoveryProtocol.LengthSize));
                int length = RecoveryProtocol.ReadLength(_frame);
                if (length == 0) return Drop("an empty frame");
                var frame = _frame.AsSpan(RecoveryProtocol.LengthSize, length);
                ReadExactly(socket, frame);
                var body = frame[1..];
                switch ((RecoveryFrameType)frame[0])
                {
                    case RecoveryFrameType.Packet or RecoveryFrameType.SnapshotMessages:
                        onData(body);
                        break;
                    case RecoveryFrameType.SnapshotBegin when body.Length >= FeedSessionId.Size:
                        session = FeedSessionId.Read(body);
                        break;
                    case RecoveryFrameType.Error when body.Length >= 9:
                        var error = (RecoveryError)body[0];
                        long value = RecoveryProtocol.ReadSequence(body[1..]);
                        if (error is RecoveryError.Malformed or RecoveryError.TooManyClients or RecoveryError.IdleTimeout or RecoveryError.Oversized) Close();
                        return new RecoveryResult(error, value, 0, session, null);
                    case var type when type == last && body.Length >= 8:
                        return new RecoveryResult(0, 0, RecoveryProtocol.ReadSequence(body), session, null);
                    default:
                        return Drop($"an unexpected frame type {frame[0]}");
                }
            }
            return Drop("an answer that never ended");
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Close();
            return RecoveryResult.Failed($"recovery service {endpoint}: {e.Message}");
        }
    }

    private RecoveryResult Drop(string what)
    {
        Close();
        return RecoveryResult.Failed($"recovery service {endpoint} sent {what}");
    }

    private Socket Connect()
    {
        if (_socket is { Connected: true } open) return open;
        Close();
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)timeout.TotalMilliseconds,
            SendTimeout = (int)timeout.TotalMilliseconds,
        };
        try
        {
            socket.Connect(endpoint);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return _socket = socket;
    }

    private static void ReadExactly(Socket socket, Span<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            int n = socket.Receive(buffer);
            if (n == 0) throw new IOException("the connection was closed");
            buffer = buffer[n..];
        }
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
    }

    public void Dispose() => Close();
}
