using System.Net.Sockets;
using Hft.MarketData;

namespace Hft.Server.MarketData.Binary;

/// <summary>
/// One recovery client: reads fixed-size requests (each within the idle timeout) and answers them - a retransmission as
/// packets exactly as sent over UDP, a snapshot as its begin frame, message frames and end frame. Buffers are per
/// connection and fixed: a range is copied from the ring in chunks, never all at once.
/// </summary>
internal sealed class RecoveryConnection
{
    private const int Chunk = 256;

    private readonly Socket _socket;
    private readonly RecoveryServer _server;
    private readonly BinaryFeedOptions _options;
    private readonly byte[] _request = new byte[RecoveryProtocol.MaxRequestFrame];
    private readonly byte[] _frame;
    private readonly FeedPacketWriter _packet;
    private readonly byte[] _slots = new byte[Chunk * FeedLayout.MaxMessageSize];
    private readonly byte[] _lengths = new byte[Chunk];
    private readonly byte[] _message = new byte[FeedLayout.MaxMessageSize];

    public RecoveryConnection(Socket socket, RecoveryServer server)
    {
        _socket = socket;
        _server = server;
        _options = server.Options;
        _packet = new FeedPacketWriter(_options.Mtu);
        _frame = new byte[RecoveryProtocol.LengthSize + 1 + _options.Mtu];
    }

    public void Abort() => _socket.Dispose();

