using System.Buffers.Binary;
using System.Text.Json;
using CsCheck;
using Hft.Core.Orders;
using Hft.Gateways.Binary;
using Hft.Gateways.Tests.Support;
using Xunit.Abstractions;
using static Hft.Gateways.Tests.Support.GatewayFixture;

namespace Hft.Gateways.Tests.Binary;

/// <summary>
/// Generated hostile input against a real gateway, before and after login: random bytes, lengths below the header or
/// above the maximum, frames cut short, undefined types, known types of the wrong length, garbage bodies, login-shaped
/// frames. Each connection's answers must be exactly what docs/protocol/binary.md says (<see cref="BinaryProtocolModel"/>),
/// every close orderly; meanwhile another session keeps trading and the engine's state does not change.
/// </summary>
public class BinaryDecoderFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 200;

    /// <summary>One generated frame: its bytes, and whether its sequence field is to be the right one (most are, to get past that check).</summary>
    public sealed record FuzzFrame(string Kind, byte[] Bytes, bool RightSequence);

    public sealed record FuzzCase(bool AfterLogin, FuzzFrame[] Frames)
    {
        /// <summary>The frames back to back, right sequence numbers written from <paramref name="first"/> on.</summary>
        public byte[] Stream(uint first)
        {
            var stream = new List<byte>();
            for (int i = 0; i < Frames.Length; i++)
            {
                var bytes = (byte[])Frames[i].Bytes.Clone();
                if (Frames[i].RightSequence && bytes.Length >= 8) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), first + (uint)i);
                stream.AddRange(bytes);
            }
            return stream.ToArray();
        }

        public override string ToString()
            => $"{(AfterLogin ? "after" : "before")} login: {string.Join(" | ", Frames.Select(f => $"{f.Kind} {Convert.ToHexString(f.Bytes)}"))}";
    }

    private static readonly byte[] s_clientTypes = [0x01, 0x02, 0x03, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15];
    private static readonly byte[] s_fixedTypes = [0x02, 0x03, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15];

    private static int SizeOf(byte type) => BinaryCodec.FrameSize((MessageType)type);

    /// <summary>A frame of <paramref name="length"/> bytes declaring <paramref name="declared"/>, of type <paramref name="type"/>, the rest from <paramref name="garbage"/>.</summary>
    private static byte[] Frame(int declared, byte type, int length, byte[] garbage)
    {
        var frame = new byte[length];
        garbage.AsSpan(0, Math.Min(garbage.Length, length)).CopyTo(frame);
        if (length >= 2) BinaryPrimitives.WriteUInt16LittleEndian(frame, (ushort)declared);
        if (length >= 3) frame[2] = type;
        if (length >= 4) frame[3] = 0;
        return frame;
    }

    private static readonly Gen<bool> s_rightSequence = Gen.Int[0, 9].Select(i => i != 0);

    private static readonly Gen<FuzzFrame> s_random = Gen.Byte.Array[1, 64].Select(b => new FuzzFrame("random", b, false));

    private static readonly Gen<FuzzFrame> s_belowHeader = Gen.Select(Gen.Int[0, 7], Gen.Byte.Array[0, 16],
        (declared, tail) => new FuzzFrame("length below header", [(byte)declared, 0, .. tail], false));

    private static readonly Gen<FuzzFrame> s_oversized = Gen.Select(Gen.Int[2049, 65535], Gen.Byte.Array[0, 64],
        (declared, tail) => new FuzzFrame("oversized", [(byte)declared, (byte)(declared >> 8), .. tail], false));

    private static readonly Gen<FuzzFrame> s_truncated = Gen.Int[8, 2048].SelectMany(declared =>
        Gen.Select(Gen.Int[2, declared - 1], Gen.Byte, Gen.Byte.Array[declared - 1], s_rightSequence,
            (sent, type, garbage, right) => new FuzzFrame("truncated", Frame(declared, type, sent, garbage), right)));

    private static readonly Gen<FuzzFrame> s_undefinedType = Gen.Select(Gen.Byte.Where(t => !s_clientTypes.Contains(t)), Gen.Int[8, 64],
        Gen.Byte.Array[64], s_rightSequence,
        (type, length, garbage, right) => new FuzzFrame("undefined type", Frame(length, type, length, garbage), right));

    private static readonly Gen<FuzzFrame> s_wrongLength = Gen.Select(Gen.OneOfConst(s_fixedTypes), Gen.Int[8, 64], Gen.Byte.Array[64],
            s_rightSequence, (type, length, garbage, right) => (type, length, garbage, right))
        .Where(t => t.length != SizeOf(t.type))
        .Select(t => new FuzzFrame("wrong length", Frame(t.length, t.type, t.length, t.garbage), t.right));

    private static readonly Gen<FuzzFrame> s_garbageBody = Gen.Select(Gen.OneOfConst(s_fixedTypes), Gen.Byte.Array[BinaryProtocol.MaxFixedMessageSize], s_rightSequence,
        (type, garbage, right) => new FuzzFrame("garbage body", Frame(SizeOf(type), type, SizeOf(type), garbage), right));

    /// <summary>A Login with a garbage credential (up to the largest frame), its version and kind mostly valid, its credential length mostly consistent.</summary>
    private static readonly Gen<FuzzFrame> s_loginShaped = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, BinaryProtocol.MaxCredentialLength],
        Gen.Byte.Array[BinaryProtocol.MaxFrameSize], Gen.Int[0, 4], s_rightSequence,
        (version, kind, n, garbage, lie, right) =>
        {
            var frame = Frame(16 + n, 0x01, 16 + n, garbage);
            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), version == 0 ? BinaryPrimitives.ReadUInt16LittleEndian(garbage.AsSpan(8)) : BinaryProtocol.Version);
            frame[10] = kind == 0 ? garbage[10] : (byte)(kind % 2 + 1);
            BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(12), (ushort)(lie == 0 ? n + garbage[12] % 7 + 1 : n));
            return new FuzzFrame("login-shaped", frame, right);
        });

    private static readonly Gen<FuzzFrame> s_frame = Gen.Frequency(
        (2, s_random), (1, s_belowHeader), (1, s_oversized), (2, s_truncated), (2, s_undefinedType), (2, s_wrongLength), (4, s_garbageBody),
        (2, s_loginShaped));

    private static readonly Gen<FuzzCase> s_cases = Gen.Select(Gen.Bool, s_frame.Array[1, 3], (after, frames) => new FuzzCase(after, frames));

    [Fact]
    public async Task Every_hostile_frame_gets_the_documented_answer_while_the_engine_and_other_sessions_are_untouched()
    {
        // Login-shaped garbage counts as failed logins of 127.0.0.1: a lockout would turn every later answer into locked_out.
        await using var s = await StartAsync(c => c with { Security = c.Security with { LoginMaxFailures = 1000 } });
        var bystander = await s.LoginAsync(KeyA2);
        bystander.SendNewOrder(1, Btc, Side.Buy, OrderType.Limit, TimeInForce.Gtc, 4_900_000, 10_000);
        await bystander.ExpectAsync(MessageType.OrderAccepted);
        string before = await StateHashAsync(s);
        int instruments = s.Server.Pipeline.Instruments.Count;
        var counts = new Dictionary<string, int>();

        await s_cases.SampleAsync(async fuzz =>
        {
            await RunCaseAsync(s, fuzz, instruments);
            lock (counts)
                foreach (var f in fuzz.Frames) counts[f.Kind] = counts.GetValueOrDefault(f.Kind) + 1;
        }, iter: Cases, threads: 1, print: fuzz => fuzz.ToString());

        output.WriteLine($"{Cases} connections: " + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Value} {c.Key}")));
        Assert.Equal(before, await StateHashAsync(s));
        Assert.False(bystander.Closed.IsCompleted);
        bystander.SendCancel(1);
        await bystander.ExpectAsync(MessageType.Canceled);
        bystander.SendNewOrder(2, Btc, Side.Sell, OrderType.Limit, TimeInForce.Gtc, 5_010_000, 10_000);
        await bystander.ExpectAsync(MessageType.OrderAccepted);
    }

    /// <summary>Plays one case on a connection of its own, frame by frame, checking each answer against the model; ends every connection in order.</summary>
    private static async Task RunCaseAsync(GatewayFixture s, FuzzCase fuzz, int instruments)
    {
        using var connection = await RawConnection.ConnectAsync(s.Port);
        uint first = 1;
        if (fuzz.AfterLogin)
        {
            Assert.Equal(MessageType.LoginAccepted, (await connection.LoginAsync(KeyA1)).Type);
            first = 2;
        }
        var steps = BinaryProtocolModel.Judge(fuzz.Stream(first), fuzz.AfterLogin, first, instruments, out byte[] rest);
        foreach (var step in steps)
        {
            connection.Send(step.Bytes);
            switch (step.Verdict)
            {
                case Verdict.Silent:
                    break;
                case Verdict.Answered:
                    var reply = await connection.NextNotHeartbeatAsync();
                    Assert.True(reply is { } m && m.Type == step.Reply && (step.Reason == 0 || m.Reason == step.Reason),
                        $"expected {step.Reply} (reason {step.Reason}), got {reply?.Type} (reason {reply?.Reason})");
                    break;
                case Verdict.Ended:
                    Assert.Equal((DisconnectReason)step.Reason, await connection.ClosedAsync());
                    return;
                case Verdict.LoginRefused:
                    var refusal = await connection.NextNotHeartbeatAsync();
                    Assert.True(refusal is { Type: MessageType.LoginRejected } r && r.Reason == step.Reason,
                        $"expected LoginRejected({(LoginRejectReason)step.Reason}), got {refusal?.Type} (reason {refusal?.Reason})");
                    Assert.Null(await connection.ClosedAsync());
                    return;
            }
        }
        // Still up: a cut-off frame ends the session when the stream ends; otherwise the client logs out.
        uint next = first + (uint)steps.Count;
        if (rest.Length > 0)
        {
            connection.Send(rest);
            connection.ShutdownSend();
            Assert.Equal(DisconnectReason.TruncatedFrame, await connection.ClosedAsync());
            return;
        }
        Span<byte> logout = stackalloc byte[BinaryProtocol.MaxServerMessageSize];
        int n = BinaryCodec.Write(new BinaryMessage { Type = MessageType.Logout }, next, logout);
        connection.Send(logout[..n]);
        Assert.Equal(DisconnectReason.ClientLogout, await connection.ClosedAsync());
    }

    private static async Task<string> StateHashAsync(GatewayFixture s)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/debug/state-hash"); // an operator's endpoint
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", s.Tokens.Mint("ADMIN", Hft.Auth.Roles.Admin));
        using var response = await s.Http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("hash").GetString()!;
    }
}
