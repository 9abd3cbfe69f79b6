namespace Hft.Gateways.Fix;

/// <summary>
/// The last <c>capacity</c> application messages a session sent (type, body fields, original SendingTime), by
/// MsgSeqNum, in a ring of reused buffers: a ResendRequest is answered with these (PossDupFlag=Y, OrigSendingTime),
/// and with SequenceReset-GapFill for admin messages and anything no longer (or, after a restart, not) held.
/// Memory only: the counterparty's state is rebuilt from the venue's order queries after a restart.
/// </summary>
public sealed class FixResendStore
{
    private readonly Entry[] _ring;

    public FixResendStore(int capacity) => _ring = new Entry[Math.Max(1, capacity)];

    public int Capacity => _ring.Length;

    public void Add(long seq, ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, DateTime sendingTime)
    {
        ref var e = ref _ring[seq % _ring.Length];
        int need = msgType.Length + body.Length;
        if (e.Bytes is null || e.Bytes.Length < need) e.Bytes = new byte[Math.Max(need, 256)];
        msgType.CopyTo(e.Bytes);
        body.CopyTo(e.Bytes.AsSpan(msgType.Length));
        e.Seq = seq;
        e.TypeLength = msgType.Length;
        e.BodyLength = body.Length;
        e.SendingTime = sendingTime;
    }

    /// <summary>The application message sent as <paramref name="seq"/>, if still held.</summary>
    public bool TryGet(long seq, out ReadOnlySpan<byte> msgType, out ReadOnlySpan<byte> body, out DateTime sendingTime)
    {
        ref var e = ref _ring[seq % _ring.Length];
        if (e.Seq != seq || e.Bytes is null)
        {
            msgType = body = default;
            sendingTime = default;
            return false;
        }
        msgType = e.Bytes.AsSpan(0, e.TypeLength);
        body = e.Bytes.AsSpan(e.TypeLength, e.BodyLength);
        sendingTime = e.SendingTime;
        return true;
    }

    /// <summary>Forgets everything (sequence reset).</summary>
    public void Clear()
    {
        for (int i = 0; i < _ring.Length; i++) _ring[i].Seq = 0;
    }

    private struct Entry
    {
        public long Seq;
        public byte[]? Bytes;
        public int TypeLength;
        public int BodyLength;
        public DateTime SendingTime;
    }
}