    public async Task RefuseAsync(RecoveryError error, long value, CancellationToken stop)
    {
        try
        {
            await SendErrorAsync(error, value, stop);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // the client is gone already: nothing to tell
        }
        finally
        {
            _socket.Dispose();
        }
    }

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var read = await ReadRequestAsync(stop);
                if (read == Read.Closed) return;
                if (read == Read.Idle)
                {
                    await Refuse(RecoveryError.IdleTimeout, (long)_options.RecoveryIdleTimeout.TotalSeconds, stop);
                    return;
                }
                if (read == Read.Oversized)
                {
                    await Refuse(RecoveryError.Oversized, RecoveryProtocol.MaxRequestFrame, stop);
                    return;
                }
                if (!await HandleAsync(stop)) return;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // the client left, stopped reading for longer than the idle timeout, or the service is stopping
        }
        finally
        {
            _socket.Dispose();
        }
    }

    private enum Read { Request, Closed, Idle, Oversized }

    private int _length;

    private async Task<Read> ReadRequestAsync(CancellationToken stop)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        idle.CancelAfter(_options.RecoveryIdleTimeout);
        try
        {
            if (!await FillAsync(_request.AsMemory(0, RecoveryProtocol.LengthSize), idle.Token)) return Read.Closed;
            _length = RecoveryProtocol.ReadLength(_request);
            if (_length == 0 || RecoveryProtocol.LengthSize + _length > RecoveryProtocol.MaxRequestFrame) return Read.Oversized;
            return await FillAsync(_request.AsMemory(RecoveryProtocol.LengthSize, _length), idle.Token) ? Read.Request : Read.Closed;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return Read.Idle;
        }
    }

    private async Task<bool> FillAsync(Memory<byte> buffer, CancellationToken token)
    {
        while (buffer.Length > 0)
        {
            int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, token);
            if (n == 0) return false;
            buffer = buffer[n..];
        }
        return true;
    }

    /// <summary>Answers the request in <see cref="_request"/>; false when the connection is to be closed.</summary>
    private async Task<bool> HandleAsync(CancellationToken stop)
    {
        var body = _request.AsMemory(RecoveryProtocol.LengthSize, _length);
        var type = (RecoveryFrameType)body.Span[0];
        if (type == RecoveryFrameType.SnapshotRequest && _length == 1)
        {
            await SnapshotAsync(stop);
            return true;
        }
        if (type != RecoveryFrameType.RetransmitRequest || _length != RecoveryProtocol.RetransmitRequestSize - RecoveryProtocol.LengthSize)
            return await Refuse(RecoveryError.Malformed, 0, stop);
        long first = RecoveryProtocol.ReadSequence(body.Span[1..]);
        int count = RecoveryProtocol.ReadInt32(body.Span[9..]);
        if (first < 1 || count < 1) return await Refuse(RecoveryError.Malformed, 0, stop);
        if (count > _options.MaxRetransmitMessages) return await Refuse(RecoveryError.RangeTooLarge, _options.MaxRetransmitMessages, stop, close: false);
        return await RetransmitAsync(first, count, stop);
    }

    private async Task<bool> RetransmitAsync(long first, int count, CancellationToken stop)
    {
        long next = first;
        int left = count, sent = 0;
        while (left > 0)
        {
            int want = Math.Min(left, Chunk);
            var answer = _server.Sequencer.CopyRange(next, want, _slots, _lengths);
            if (answer.Refused)
            {
                if (sent > 0 && answer.Error == RecoveryError.BeyondEnd) break; // the stream ends here
                await FlushPacketAsync(stop);
                return await Refuse(answer.Error, answer.Value, stop, close: false);
            }
            for (int i = 0; i < answer.Count; i++)
            {
                var message = _slots.AsSpan(i * FeedLayout.MaxMessageSize, _lengths[i]);
                if (_packet.TryAppend(message, next + i)) continue;
                await FlushPacketAsync(stop);
                _packet.TryAppend(_slots.AsSpan(i * FeedLayout.MaxMessageSize, _lengths[i]), next + i);
            }
            next += answer.Count;
            left -= answer.Count;
            sent += answer.Count;
            if (answer.Count < want) break; // nothing after this yet
        }
        await FlushPacketAsync(stop);
        _server.CountRetransmit(sent);
        await SendAsync(RecoveryProtocol.WriteSequenceFrame(_frame, RecoveryFrameType.RetransmitDone, next), stop);
        return true;
    }

    private async Task SnapshotAsync(CancellationToken stop)
    {
        _server.CountSnapshot();
        var messages = _server.Sequencer.Snapshot(_server.Now(), out long sequence);
        await SendAsync(RecoveryProtocol.WriteSnapshotBegin(_frame, _server.Sequencer.Session, sequence, messages.Count), stop);
        foreach (var m in messages)
        {
            int length = FeedCodec.Write(_message, m);
            if (_packet.TryAppend(_message.AsSpan(0, length), sequence)) continue;
            await FlushPacketAsync(stop, RecoveryFrameType.SnapshotMessages);
            _packet.TryAppend(_message.AsSpan(0, length), sequence);
        }
        await FlushPacketAsync(stop, RecoveryFrameType.SnapshotMessages);
        await SendAsync(RecoveryProtocol.WriteSequenceFrame(_frame, RecoveryFrameType.SnapshotEnd, sequence), stop);
    }

    /// <summary>Sends the pending packet as one frame (a retransmitted packet, or snapshot messages).</summary>
    private async Task FlushPacketAsync(CancellationToken stop, RecoveryFrameType type = RecoveryFrameType.Packet)
    {
        if (_packet.IsEmpty) return;
        var packet = _packet.Complete(_server.Sequencer.Session);
        RecoveryProtocol.WriteHead(_frame, type, packet.Length);
        packet.CopyTo(_frame.AsSpan(RecoveryProtocol.LengthSize + 1));
        int length = RecoveryProtocol.LengthSize + 1 + packet.Length;
        _packet.Reset();
        await SendAsync(length, stop);
    }

    private async Task<bool> Refuse(RecoveryError error, long value, CancellationToken stop, bool close = true)
    {
        _server.CountRefusal(error);
        await SendErrorAsync(error, value, stop);
        return !close;
    }

    private Task SendErrorAsync(RecoveryError error, long value, CancellationToken stop)
        => SendAsync(RecoveryProtocol.WriteError(_frame, error, value), stop);

    /// <summary>Sends the first <paramref name="length"/> bytes of the frame buffer; a client that does not read them within the idle timeout is dropped.</summary>
    private async Task SendAsync(int length, CancellationToken stop)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
        idle.CancelAfter(_options.RecoveryIdleTimeout);
        var rest = _frame.AsMemory(0, length);
        while (rest.Length > 0) rest = rest[await _socket.SendAsync(rest, SocketFlags.None, idle.Token)..];
    }
}
