using System.Net;
using System.Security.Cryptography;
using Hft.Auth.Audit;
using Hft.Auth.Guards;
using Hft.Configuration;
using Hft.Pipeline;

namespace Hft.Gateways.Fix;

/// <summary>
/// Whether a Logon opens its session, checked in this order: the CompID pair is configured (else the connection is
/// closed without a reply), neither the account nor the address is locked out, the password matches, the account
/// is enabled, no other connection is logged on to the session, then the session terms (HeartBtInt, EncryptMethod,
/// MsgSeqNum and SendingTime (within <c>fix_sending_time_tolerance_seconds</c> of the acceptor's clock), ResetSeqNumFlag, NextExpectedMsgSeqNum). Failed credentials (unknown CompIDs, wrong
/// password, disabled account) go through the node's <see cref="LoginThrottle"/>: audited as <c>fix.login_failed</c>
/// and counted towards lockouts on every gateway. Other refusals are audited as <c>fix.logon_refused</c>, logons as
/// <c>fix.logon</c>. Only a Logon that proved its password may move the session's numbers with its refusal.
/// </summary>
internal sealed class FixLogonPolicy(FixAcceptor acceptor, GatewayConfig config, TradingPipeline pipeline, LoginThrottle logins, AuditLog audit)
{
    public const string Channel = "fix";

    /// <summary>True with the session and its terms, or false with the refusal (its session too when the CompIDs name one).</summary>
    public bool TryAccept(FixMessage m, IPAddress remote, out FixSession? session, out LogonTerms terms, out LogonRefusal refusal)
    {
        terms = default;
        var sender = m.GetString(FixTags.SenderCompId) ?? "";
        var target = m.GetString(FixTags.TargetCompId) ?? "";
        if (!acceptor.TryFindSession(sender, target, out var found))
        {
            session = null;
            if (logins.MayTry(Channel, null, remote, out _)) logins.Failed(Channel, null, remote, $"unknown CompIDs {sender} -> {target}");
            refusal = new LogonRefusal("unknown_session", null, TakeNumber: false);
            return false;
        }
        session = found;
        string account = found.Config.Account;
        if (!logins.MayTry(Channel, account, remote, out var retryAfter)) // audited there
        {
            refusal = new LogonRefusal("locked_out",
                $"locked out after repeated failed logons; retry in {Math.Ceiling(retryAfter.TotalSeconds)} s", TakeNumber: false);
            return false;
        }
        if (!m.TryGet(FixTags.Password, out var password) || !PasswordMatches(password, found.Config.PasswordSha256))
        {
            refusal = Failed(found, remote, "bad_password", "invalid credentials", takeNumber: false);
            return false;
        }
        if (!pipeline.RiskBook.Account(found.AccountId).Enabled)
        {
            refusal = Failed(found, remote, "account_disabled", "account disabled", takeNumber: true);
            return false;
        }
        if (found.Connection is not null)
        {
            refusal = Busy(found, remote);
            return false;
        }
        if (TermsProblem(m, found, out terms) is { } problem)
        {
            refusal = Refused(found, remote, problem.Reason, problem.Text, takeNumber: true);
            return false;
        }
        refusal = null!;
        return true;
    }

    /// <summary>Another connection is logged on to the session: refused without touching it.</summary>
    public LogonRefusal Busy(FixSession session, IPAddress remote)
        => Refused(session, remote, "duplicate_logon", "session already logged on from another connection", takeNumber: false);

    /// <summary>The Logon opened its session: the account's failures start over; audited.</summary>
    public void LoggedOn(FixSession session, IPAddress remote)
    {
        logins.Succeeded(session.Config.Account);
        audit.Write(session.Config.Account, Channel + ".logon", session.Config.SenderCompId, "ok", remote.ToString());
    }

    private LogonRefusal Failed(FixSession session, IPAddress remote, string reason, string text, bool takeNumber)
    {
        logins.Failed(Channel, session.Config.Account, remote, text);
        return new LogonRefusal(reason, text, takeNumber);
    }

    private LogonRefusal Refused(FixSession session, IPAddress remote, string reason, string text, bool takeNumber)
    {
        audit.Write(session.Config.Account, Channel + ".logon_refused", session.Config.SenderCompId, "refused", remote.ToString(), text);
        return new LogonRefusal(reason, text, takeNumber);
    }

    private (string Reason, string Text)? TermsProblem(FixMessage m, FixSession session, out LogonTerms terms)
    {
        terms = default;
        if (!m.TryGetLong(FixTags.HeartBtInt, out long hb) || hb < config.FixHeartbeatMinSeconds || hb > config.FixHeartbeatMaxSeconds)
            return ("logon_refused", $"HeartBtInt (108) must be {config.FixHeartbeatMinSeconds}..{config.FixHeartbeatMaxSeconds} seconds");
        if (!m.ValueEquals(FixTags.EncryptMethod, "0")) return ("logon_refused", "EncryptMethod (98) must be 0");
        if (m.SeqNum <= 0 || !m.Has(FixTags.SendingTime)) return ("logon_refused", "MsgSeqNum (34) and SendingTime (52) are required");
        if (!FixDictionary.TryParseUtcTimestamp(m.Get(FixTags.SendingTime), out long sent)
            || Math.Abs(sent - acceptor.Clock.GetUtcNow().UtcTicks) > config.FixSendingTimeToleranceSeconds * TimeSpan.TicksPerSecond)
            return ("sending_time", $"SendingTime accuracy problem: SendingTime (52) more than {config.FixSendingTimeToleranceSeconds} s from our clock");
        bool reset = m.IsYes(FixTags.ResetSeqNumFlag);
        if (reset && m.SeqNum != 1) return ("logon_refused", "ResetSeqNumFlag=Y needs MsgSeqNum 1");
        long expected = session.Seq.NextIn;
        if (!reset && m.SeqNum < expected) return ("seq_too_low", $"MsgSeqNum too low, expecting {expected} but received {m.SeqNum}");
        long nextExpected = 0;
        if (!reset && m.Has(FixTags.NextExpectedMsgSeqNum)
            && (!m.TryGetLong(FixTags.NextExpectedMsgSeqNum, out nextExpected) || nextExpected <= 0 || nextExpected > int.MaxValue))
            return ("logon_refused", "NextExpectedMsgSeqNum (789) must be a positive sequence number");
        terms = new LogonTerms((int)hb, reset, nextExpected);
        return null;
    }

    private static bool PasswordMatches(ReadOnlySpan<byte> password, string expectedHex)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(password, hash);
        Span<byte> expected = stackalloc byte[32];
        if (expectedHex.Length != 64 || Convert.FromHexString(expectedHex, expected, out _, out int written) != System.Buffers.OperationStatus.Done
            || written != 32)
            return false;
        return CryptographicOperations.FixedTimeEquals(hash, expected);
    }
}
