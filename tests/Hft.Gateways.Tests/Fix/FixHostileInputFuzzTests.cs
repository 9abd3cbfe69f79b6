using System.Diagnostics;
using System.Text.Json;
using CsCheck;
using Hft.Client;
using Hft.Configuration;
using Hft.Gateways.Fix;
using Xunit.Abstractions;

namespace Hft.Gateways.Tests.Fix;

/// <summary>
/// Generated hostile input against a real acceptor, instead of a Logon and on a logged-on session: each input gets
/// its documented reaction (<see cref="Reaction"/>), the server stays up, another session keeps trading throughout,
/// and the engine's state is what it was.
/// </summary>
public class FixHostileInputFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 150;
    private static readonly TimeSpan s_budget = TimeSpan.FromMinutes(3); // then the remaining iterations are skipped
    private static readonly TimeSpan s_reply = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Every_hostile_input_gets_its_documented_reaction_and_nothing_else_changes()
    {
        await using var f = await FixServerFixture.StartAsync(AddPreLogonSession);
        await using var other = await f.LogonAsync("CLIENT_A2");
        var run = new FuzzRun(f, other);
        run.OtherSessionTrades(); // its first order creates the account's position: later place-and-cancel rounds leave the state as it was
        string stateBefore = await StateHashAsync(f);
        try
        {
            var clock = Stopwatch.StartNew();
            FixFuzzCases.Inputs.Sample((afterLogon, fuzz) =>
            {
                if (clock.Elapsed > s_budget) return;
                if (afterLogon) run.AfterLogon(fuzz);
                else run.BeforeLogon(fuzz);
                if (++run.Count % 10 == 0) run.OtherSessionTrades();
            }, iter: Iterations, threads: 1, print: input => $"{(input.Item1 ? "after" : "before")} Logon: {input.Item2}");
            output.WriteLine($"{run.Count} inputs checked in {clock.Elapsed.TotalSeconds:F0} s: {run.Summary()}");
            Assert.True(run.Count >= 30, $"only {run.Count} inputs within the time budget");
        }
        finally
        {
            await run.DisposeAsync();
        }
        run.OtherSessionTrades();
        Assert.Equal(stateBefore, await StateHashAsync(f));
    }

    private static HftConfig AddPreLogonSession(HftConfig c) => c with
    {
        Gateway = c.Gateway with
        {
            FixSessions =
            [
                .. c.Gateway.FixSessions,
                new FixSessionConfig
                {
                    SenderCompId = FixFuzzCases.PreLogonSender, TargetCompId = "HFT", Account = "A1",
                    PasswordSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("pre-logon-secret"u8)),
                },
            ],
        },
        // Inputs that wait for bytes that never come are closed by the login timeout; wrong passwords must not lock out.
        Security = c.Security with { LoginTimeoutSeconds = 2, LoginMaxFailures = 1000 },
    };

    private static async Task<string> StateHashAsync(FixServerFixture f)
    {
        using var http = new HttpClient { BaseAddress = new Uri(f.Server.Urls[0]), Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/debug/state-hash"); // an operator's endpoint
        var tokens = new Hft.Auth.TokenService(f.Server.Config.Auth, Hft.Auth.SigningKeys.From(f.Server.Config.Auth));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.Mint("ADMIN", Hft.Auth.Roles.Admin));
        using var response = await http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("hash").GetString()!;
    }

    /// <summary>The fuzzed session (CLIENT_A1, logged on again whenever an input ends it) and the session that keeps trading.</summary>
    private sealed class FuzzRun(FixServerFixture f, FixClient other) : IAsyncDisposable
    {
        private readonly Dictionary<string, int> _kinds = new();
        private FixClient? _session;
        private int _probes;
        private int _orders;

        public int Count { get; set; }

        public string Summary() => string.Join(", ", _kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));

        public void BeforeLogon(FuzzCase fuzz)
        {
            Note("before Logon: " + fuzz.Kind);
            var expected = fuzz.BeforeLogon!;
            using var raw = RawFixSocket.Connect(f.Port);
            raw.Send(fuzz.Bytes(FixFuzzCases.PreLogonSender, 1));
            Assert.True(raw.WaitClosed(Bounded.Generous), $"{fuzz}: the connection was not closed");
            if (expected.Reaction == Reaction.Disconnect)
            {
                Assert.True(raw.ReceivedText == "", $"{fuzz}: closed without a reply, but got {raw.ReceivedText}");
                return;
            }
            Assert.Equal(Reaction.LogoutAndClose, expected.Reaction);
            Assert.True(raw.ReceivedText.StartsWith("8=FIX.4.4|", StringComparison.Ordinal) && raw.ReceivedText.Contains("|35=5|", StringComparison.Ordinal)
                && raw.ReceivedText.Contains(expected.Text, StringComparison.Ordinal), $"{fuzz}: expected a Logout about '{expected.Text}', got {raw.ReceivedText}");
        }

        public void AfterLogon(FuzzCase fuzz)
        {
            Note("after Logon: " + fuzz.Kind);
            var expected = fuzz.AfterLogon!;
            var c = Session();
            long seq = c.NextOut;
            c.SendRaw(fuzz.Bytes("CLIENT_A1", seq));
            switch (expected.Reaction)
            {
                case Reaction.Ignored:
                    Probe(c, fuzz);
                    break;
                case Reaction.Reject:
                    c.NextOut = seq + 1;
                    var reject = NextFrom(c, fuzz);
                    Assert.True(reject.MsgType == "3" && reject[FixTags.SessionRejectReason] == expected.Code.ToString(System.Globalization.CultureInfo.InvariantCulture)
                        && reject[FixTags.RefSeqNum] == seq.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"{fuzz}: expected Reject 373={expected.Code} 45={seq}, got {reject}");
                    Probe(c, fuzz);
                    break;
                case Reaction.OrderReject:
                    c.NextOut = seq + 1;
                    var report = NextFrom(c, fuzz);
                    Assert.True(report.MsgType == "8" && report[FixTags.ExecType] == "8"
                        && report[FixTags.OrdRejReason] == expected.Code.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"{fuzz}: expected ExecutionReport 150=8 103={expected.Code}, got {report}");
                    Probe(c, fuzz);
                    break;
                case Reaction.LogoutAndClose:
                    var logout = NextFrom(c, fuzz);
                    Assert.True(logout.MsgType == "5" && (logout[FixTags.Text] ?? "").Contains(expected.Text, StringComparison.Ordinal),
                        $"{fuzz}: expected a Logout about '{expected.Text}', got {logout}");
                    WaitClosed(c, fuzz);
                    _session = null;
                    c.DisposeAsync().AsTask().GetAwaiter().GetResult();
                    break;
                default:
                    Assert.Fail($"{fuzz}: no reaction {expected.Reaction} after Logon");
                    break;
            }
        }

        /// <summary>The other session places an order and cancels it: it is served throughout, and the book ends as it began.</summary>
        public void OtherSessionTrades()
        {
            string id = "OT-" + ++_orders;
            other.NewOrder(id, "BTCUSD", '1', "0.1", "49000.00");
            Assert.Equal("0", other.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == id, s_reply)[FixTags.ExecType]);
            other.Cancel(id + "-X", id, "BTCUSD", '1');
            Assert.Equal("4", other.Expect(m => m.MsgType == "8" && m[FixTags.ClOrdId] == id + "-X", s_reply)[FixTags.ExecType]);
        }

        private void Note(string kind) => _kinds[kind] = _kinds.GetValueOrDefault(kind) + 1;

        /// <summary>A TestRequest on the next number is answered: the input before it did not move the expected number.</summary>
        private void Probe(FixClient c, FuzzCase fuzz)
        {
            string id = "probe-" + ++_probes;
            c.Send("1", FixClient.Body("112=" + id));
            var answer = NextFrom(c, fuzz);
            Assert.True(answer.MsgType == "0" && answer[FixTags.TestReqId] == id, $"{fuzz}: expected Heartbeat 112={id}, got {answer}");
        }

        /// <summary>The next message other than our own heartbeats' echoes (a Heartbeat without 112, a TestRequest).</summary>
        private static FixReceived NextFrom(FixClient c, FuzzCase fuzz)
            => c.TryExpect(m => m.MsgType != "1" && !(m.MsgType == "0" && m[FixTags.TestReqId] is null), s_reply)
               ?? throw new Xunit.Sdk.XunitException($"{fuzz}: no reply{(c.Closed ? " (connection closed)" : "")}");

        private static void WaitClosed(FixClient c, FuzzCase fuzz)
        {
            var clock = Stopwatch.StartNew();
            while (!c.Closed)
            {
                Assert.True(clock.Elapsed < Bounded.Generous, $"{fuzz}: the connection was not closed after the Logout");
                Thread.Sleep(20);
            }
        }

        /// <summary>The fuzzed session, logged on (with new sequence numbers) when the last input ended it.</summary>
        private FixClient Session()
        {
            if (_session is not null) return _session;
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var c = FixClient.ConnectAsync("127.0.0.1", f.Port, "CLIENT_A1").GetAwaiter().GetResult();
                var reply = c.Logon(FixServerFixture.PasswordA1, reset: true, timeout: s_reply);
                if (reply.MsgType == "A") return _session = c;
                c.DisposeAsync().AsTask().GetAwaiter().GetResult();
                // The acceptor may not have seen the previous connection close yet.
                Assert.True(clock.Elapsed < Bounded.Generous && (reply[FixTags.Text] ?? "").Contains("already logged on", StringComparison.Ordinal),
                    $"logon refused: {reply}");
                Thread.Sleep(50);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_session is not null) await _session.DisposeAsync();
        }
    }
}
