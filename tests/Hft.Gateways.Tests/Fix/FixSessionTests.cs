using Hft.Client;
using Hft.Gateways.Fix;

namespace Hft.Gateways.Tests.Fix;

/// <summary>The session layer over real sockets: logon, heartbeats, sequence rules, rejects, hostile input, restarts.</summary>
public class FixSessionTests
{
    private static readonly TimeSpan s_short = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Logon_and_logout()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.ConnectAsync();
        var reply = c.Logon(FixServerFixture.PasswordA1, heartBtInt: 30);
        Assert.Equal("A", reply.MsgType);
        Assert.Equal("30", reply[FixTags.HeartBtInt]);
        Assert.Equal("HFT", reply[FixTags.SenderCompId]);
        Assert.Equal("CLIENT_A1", reply[FixTags.TargetCompId]);
        c.Logout();
        Assert.Equal("5", c.Expect(m => m.MsgType == "5").MsgType);
    }

    [Fact]
    public async Task Bad_password_gets_a_logout_and_a_disconnect()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.ConnectAsync();
        var reply = c.Logon("wrong");
        Assert.Equal("5", reply.MsgType);
        Assert.Contains("invalid credentials", reply[FixTags.Text]);
        Assert.Null(c.TryExpect(_ => true, s_short));
        Assert.True(c.Closed);
    }

    [Fact]
    public async Task Unknown_comp_ids_are_disconnected_without_a_reply()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.ConnectAsync(sender: "NOBODY");
        Assert.Throws<TimeoutException>(() => c.Logon("x", timeout: s_short));
        Assert.True(c.Closed);
    }

    [Fact]
    public async Task First_message_must_be_a_logon()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.ConnectAsync();
        c.Send("0", FixClient.Body(""));
        Assert.Null(c.TryExpect(_ => true, s_short));
        Assert.True(c.Closed);
    }

    [Fact]
    public async Task Test_request_is_answered_with_its_id()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.Send("1", FixClient.Body("112=PING-7"));
        var hb = c.Expect(m => m.MsgType == "0");
        Assert.Equal("PING-7", hb[FixTags.TestReqId]);
    }

    [Fact]
    public async Task Missing_required_tag_is_rejected_and_the_session_goes_on()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.Send("D", FixClient.Body("11=X1|55=BTCUSD|54=1|60=20260101-00:00:00|40=2|44=100"));  // no OrderQty
        var reject = c.Expect(m => m.MsgType == "3");
        Assert.Equal("1", reject[FixTags.SessionRejectReason]);
        Assert.Equal("38", reject[FixTags.RefTagId]);
        Assert.Equal("2", reject[FixTags.RefSeqNum]);
        c.Send("1", FixClient.Body("112=after"));
        Assert.Equal("after", c.Expect(m => m.MsgType == "0")[FixTags.TestReqId]);
    }

    [Fact]
    public async Task Garbage_and_bad_checksums_are_ignored_without_moving_the_sequence()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.SendRaw("garbage\u0001\u0001 8=FIX no frame here"u8);
        c.SendRaw("8=FIX.4.4\u00019=5\u000135=0\u000110=000\u0001"u8); // wrong body length
        var good = new byte[512];
        int n = FixComposer.Compose(good, "1"u8, "CLIENT_A1"u8, "HFT"u8, c.NextOut, DateTime.UtcNow, false, default, FixClient.Body("112=bad-sum"));
        good[n - 2] = (byte)(good[n - 2] == '9' ? '0' : good[n - 2] + 1);
        c.SendRaw(good.AsSpan(0, n)); // checksum wrong: ignored, seq not consumed
        c.Send("1", FixClient.Body("112=fine"));
        var hb = c.Expect(m => m.MsgType is "0" or "3" or "2" or "5");
        Assert.Equal("0", hb.MsgType);
        Assert.Equal("fine", hb[FixTags.TestReqId]);
    }

    [Fact]
    public async Task Oversized_message_ends_the_connection_with_a_logout()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.SendRaw("8=FIX.4.4\u00019=999999\u000135=D\u0001"u8);
        var logout = c.Expect(m => m.MsgType == "5");
        Assert.Contains("longer than", logout[FixTags.Text]);
    }

    [Fact]
    public async Task Wrong_comp_id_is_rejected_and_logged_out()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        var msg = new byte[512];
        int n = FixComposer.Compose(msg, "0"u8, "CLIENT_A2"u8, "HFT"u8, c.NextOut++, DateTime.UtcNow, false, default, default);
        c.SendRaw(msg.AsSpan(0, n));
        var reject = c.Expect(m => m.MsgType == "3");
        Assert.Equal("9", reject[FixTags.SessionRejectReason]);
        Assert.Equal("5", c.Expect(m => m.MsgType == "5").MsgType);
    }

    [Fact]
    public async Task Sequence_too_high_triggers_a_resend_request_and_gap_fill_recovers()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        long expected = c.NextOut; // 2
        c.SkipSequence(3);
        c.Send("1", FixClient.Body("112=gap"));
        var rr = c.Expect(m => m.MsgType == "2");
        Assert.Equal(expected.ToString(System.Globalization.CultureInfo.InvariantCulture), rr[FixTags.BeginSeqNo]);
        Assert.Equal("0", rr[FixTags.EndSeqNo]);
        // fill the gap up to the message that will be resent, then resend it
        c.Send("4", FixClient.Body($"123=Y|36={expected + 3}"), possDup: true, seq: expected);
        c.Send("1", FixClient.Body("112=gap"), possDup: true, seq: expected + 3);
        Assert.Equal("gap", c.Expect(m => m.MsgType == "0")[FixTags.TestReqId]);
        c.Send("1", FixClient.Body("112=next"));
        Assert.Equal("next", c.Expect(m => m.MsgType == "0")[FixTags.TestReqId]);
    }

    [Fact]
    public async Task Next_expected_msg_seq_num_above_ours_continues_the_session_there_and_below_ours_changes_nothing()
    {
        await using var f = await FixServerFixture.StartAsync();
        // A session that moved here (another node of its group sent our numbers up to 41): it continues at 42.
        await using (var moved = await f.ConnectAsync(nextOut: 17))
        {
            var reply = moved.Logon(FixServerFixture.PasswordA1, nextExpected: 42);
            Assert.Equal(("A", 42L), (reply.MsgType, reply.SeqNum));
            Assert.Equal("1", reply[FixTags.NextExpectedMsgSeqNum]); // we expected 1 from it: it sent 17, so resend from 1
            var rr = moved.Expect(m => m.MsgType == "2");
            Assert.Equal(("1", 43L), (rr[FixTags.BeginSeqNo], rr.SeqNum));
            moved.Send("4", FixClient.Body("123=Y|36=18"), possDup: true, seq: 1); // those were processed elsewhere: gap fill
            moved.Send("1", FixClient.Body("112=after"));
            Assert.Equal(("after", 44L), (moved.Expect(m => m.MsgType == "0")[FixTags.TestReqId], moved.LastIn));
            moved.Logout();
            moved.Expect(m => m.MsgType == "5");
        }
        // Lower than ours (a client that missed messages): our numbers do not move back; it asks for a resend as usual.
        await using (var behind = await f.ConnectAsync(nextOut: 20))
        {
            var reply = behind.Logon(FixServerFixture.PasswordA1, nextExpected: 3);
            Assert.Equal(("A", 46L), (reply.MsgType, reply.SeqNum));
            Assert.Equal("21", reply[FixTags.NextExpectedMsgSeqNum]);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public async Task A_malformed_next_expected_msg_seq_num_refuses_the_logon(string value)
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.ConnectAsync();
        c.Send("A", FixClient.Body($"98=0|108=30|554={FixServerFixture.PasswordA1}|789={value}"));
        var logout = c.Expect(m => m.MsgType == "5");
        Assert.Contains("NextExpectedMsgSeqNum (789)", logout[FixTags.Text]);
    }

    [Fact]
    public async Task Sequence_too_low_without_possdup_logs_out_and_with_possdup_is_ignored()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.Send("1", FixClient.Body("112=one"));
        c.Expect(m => m.MsgType == "0");
        c.Send("1", FixClient.Body("112=dup"), possDup: true, seq: 2); // already processed: ignored
        c.Send("1", FixClient.Body("112=two"));
        Assert.Equal("two", c.Expect(m => m.MsgType == "0")[FixTags.TestReqId]);
        c.Send("1", FixClient.Body("112=low"), seq: 2);
        var logout = c.Expect(m => m.MsgType == "5");
        Assert.Contains("MsgSeqNum too low", logout[FixTags.Text]);
    }

    [Fact]
    public async Task Resend_request_replays_application_messages_with_possdup_and_gap_fills_admin()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.NewOrder("R1", "BTCUSD", '1', "0.5", "100.00");
        var ack = c.Expect(m => m.MsgType == "8");
        long ackSeq = ack.SeqNum;
        c.Send("2", FixClient.Body("7=1|16=0"));
        var gapFill = c.Expect(m => m.MsgType == "4");
        Assert.Equal("1", gapFill[FixTags.MsgSeqNum]);
        Assert.Equal("Y", gapFill[FixTags.GapFillFlag]);
        Assert.Equal(ackSeq.ToString(System.Globalization.CultureInfo.InvariantCulture), gapFill[FixTags.NewSeqNo]);
        var again = c.Expect(m => m.MsgType == "8");
        Assert.Equal(ackSeq, again.SeqNum);
        Assert.Equal("Y", again[FixTags.PossDupFlag]);
        Assert.NotNull(again[FixTags.OrigSendingTime]);
        Assert.Equal("R1", again[FixTags.ClOrdId]);
    }

    [Fact]
    public async Task Unsupported_message_type_gets_a_business_message_reject()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        c.Send("V", FixClient.Body("262=md1|263=1|264=1"));
        var j = c.Expect(m => m.MsgType == "j");
        Assert.Equal("V", j[FixTags.RefMsgType]);
        Assert.Equal("3", j[FixTags.BusinessRejectReason]);
    }

    [Fact]
    public async Task Silent_counterparty_gets_heartbeats_then_a_test_request_then_a_logout()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync(heartBtInt: 1);
        c.AutoHeartbeat = false;
        Assert.Equal("0", c.Expect(m => m.MsgType is "0" or "1" or "5", TimeSpan.FromSeconds(5)).MsgType);
        var test = c.Expect(m => m.MsgType is "1" or "5", TimeSpan.FromSeconds(5));
        Assert.Equal("1", test.MsgType);
        Assert.NotNull(test[FixTags.TestReqId]);
        var logout = c.Expect(m => m.MsgType == "5", TimeSpan.FromSeconds(5));
        Assert.Contains("heartbeat", logout[FixTags.Text]);
    }

    [Fact]
    public async Task A_possdup_order_already_processed_is_not_executed_twice()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using var c = await f.LogonAsync();
        var body = FixClient.Body("11=PD1|55=BTCUSD|54=1|60=20260101-00:00:00|38=0.1|40=2|44=49000.00");
        c.Send("D", body);
        Assert.Equal("0", c.Expect(m => m.MsgType == "8")[FixTags.ExecType]);
        c.Send("D", body, possDup: true);
        var again = c.Expect(m => m.MsgType == "8");
        Assert.Equal(("8", "6"), (again[FixTags.ExecType], again[FixTags.OrdRejReason]));
        Assert.Equal("NONE", again[FixTags.OrderId]);
    }

    [Fact]
    public async Task Gateway_metrics_count_sessions_messages_and_disconnects()
    {
        await using var f = await FixServerFixture.StartAsync();
        await using (var c = await f.LogonAsync())
        {
            c.Send("1", FixClient.Body("112=m"));
            c.Expect(m => m.MsgType == "0");
            using var http = new HttpClient { BaseAddress = new Uri(f.Server.Urls[0]) };
            var text = await http.GetStringAsync("/metrics");
            Assert.Contains("hft_gateway_sessions{protocol=\"fix\"} 1", text, StringComparison.Ordinal);
            Assert.Matches("hft_gateway_messages_total\\{protocol=\"fix\",direction=\"in\"\\} [2-9]", text);
            Assert.Matches("hft_gateway_messages_total\\{protocol=\"fix\",direction=\"out\"\\} [2-9]", text);
            c.Logout();
            c.Expect(m => m.MsgType == "5");
        }
        await using (var bad = await f.ConnectAsync())
            Assert.Equal("5", bad.Logon("nope").MsgType);
        using var http2 = new HttpClient { BaseAddress = new Uri(f.Server.Urls[0]) };
        string after = "";
        for (int i = 0; i < 50 && !after.Contains("reason=\"bad_password\"", StringComparison.Ordinal); i++)
        {
            await Task.Delay(20);
            after = await http2.GetStringAsync("/metrics");
        }
        Assert.Contains("hft_gateway_disconnects_total{protocol=\"fix\",reason=\"logout\"} 1", after, StringComparison.Ordinal);
        Assert.Contains("hft_gateway_disconnects_total{protocol=\"fix\",reason=\"bad_password\"} 1", after, StringComparison.Ordinal);
        Assert.Contains("hft_gateway_sessions{protocol=\"fix\"} 0", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sequence_numbers_survive_a_server_restart()
    {
        await using var f = await FixServerFixture.StartAsync();
        long nextOut;
        long lastIn;
        await using (var c = await f.LogonAsync())
        {
            c.NewOrder("P1", "BTCUSD", '1', "0.1", "100.00");
            c.Expect(m => m.MsgType == "8");
            c.Logout();
            lastIn = c.Expect(m => m.MsgType == "5").SeqNum;
            nextOut = c.NextOut;
        }
        await f.RestartAsync();
        await using (var c = await f.ConnectAsync(nextOut: 1))
        {
            var refused = c.Logon(FixServerFixture.PasswordA1); // seq 1 is too low now
            Assert.Equal("5", refused.MsgType);
            Assert.Contains("MsgSeqNum too low", refused[FixTags.Text]);
        }
        await using (var c = await f.ConnectAsync(nextOut: nextOut))
        {
            var logon = c.Logon(FixServerFixture.PasswordA1);
            Assert.Equal("A", logon.MsgType);
            Assert.True(logon.SeqNum > lastIn, $"server seq {logon.SeqNum} continues after {lastIn}");
        }
    }

    [Fact]
    public async Task Execution_report_sent_before_a_restart_is_resent_with_possdup_after_it()
    {
        await using var f = await FixServerFixture.StartAsync();
        FixReceived ack;
        long nextOut;
        await using (var c = await f.LogonAsync())
        {
            c.NewOrder("P1", "BTCUSD", '1', "0.1", "100.00");
            ack = c.Expect(m => m.MsgType == "8");
            c.Logout();
            c.Expect(m => m.MsgType == "5");
            nextOut = c.NextOut;
        }
        await f.RestartAsync();
        Assert.True(File.Exists(Path.Combine(f.Dir, "fix", "HFT-CLIENT_A1.sent.0")), "the resend store is a file next to the sequence numbers");
        await using (var c = await f.ConnectAsync(nextOut: nextOut))
        {
            Assert.Equal("A", c.Logon(FixServerFixture.PasswordA1).MsgType);
            string seq = ack.SeqNum.ToString(System.Globalization.CultureInfo.InvariantCulture);
            c.Send("2", FixClient.Body($"7={seq}|16={seq}"));
            var again = c.Expect(m => m.MsgType == "8");
            Assert.Equal(ack.SeqNum, again.SeqNum);
            Assert.Equal("Y", again[FixTags.PossDupFlag]);
            Assert.Equal(ack[FixTags.SendingTime], again[FixTags.OrigSendingTime]);
            foreach (var (tag, value) in ack.Fields)
            {
                if (tag is FixTags.SendingTime or FixTags.CheckSum or FixTags.BodyLength) continue;
                Assert.Equal(value, again[tag]);
            }
        }
    }
}
