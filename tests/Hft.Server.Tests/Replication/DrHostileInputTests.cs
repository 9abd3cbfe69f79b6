using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Hft.Journal.Stream;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Replication;

/// <summary>
/// The journal stream carries every order of every account: refused without an operator's credential (none, a wrong
/// one, a trader's), with a bad sequence, beyond max_streams, and for bytes that are not HTTP. The replica side trusts
/// no source either: malformed frames, oversized lengths and records whose CRC does not check are refused and nothing
/// of them is applied.
/// </summary>
public sealed class DrHostileInputTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("hft-dr-hostile-");

    public void Dispose()
    {
        try { _work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Journal_stream_refuses_callers_without_an_operator_credential_and_bad_requests()
    {
        await using var source = await Dr.StartSource(Path.Combine(_work.FullName, "source"), c => c with { Dr = c.Dr with { MaxStreams = 1 } });
        await source.Trade(1, "x");

        using (var anonymous = source.NewClient(null))
            (await anonymous.Get("replication/journal?after=0")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        using (var wrong = source.NewClient("not-the-ops-token"))
            (await wrong.Get("replication/journal?after=0")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        using (var trader = source.NewClient(source.Token("A1")))
            (await trader.Get("replication/journal?after=0")).AssertError(HttpStatusCode.Forbidden, "forbidden");
        using (var basic = source.NewClient(null))
        {
            basic.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "ZHI6ZHI=");
            (await basic.Get("replication/journal?after=0")).AssertError(HttpStatusCode.Unauthorized, "unauthorized");
        }

        using var op = source.NewClient(Dr.OpsToken);
        (await op.Get("replication/journal")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await op.Get("replication/journal?after=-1")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await op.Get("replication/journal?after=1e3")).AssertError(HttpStatusCode.BadRequest, "invalid_request");
        (await op.Get("replication/journal?after=99999999999999999999999")).AssertError(HttpStatusCode.BadRequest, "invalid_request");

        // One stream open (max_streams = 1): it starts at once with the committed records; a second is refused, and admitted once the first closes.
        using (var first = new HttpRequestMessage(HttpMethod.Get, "replication/journal?after=0"))
        using (var open = await op.SendAsync(first, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(HttpStatusCode.OK, open.StatusCode);
            Assert.Equal(JournalStreamFormat.MediaType, open.Content.Headers.ContentType?.MediaType);
            await using var body = await open.Content.ReadAsStreamAsync();
            var header = new byte[JournalStreamFormat.FrameHeaderSize];
            await body.ReadExactlyAsync(header);
            Assert.Null(JournalStreamFormat.TryReadHeader(header, out var kind, out int length, out long sourceSeq, out _));
            Assert.Equal(JournalFrameKind.Records, kind);
            Assert.True(length > 0);
            Assert.Equal(source.Pipeline.Journal.WrittenSequence, sourceSeq);
            (await op.Get("replication/journal?after=0")).AssertError(HttpStatusCode.ServiceUnavailable, "too_many_streams");
        }
        await Dr.Until(() => StreamAdmitted(op), "the slot is free once the first stream closed");

        // Bytes that are not HTTP: Kestrel answers 400 and closes.
        using var raw = new TcpClient();
        await raw.ConnectAsync(IPAddress.Loopback, source.BaseAddress.Port);
        var stream = raw.GetStream();
        await stream.WriteAsync("\x16\x03\x01garbage\r\n\r\n"u8.ToArray());
        var reply = new byte[64];
        int n = await stream.ReadAtLeastAsync(reply, 12, throwOnEndOfStream: false);
        Assert.StartsWith("HTTP/1.1 400", Encoding.ASCII.GetString(reply, 0, n), StringComparison.Ordinal);
    }

    private static bool StreamAdmitted(HttpClient op)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "replication/journal?after=0");
        using var response = op.Send(request, HttpCompletionOption.ResponseHeadersRead);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public static TheoryData<string, byte[]> HostileStreams => new()
    {
        { "malformed stream: unknown frame kind 9", Frame(9, [], 0) },
        { "frame length", Frame((byte)JournalFrameKind.Records, [], 1, claimedLength: int.MaxValue) },
        { "checksum mismatch", Frame((byte)JournalFrameKind.Records, CorruptRecord(), 1) },
        { "nothing received", [] }, // a source that sends headers and then nothing: dropped after stale_seconds
    };

    [Theory]
    [MemberData(nameof(HostileStreams))]
    public async Task Replica_refuses_a_hostile_source_and_applies_nothing_of_it(string expected, byte[] body)
    {
        await using var fake = new FakeSource(body);
        await using var replica = await Dr.StartReplica(Path.Combine(_work.FullName, "replica"), [fake.Url],
            c => c with { Dr = c.Dr with { StaleSeconds = 3 } });
        var follower = replica.Follower();
        await Dr.Until(() => follower.LastError?.Contains(expected, StringComparison.Ordinal) == true, $"refused with \"{expected}\" (last: {follower.LastError})");
        Assert.Equal(0, follower.AppliedSequence);
        Assert.Equal(0, follower.Applier.RecordsApplied);
        Assert.False(replica.Pipeline.OrderEntryEnabled);
    }

    private static byte[] Frame(byte kind, byte[] payload, long sourceSeq, int? claimedLength = null)
    {
        var frame = new byte[JournalStreamFormat.FrameHeaderSize + payload.Length];
        JournalStreamFormat.WriteHeader(frame, (JournalFrameKind)kind, claimedLength ?? payload.Length, sourceSeq, 0);
        payload.CopyTo(frame, JournalStreamFormat.FrameHeaderSize);
        return frame;
    }

    private static byte[] CorruptRecord()
    {
        var record = new byte[Hft.Journal.JournalFormat.RecordHeaderSize + 4];
        Hft.Journal.JournalFormat.WriteRecord(record, 1, 1, Hft.Journal.RecordType.Admin, [1, 2, 3, 4]);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), 0xDEADBEEF);
        return record;
    }

    /// <summary>An HTTP "source" on a loopback port answering every request 200 with the stream media type and the given body, then holding the connection.</summary>
    private sealed class FakeSource : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _serving;

        public FakeSource(byte[] body)
        {
            _listener.Start();
            _serving = Task.Run(() => ServeAsync(body));
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        private async Task ServeAsync(byte[] body)
        {
            var held = new List<TcpClient>();
            try
            {
                while (true)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    held.Add(client);
                    try
                    {
                        var stream = client.GetStream();
                        var request = new byte[4096];
                        _ = await stream.ReadAsync(request, _stop.Token);
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(
                            $"HTTP/1.1 200 OK\r\nContent-Type: {JournalStreamFormat.MediaType}\r\nTransfer-Encoding: chunked\r\n\r\n"), _stop.Token);
                        if (body.Length > 0)
                            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{body.Length:x}\r\n").Concat(body).Concat("\r\n"u8.ToArray()).ToArray(), _stop.Token);
                    }
                    catch (Exception e) when (e is IOException or SocketException)
                    {
                        // the replica dropped this connection (as it should): serve the next one
                    }
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            finally
            {
                foreach (var c in held) c.Dispose();
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
