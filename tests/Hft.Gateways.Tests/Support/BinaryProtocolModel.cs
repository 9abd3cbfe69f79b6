using System.Buffers.Binary;
using Hft.Gateways.Binary;

namespace Hft.Gateways.Tests.Support;

/// <summary>What the server does with one piece of the client's byte stream (docs/protocol/binary.md, "How the server judges a frame").</summary>
public enum Verdict
{
    /// <summary>Accepted, nothing to answer (a Heartbeat).</summary>
    Silent,
    /// <summary>Answered with <see cref="Step.Reply"/>; the session goes on.</summary>
    Answered,
    /// <summary>The session ends: LogoutNotice(<see cref="Step.Reason"/>), then the server closes.</summary>
    Ended,
    /// <summary>The login is refused: LoginRejected(<see cref="Step.Reason"/>), then the server closes without a Logout.</summary>
    LoginRefused,
}

/// <summary>One complete frame (or, for an unreadable length, the rest of the stream) and what the server does with it.</summary>
public sealed record Step(byte[] Bytes, Verdict Verdict, MessageType Reply = 0, byte Reason = 0);

/// <summary>
/// docs/protocol/binary.md as an executable model, written from the document rather than from the server's code: how
/// the server cuts a client's byte stream into frames and judges each one. Credentials are assumed wrong and the
/// session's account to have no orders (so every order message is refused), which is what the fuzz tests send. A
/// logged-on session speaks the newest version (the client library's), so NewOrderV2 and ReplaceOrderV2 are among its messages.
/// </summary>
public static class BinaryProtocolModel
{
    /// <summary>The exact size of each fixed-layout client message (the Messages table).</summary>
    private static int ClientSize(byte type) => type switch
    {
        0x02 => 16, // Logout
        0x03 => 8, // Heartbeat
        0x10 => 48, // NewOrder
        0x11 => 32, // CancelOrder
        0x12 => 48, // ReplaceOrder
        0x13 => 24, // MassCancel
        0x14 => 72, // NewOrderV2
        0x15 => 56, // ReplaceOrderV2
        _ => 0,
    };

    /// <summary>
    /// The steps the server takes over <paramref name="stream"/> on a connection logged on or not, whose next client
    /// sequence is <paramref name="sequence"/>; <paramref name="rest"/> is what remains of an incomplete frame when
    /// the session is still up (empty when the stream ended on a frame boundary or the session ended).
    /// </summary>
    public static List<Step> Judge(ReadOnlySpan<byte> stream, bool loggedOn, uint sequence, int instruments, out byte[] rest)
    {
        var steps = new List<Step>();
        rest = [];
        int at = 0;
        while (at < stream.Length)
        {
            var left = stream[at..];
            if (left.Length < 2)
            {
                rest = left.ToArray();
                break;
            }
            int length = BinaryPrimitives.ReadUInt16LittleEndian(left);
            if (length < 8)
            {
                steps.Add(new Step(left.ToArray(), Verdict.Ended, Reason: (byte)DisconnectReason.MalformedFrame));
                break;
            }
            if (length > 2048)
            {
                steps.Add(new Step(left.ToArray(), Verdict.Ended, Reason: (byte)DisconnectReason.OversizedFrame));
                break;
            }
            if (left.Length < length)
            {
                rest = left.ToArray();
                break;
            }
            var frame = left[..length];
            var step = JudgeFrame(frame, ref loggedOn, ref sequence, instruments);
            steps.Add(step);
            at += length;
            if (step.Verdict is Verdict.Ended or Verdict.LoginRefused) break;
        }
        return steps;
    }

    private static Step JudgeFrame(ReadOnlySpan<byte> frame, ref bool loggedOn, ref uint sequence, int instruments)
    {
        var bytes = frame.ToArray();
        byte type = frame[2];
        if (BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]) != sequence) return Ends(bytes, DisconnectReason.BadSequence);
        sequence++;
        if (type == 0x01)
        {
            if (loggedOn) return Ends(bytes, DisconnectReason.UnexpectedLogin);
            if (frame.Length < 16 || 16 + BinaryPrimitives.ReadUInt16LittleEndian(frame[12..]) != frame.Length) return Ends(bytes, DisconnectReason.MalformedFrame);
            if (BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]) is not (1 or 2)) return Refused(bytes, LoginRejectReason.UnsupportedVersion);
            if (frame.Length == 16 || frame[10] is not (1 or 2)) return Refused(bytes, LoginRejectReason.BadAuthKind);
            return Refused(bytes, LoginRejectReason.BadCredentials);
        }
        int size = ClientSize(type);
        if (size == 0) return Ends(bytes, DisconnectReason.UnknownMessageType);
        if (!loggedOn) return Ends(bytes, DisconnectReason.NotLoggedIn);
        if (frame.Length != size) return Ends(bytes, DisconnectReason.MalformedFrame);
        var body = frame[8..];
        switch (type)
        {
            case 0x02:
                return Ends(bytes, DisconnectReason.ClientLogout);
            case 0x03:
                return new Step(bytes, Verdict.Silent);
            case 0x10 or 0x14:
                bool v2 = type == 0x14;
                bool defined = body[28] is 1 or 2 && (v2 ? body[29] is >= 1 and <= 6 : body[29] is 1 or 2)
                    && (v2 ? body[30] is >= 1 and <= 4 : body[30] is 1 or 2 or 3) && body[31] <= 3 && (body[32] & ~1) == 0;
                return defined ? Answers(bytes, MessageType.OrderRejected) : Answers(bytes, MessageType.SessionReject, (byte)SessionRejectReason.InvalidField);
            case 0x11:
                return Answers(bytes, MessageType.OrderRejected, (byte)Hft.Core.Events.RejectReason.UnknownOrder);
            case 0x12 or 0x15: // flags: bit 0 price set; ReplaceOrderV2 also bit 1 trigger set
                return (body[36] & ~(type == 0x15 ? 3 : 1)) == 0
                    ? Answers(bytes, MessageType.OrderRejected)
                    : Answers(bytes, MessageType.SessionReject, (byte)SessionRejectReason.InvalidField);
            default: // 0x13 MassCancel
                int instrument = BinaryPrimitives.ReadInt32LittleEndian(body[8..]);
                return instrument >= -1 && instrument < instruments
                    ? Answers(bytes, MessageType.MassCancelDone)
                    : Answers(bytes, MessageType.OrderRejected, (byte)Hft.Core.Events.RejectReason.UnknownSymbol);
        }
    }

    private static Step Ends(byte[] bytes, DisconnectReason reason) => new(bytes, Verdict.Ended, Reason: (byte)reason);

    private static Step Refused(byte[] bytes, LoginRejectReason reason) => new(bytes, Verdict.LoginRefused, MessageType.LoginRejected, (byte)reason);

    private static Step Answers(byte[] bytes, MessageType reply, byte reason = 0) => new(bytes, Verdict.Answered, reply, reason);
}
