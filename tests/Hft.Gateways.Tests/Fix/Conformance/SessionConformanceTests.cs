using System.Globalization;
using System.Text;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix.Conformance;

/// <summary>
/// FIX 4.4 session-level conformance: every scenario of <c>fix44-session.txt</c> (written from the FIX 4.4 Volume 2
/// session rules and its session-level test cases) runs against a fresh acceptor (a real node, a real socket, new
/// sequence numbers), its clock manual so SendingTime checks never depend on how fast the machine is.
/// docs/protocol/fix.md ("Conformance") lists the scenarios and the score.
/// </summary>
public class SessionConformanceTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(15); // generous: a busy 2-core machine

    public static string ScriptPath => PathOf("fix44-session.txt");

    public static TheoryData<string> Scenarios() => ScenarioIds(ScriptPath);

    [Fact]
    public void The_script_holds_every_scenario_once() => AssertDistinctIds(ScriptPath, atLeast: 43);

    [Theory]
    [MemberData(nameof(Scenarios))]
    public Task Scenario(string id) => RunScenarioAsync(ScriptPath, id);

    internal static string PathOf(string scriptFile) => Path.Combine(AppContext.BaseDirectory, "Fix", "Conformance", scriptFile);

    internal static TheoryData<string> ScenarioIds(string scriptPath)
    {
        var data = new TheoryData<string>();
        foreach (var s in SessionScript.ParseFile(scriptPath)) data.Add(s.Id);
        return data;
    }

    internal static void AssertDistinctIds(string scriptPath, int atLeast)
    {
        var ids = SessionScript.ParseFile(scriptPath).Select(s => s.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(ids.Count >= atLeast, $"{ids.Count} scenarios");
    }

    /// <summary>One scenario of a script file against a fresh acceptor whose clock is manual.</summary>
    internal static async Task RunScenarioAsync(string scriptPath, string id)
    {
        var script = SessionScript.ParseFile(scriptPath).Single(s => s.Id == id);
        var clock = new ManualTimerClock();
        await using var f = await FixServerFixture.StartAsync(gatewayClock: clock);
        await RunAsync(script, f.Port, () => clock.GetUtcNow().UtcDateTime);
    }

    [Fact]
    public async Task The_sending_time_tolerance_is_the_configured_one()
    {
        var script = SessionScript.Parse("""
            ## tolerance-10s With fix_sending_time_tolerance_seconds = 10
            logon
            send 35=1|34=2|{ids}|52={now-10}|112=WITHIN
            expect 35=0|34=2|112=WITHIN
            send 35=1|34=3|{ids}|52={now+11}|112=BEYOND
            expect 35=3|34=3|45=3|371=52|372=1|373=10
            expect 35=5|34=4
            disconnect
            """.Split('\n'), "inline").Single();
        var clock = new ManualTimerClock();
        await using var f = await FixServerFixture.StartAsync(c => c with { Gateway = c.Gateway with { FixSendingTimeToleranceSeconds = 10 } },
            gatewayClock: clock);
        await RunAsync(script, f.Port, () => clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Runs the steps in order; the first that does not hold fails the scenario with the conversation so far.</summary>
    internal static async Task RunAsync(SessionScript script, int port, Func<DateTime> now)
    {
        var values = new ScriptValues("CLIENT_A1", "HFT", FixServerFixture.PasswordA1, now);
        var connections = new Dictionary<int, ScriptConnection>();
        try
        {
            foreach (var step in script.Steps)
            {
                if (!connections.TryGetValue(step.Connection, out var c))
                    connections[step.Connection] = c = await Task.Run(() => ScriptConnection.Connect(port));
                string? failure = await Task.Run(() => Run(step, c, values));
                if (failure is not null)
                {
                    var text = new StringBuilder($"{script.Id} ({script.Title}) fails at {step}:\n  {failure}\n");
                    foreach (var (n, conn) in connections) text.Append("connection ").Append(n).AppendLine(":").Append(conn.Transcript);
                    Assert.Fail(text.ToString());
                }
            }
        }
        finally
        {
            foreach (var c in connections.Values) c.Dispose();
        }
    }

    private static string? Run(ScriptStep step, ScriptConnection c, ScriptValues values)
    {
        switch (step.Verb)
        {
            case "connect":
                return null;
            case "logon":
            {
                var extra = values.Expand(step.Args);
                var hb = extra.Contains("108=", StringComparison.Ordinal) ? "" : "108=30|";
                c.Send(Frame(values.Expand($"35=A|34=1|{{ids}}|52={{now}}|98=0|{hb}{{pw}}|") + extra));
                return Expect(c, "35=A|34=1|98=0");
            }
            case "send":
                c.Send(Frame(values.Expand(step.Args)));
                return null;
            case "raw":
                c.Send(Raw(values.Expand(step.Args)));
                return null;
            case "expect":
                return Expect(c, values.Expand(step.Args));
            case "disconnect":
            {
                var m = c.Next(s_wait, out bool timedOut);
                if (m is not null) return "expected the acceptor to disconnect, got " + m;
                return timedOut ? $"still connected after {s_wait.TotalSeconds} s" : null;
            }
            default:
                return "unknown step";
        }
    }

    /// <summary>
    /// The next message must carry every listed field: <c>tag=value</c> exactly, <c>tag=*</c> present, <c>tag~text</c>
    /// containing text, <c>!tag</c> absent. A Heartbeat without TestReqID is skipped unless a Heartbeat is expected, and
    /// so is a TestRequest unless one is expected: the acceptor may rightly probe a client that was quiet for a
    /// heartbeat interval, which a busy machine can make happen in scenarios with 108=1.
    /// </summary>
    private static string? Expect(ScriptConnection c, string spec)
    {
        var checks = spec.Split('|', StringSplitOptions.RemoveEmptyEntries);
        bool heartbeatExpected = checks.Contains("35=0");
        bool testRequestExpected = checks.Contains("35=1");
        while (true)
        {
            var m = c.Next(s_wait, out bool timedOut);
            if (m is null) return timedOut ? $"nothing within {s_wait.TotalSeconds} s, expected {spec}" : $"disconnected, expected {spec}";
            if (!heartbeatExpected && m[FixTags.MsgType] == "0" && m[FixTags.TestReqId] is null) continue;
            if (!testRequestExpected && m[FixTags.MsgType] == "1") continue;
            foreach (var check in checks)
            {
                if (check.StartsWith('!'))
                {
                    if (m[Tag(check[1..])] is { } v) return $"{check[1..]}={v} should be absent in {m}";
                    continue;
                }
                int contains = check.IndexOf('~', StringComparison.Ordinal);
                int eq = check.IndexOf('=', StringComparison.Ordinal);
                if (contains > 0 && (eq < 0 || contains < eq))
                {
                    var text = check[(contains + 1)..];
                    if (m[Tag(check[..contains])] is not { } v || !v.Contains(text, StringComparison.OrdinalIgnoreCase))
                        return $"{check[..contains]} should contain '{text}' in {m}";
                    continue;
                }
                var tag = Tag(check[..eq]);
                var want = check[(eq + 1)..];
                var got = m[tag];
                if (got is null || (want != "*" && got != want)) return $"expected {check}, got {tag}={got ?? "(absent)"} in {m}";
            }
            return null;
        }
    }

    private static int Tag(string text) => int.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary><c>8=FIX.4.4|9=BodyLength|</c>, the fields as written, <c>10=CheckSum|</c>.</summary>
    private static byte[] Frame(string fields) => FixFrames.Frame(fields.EndsWith('|') ? fields : fields + "|");

    /// <summary>
    /// The bytes as written ('|' for SOH): <c>9={len}</c> becomes the length from after it up to <c>10=</c>,
    /// <c>10={sum}</c> the CheckSum of the bytes from the first <c>8=</c> field up to it, <c>10={badsum}</c> a wrong one.
    /// </summary>
    private static byte[] Raw(string text)
    {
        int lenAt = text.IndexOf("9={len}|", StringComparison.Ordinal);
        int trailer = text.IndexOf("|10={", StringComparison.Ordinal) + 1;
        if (lenAt >= 0)
        {
            int from = lenAt + "9={len}|".Length;
            var length = (trailer - from).ToString(CultureInfo.InvariantCulture);
            text = text[..lenAt] + "9=" + length + "|" + text[from..];
            trailer = text.IndexOf("|10={", StringComparison.Ordinal) + 1;
        }
        if (trailer <= 0) return FixFrames.Ascii(text);
        int start = text.StartsWith("8=", StringComparison.Ordinal) ? 0 : text.IndexOf("|8=", StringComparison.Ordinal) + 1;
        int sum = FixFramer.Checksum(FixFrames.Ascii(text[start..trailer]));
        int close = text.IndexOf('}', trailer);
        if (text[(trailer + 4)..close] == "badsum") sum = (sum + 1) % 256;
        return FixFrames.Ascii(text[..trailer] + "10=" + sum.ToString("D3", CultureInfo.InvariantCulture) + text[(close + 1)..]);
    }
}
