using System.Diagnostics;
using System.Net.Sockets;
using Hft.Auth.Guards;
using Hft.Configuration;
using Hft.Pipeline;
using Microsoft.Extensions.Logging;

namespace Hft.Gateways.Fix;

/// <summary>
/// One logged-on TCP connection (plain or TLS, see <see cref="FixWire"/>; its Logon was read and accepted by <see cref="FixLogonReader"/>) and the FIX session
/// layer on it: frames and checks every message (BodyLength, CheckSum, header, CompIDs, MsgSeqNum), handles Heartbeat, TestRequest, ResendRequest, SequenceReset,
/// Reject and Logout, and passes application messages to <see cref="FixOrderEntry"/>. Garbled messages are ignored
/// (the expected sequence number does not move); malformed ones get a Reject (3); protocol violations that make the
/// stream untrustworthy end with a Logout and a disconnect. Nothing a client sends can throw out of the loop.
/// </summary>
public sealed class FixConnection
{
    private readonly FixWire _wire;
    private readonly ConnectionGate.Ticket _ticket;
    private readonly FixAcceptor _acceptor;
    private readonly GatewayConfig _config;
    private readonly ILogger _log;
    private readonly FixMessage _message = new();
    private readonly FixFieldWriter _fields = new();
    private readonly FixOrderEntry _orders;
    private readonly FixValidator _validator;
    private FixSession? _session;
    private bool _loggedOn;
    private int _heartBtInt = 30;
    private long _lastReceived = Stopwatch.GetTimestamp();
    private long _lastSent = Stopwatch.GetTimestamp();
    private long _testRequestSent;
    private long _resendRequestedUpTo;
    private int _closed;
    private long _rateWindowStart = Stopwatch.GetTimestamp();
    private int _rateCount;
    private bool _logoutSent;
    private readonly object _writeGate = new();

    /// <summary>The orders submitted while handling one read (run together once the read is handled).</summary>
    internal SubmitBatch Batch;

    // The connection whose reader runs on this thread, while it handles a read: sessions given events then are noted
    // in its _touched and their reports sent by it right after, instead of waking their writer threads.
    [ThreadStatic]
    private static FixConnection? t_reader;

    private readonly TouchedSessions _touched = new();

    /// <summary>The FIX reader running orders to completion on the calling thread, if any.</summary>
    internal static FixConnection? CurrentReader => t_reader;

    /// <summary>Notes a session whose events this reader produced: it sends their reports after the read.</summary>
    internal void Touch(FixSession session) => _touched.Add(session);

    internal FixConnection(FixWire wire, ConnectionGate.Ticket ticket, FixAcceptor acceptor, GatewayConfig config, ILogger log)
    {
        _wire = wire;
        _ticket = ticket;
        _acceptor = acceptor;
        _config = config;
        _log = log;
        _orders = new FixOrderEntry(this);
        _validator = new FixValidator(config.FixAllowedCustomTags);
        Remote = wire.Socket.RemoteEndPoint?.ToString() ?? "?";
    }

    public string Remote { get; }

    internal FixSession? Session => _session;

    internal FixFieldWriter Fields => _fields;

    internal bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>
    /// Reads and handles this connection's messages on a thread of its own until it closes; the task ends with it.
    /// <paramref name="pending"/>: what arrived after the Logon, handled first.
    /// </summary>
    public Task Start(ReadOnlySpan<byte> pending, CancellationToken stop)
    {
        var buffer = new byte[_config.FixMaxMessageBytes + 1024];
        pending.CopyTo(buffer);
        int filled = pending.Length;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reader = new Thread(() =>
        {
            Run(buffer, filled, stop);
            done.TrySetResult();
        }) { IsBackground = true, Name = "hft-fix-read" };
        reader.Start();
        return done.Task;
    }

    private void Run(byte[] buffer, int filled, CancellationToken stop)
    {
        string reason = "peer_closed";
        using var stopping = stop.Register(() => Close("shutdown")); // unblocks the receive
        try
        {
            if (filled > 0) OnRead(buffer, ref filled);
            while (!stop.IsCancellationRequested && Volatile.Read(ref _closed) == 0)
            {
                int n = _wire.Receive(buffer.AsSpan(filled));
                if (n == 0) break;
                filled += n;
                OnRead(buffer, ref filled);
            }
            if (Volatile.Read(ref _closed) != 0) return;
            if (stop.IsCancellationRequested) reason = "shutdown";
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            reason = stop.IsCancellationRequested ? "shutdown" : "socket_error";
        }
        catch (ObjectDisposedException)
        {
            reason = "closed";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug must end this connection, never the acceptor.
            _log.LogError(e, "fix {Remote}: session error", Remote);
            reason = "internal_error";
        }
        Close(reason);
    }

    /// <summary>
    /// Handles the whole messages of one read, then runs the orders they submitted to completion on this thread and
    /// sends the reports that became releasable: this session's, and those of any other session whose orders were
    /// touched (a maker filled, or another reader's orders taken along).
    /// </summary>
    private void OnRead(byte[] buffer, ref int filled)
    {
        t_reader = this;
        try
        {
            int offset = 0;
            while (offset < filled && Volatile.Read(ref _closed) == 0)
            {
                var status = FixFramer.TryFrame(buffer.AsSpan(offset, filled - offset), _config.FixMaxMessageBytes, out int consumed);
                if (status == FrameStatus.NeedMore) break;
                if (status == FrameStatus.Complete) OnFrame(buffer, offset, consumed);
                else if (status == FrameStatus.Garbled) _log.LogDebug("fix {Remote}: garbled bytes ignored ({Bytes})", Remote, consumed);
                else if (status == FrameStatus.WrongBeginString) Terminate("begin_string", "BeginString must be FIX.4.4");
                else Terminate("oversized", $"message longer than {_config.FixMaxMessageBytes} bytes");
                offset += consumed;
            }
            if (offset > 0)
            {
                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
            if (_session is { } s)
            {
                s.Pipeline.Run(ref Batch);
                s.Seq.Save();
                _touched.Add(s);
            }
        }
        finally
        {
            t_reader = null;
        }
        _touched.SendReleased();
    }

    // ---- inbound ----

    /// <summary>
    /// The session checks of one framed message, in the order FIX 4.4 Volume 2 gives them: structure (first three
    /// fields out of order: garbled, ignored), malformed fields (Reject, the number consumed), required header fields,
    /// CompIDs and SendingTime (Reject, then Logout), a Logon resetting the session, SequenceReset-Reset, MsgSeqNum
    /// (too high: ResendRequest; too low: PossDup checks or Logout), then the validation against the data dictionary
    /// (<see cref="FixValidator"/>: Reject or Business Message Reject), then the message itself.
    /// </summary>
    private void OnFrame(byte[] buffer, int offset, int length)
    {
        _lastReceived = Stopwatch.GetTimestamp();
        _testRequestSent = 0;
        _acceptor.Metrics.In.Inc();
        var m = _message;
        bool parsed = m.TryParse(buffer, offset, length, out var parseReason, out int badTag);
        var session = _session!;
        if (!parsed)
        {
            if (m.Garbled)
            {
                _log.LogDebug("fix {Session}: garbled message ignored (BeginString, BodyLength, MsgType not first)", session.Config.SenderCompId);
                return;
            }
            if (m.SeqNum == session.Seq.NextIn) session.Seq.NextIn++;
            SendReject(m.SeqNum, badTag, parseReason, FixDictionary.Text(parseReason));
            return;
        }
        if (_config.FixMessagesPerSecond > 0 && !WithinRate())
        {
            Terminate("rate_limited", $"more than {_config.FixMessagesPerSecond} messages per second");
            return;
        }
        bool resetMode = m.MsgType == FixMsgTypes.SequenceReset && !m.IsYes(FixTags.GapFillFlag); // its MsgSeqNum is ignored
        if (m.SeqNum <= 0 && !(resetMode && m.Has(FixTags.MsgSeqNum)))
        {
            Terminate("seq_missing", "MsgSeqNum (34) missing or invalid");
            return;
        }
        int missing = !m.Has(FixTags.SenderCompId) ? FixTags.SenderCompId
            : !m.Has(FixTags.TargetCompId) ? FixTags.TargetCompId
            : !m.Has(FixTags.SendingTime) ? FixTags.SendingTime : 0;
        if (missing != 0)
        {
            if (m.SeqNum == session.Seq.NextIn) session.Seq.NextIn++;
            SendReject(m.SeqNum, missing, SessionRejectReason.RequiredTagMissing, FixDictionary.Text(SessionRejectReason.RequiredTagMissing));
            return;
        }
        if (!m.ValueEquals(FixTags.SenderCompId, session.Config.SenderCompId) || !m.ValueEquals(FixTags.TargetCompId, session.Config.TargetCompId))
        {
            SendReject(m.SeqNum, m.ValueEquals(FixTags.SenderCompId, session.Config.SenderCompId) ? FixTags.TargetCompId : FixTags.SenderCompId,
                SessionRejectReason.CompIdProblem, FixDictionary.Text(SessionRejectReason.CompIdProblem));
            Terminate("comp_id", "CompID problem");
            return;
        }
        if (!SendingTimeAccurate(m, out long sendingTicks))
        {
            SendReject(m.SeqNum, FixTags.SendingTime, SessionRejectReason.SendingTimeAccuracyProblem,
                FixDictionary.Text(SessionRejectReason.SendingTimeAccuracyProblem));
            Terminate("sending_time", $"SendingTime (52) more than {_config.FixSendingTimeToleranceSeconds} s from our clock");
            return;
        }
        if (m.MsgType == FixMsgTypes.Logon && m.IsYes(FixTags.ResetSeqNumFlag) && m.SeqNum == 1)
        {
            OnResetLogon(m, session);
            return;
        }
        if (resetMode)
        {
            OnSequenceResetReset(m);
            return;
        }
        long expected = session.Seq.NextIn;
        if (m.SeqNum > expected)
        {
            if (m.MsgType == FixMsgTypes.ResendRequest) OnResendRequest(m);
            if (m.MsgType == FixMsgTypes.Logout)
            {
                Terminate("logout", null);
                return;
            }
            if (_resendRequestedUpTo < expected)
            {
                _fields.Clear();
                _fields.Add(FixTags.BeginSeqNo, expected).Add(FixTags.EndSeqNo, 0);
                session.Send(FixMsgTypes.ResendRequest, _fields.Written, app: false);
                _resendRequestedUpTo = m.SeqNum;
            }
            return; // the gap is refilled from `expected` on: this message comes again
        }
        if (m.SeqNum < expected)
        {
            if (m.IsYes(FixTags.PossDupFlag))
            {
                CheckOrigSendingTime(m, sendingTicks);
                return; // a duplicate of what we already processed
            }
            Terminate("seq_too_low", $"MsgSeqNum too low, expecting {expected} but received {m.SeqNum}");
            return;
        }
        session.Seq.NextIn = expected + 1;
        if (m.IsYes(FixTags.PossDupFlag) && !CheckOrigSendingTime(m, sendingTicks)) return;
        if (_resendRequestedUpTo != 0 && expected >= _resendRequestedUpTo) _resendRequestedUpTo = 0;
        var check = _validator.Validate(m);
        switch (check.Verdict)
        {
            case FixVerdict.SessionReject:
                SendReject(m.SeqNum, check.RefTag, check.SessionReason, check.Text!);
                return;
            case FixVerdict.BusinessReject:
                SendBusinessReject(m, check.BusinessReason, check.Text!);
                return;
        }
        Dispatch(m, session);
    }

    /// <summary>SendingTime (52) well formed and within <c>fix_sending_time_tolerance_seconds</c> of the acceptor's clock.</summary>
    private bool SendingTimeAccurate(FixMessage m, out long ticks)
    {
        if (!FixDictionary.TryParseUtcTimestamp(m.Get(FixTags.SendingTime), out ticks)) return false;
        long now = _acceptor.Clock.GetUtcNow().UtcTicks;
        return Math.Abs(ticks - now) <= _config.FixSendingTimeToleranceSeconds * TimeSpan.TicksPerSecond;
    }

    /// <summary>
    /// A PossDup message needs OrigSendingTime (122): missing, a Reject (the session goes on); later than its
    /// SendingTime, a Reject and a Logout. False when it was rejected.
    /// </summary>
    private bool CheckOrigSendingTime(FixMessage m, long sendingTicks)
    {
        if (!m.TryGet(FixTags.OrigSendingTime, out var orig))
        {
            SendReject(m.SeqNum, FixTags.OrigSendingTime, SessionRejectReason.RequiredTagMissing, FixDictionary.Text(SessionRejectReason.RequiredTagMissing));
            return false;
        }
        if (!FixDictionary.TryParseUtcTimestamp(orig, out long origTicks) || origTicks > sendingTicks)
        {
            SendReject(m.SeqNum, FixTags.OrigSendingTime, SessionRejectReason.SendingTimeAccuracyProblem,
                FixDictionary.Text(SessionRejectReason.SendingTimeAccuracyProblem));
            Terminate("sending_time", "OrigSendingTime (122) later than SendingTime (52)");
            return false;
        }
        return true;
    }

    /// <summary>
    /// A Logon with ResetSeqNumFlag=Y and MsgSeqNum 1 on the logged-on session: both sequence numbers start again
    /// at 1 (the sent messages are forgotten), answered with a Logon 141=Y carrying our MsgSeqNum 1.
    /// </summary>
    private void OnResetLogon(FixMessage m, FixSession session)
    {
        if (m.TryGetLong(FixTags.HeartBtInt, out long hb) && hb >= _config.FixHeartbeatMinSeconds && hb <= _config.FixHeartbeatMaxSeconds)
            _heartBtInt = (int)hb;
        _fields.Clear();
        _fields.AddChar(FixTags.EncryptMethod, (byte)'0').Add(FixTags.HeartBtInt, _heartBtInt).AddChar(FixTags.ResetSeqNumFlag, (byte)'Y');
        session.ResetInSession(_fields.Written);
        _resendRequestedUpTo = 0;
        _log.LogInformation("fix {Session}: sequence numbers reset by the counterparty's Logon (141=Y)", session.Config.SenderCompId);
    }

    private void Dispatch(FixMessage m, FixSession session)
    {
        switch (m.MsgType)
        {
            case FixMsgTypes.Heartbeat:
                break;
            case FixMsgTypes.TestRequest:
                _fields.Clear();
                _fields.Add(FixTags.TestReqId, m.Get(FixTags.TestReqId)); // required by the dictionary: validated
                session.Send(FixMsgTypes.Heartbeat, _fields.Written, app: false);
                break;
            case FixMsgTypes.ResendRequest:
                OnResendRequest(m);
                break;
            case FixMsgTypes.Reject:
                _log.LogInformation("fix {Session}: counterparty rejected our message {Ref}: {Text}", session.Config.SenderCompId,
                    m.GetString(FixTags.RefSeqNum), m.GetString(FixTags.Text));
                break;
            case FixMsgTypes.BusinessMessageReject:
                _log.LogInformation("fix {Session}: counterparty rejected our message {Ref} (380={Reason}): {Text}", session.Config.SenderCompId,
                    m.GetString(FixTags.RefSeqNum), m.GetString(FixTags.BusinessRejectReason), m.GetString(FixTags.Text));
                break;
            case FixMsgTypes.SequenceReset:
                OnGapFill(m, session);
                break;
            case FixMsgTypes.Logout:
                if (!_logoutSent) SendLogout(null);
                Close("logout");
                break;
            case FixMsgTypes.Logon:
                Terminate("second_logon", "already logged on");
                break;
            default:
                _orders.Handle(m, session);
                break;
        }
    }

    /// <summary>
    /// Binds the session whose Logon <see cref="FixLogonPolicy"/> accepted and answers it (the reset, the 789
    /// continuation and the first ResendRequest are applied only now, once the session is this connection's); false
    /// when another connection logged on to it first (then nothing changed).
    /// </summary>
    internal bool TryLogOn(FixSession session, FixMessage m, LogonTerms terms)
    {
        _heartBtInt = terms.HeartBtInt;
        bool continuing = terms.NextExpected > session.Seq.NextOut;
        _fields.Clear();
        _fields.AddChar(FixTags.EncryptMethod, (byte)'0').Add(FixTags.HeartBtInt, _heartBtInt);
        if (terms.Reset) _fields.AddChar(FixTags.ResetSeqNumFlag, (byte)'Y');
        if (terms.NextExpected > 0) _fields.Add(FixTags.NextExpectedMsgSeqNum, m.SeqNum == session.Seq.NextIn ? m.SeqNum + 1 : session.Seq.NextIn);
        long oursBefore = session.Seq.NextOut;
        if (!session.TryBind(this, _fields.Written, terms.Reset, continuing ? terms.NextExpected : 0)) return false;
        // NextExpectedMsgSeqNum (789) above ours: the numbers in between were sent by another node of the replicated
        // group (this session moved here after a failover); we continued from the client's number instead of making it reset.
        if (continuing)
            _log.LogInformation("fix {Session}: continues at our MsgSeqNum {Next} (789; this node was at {Ours}): the session moved here",
                session.Config.SenderCompId, terms.NextExpected, oursBefore);
        _session = session;
        _loggedOn = true;
        _ticket.LoggedOn();
        long expected = session.Seq.NextIn;
        if (m.SeqNum == expected) session.Seq.NextIn = expected + 1;
        else
        {
            _fields.Clear();
            _fields.Add(FixTags.BeginSeqNo, expected).Add(FixTags.EndSeqNo, 0);
            session.Send(FixMsgTypes.ResendRequest, _fields.Written, app: false);
            _resendRequestedUpTo = m.SeqNum;
        }
        session.Seq.Save(fsync: true);
        session.Flush();
        _log.LogInformation("fix {Session}: logged on from {Remote} (HeartBtInt {Hb}s, seq out {Out} in {In})", session.Config.SenderCompId, Remote,
            _heartBtInt, session.Seq.NextOut, session.Seq.NextIn);
        return true;
    }

    private void OnResendRequest(FixMessage m)
    {
        if (!m.TryGetLong(FixTags.BeginSeqNo, out long begin) || !m.TryGetLong(FixTags.EndSeqNo, out long end))
        {
            SendReject(m.SeqNum, m.Has(FixTags.BeginSeqNo) ? FixTags.EndSeqNo : FixTags.BeginSeqNo, SessionRejectReason.RequiredTagMissing,
                "BeginSeqNo (7) and EndSeqNo (16) are required");
            return;
        }
        _session!.ResendRange(begin, end);
    }

    private void OnGapFill(FixMessage m, FixSession session)
    {
        if (!m.TryGetLong(FixTags.NewSeqNo, out long next))
        {
            SendReject(m.SeqNum, FixTags.NewSeqNo, SessionRejectReason.RequiredTagMissing, "NewSeqNo (36) missing");
            return;
        }
        if (next <= m.SeqNum)
        {
            SendReject(m.SeqNum, FixTags.NewSeqNo, SessionRejectReason.ValueIncorrect, "NewSeqNo must be above MsgSeqNum");
            return;
        }
        session.Seq.NextIn = next;
    }

    private void OnSequenceResetReset(FixMessage m)
    {
        var session = _session!;
        if (!m.TryGetLong(FixTags.NewSeqNo, out long next))
        {
            SendReject(m.SeqNum, FixTags.NewSeqNo, SessionRejectReason.RequiredTagMissing, "NewSeqNo (36) missing");
            return;
        }
        if (next < session.Seq.NextIn)
        {
            SendReject(m.SeqNum, FixTags.NewSeqNo, SessionRejectReason.ValueIncorrect,
                $"NewSeqNo {next} below the expected {session.Seq.NextIn}");
            return;
        }
        session.Seq.NextIn = next;
        _resendRequestedUpTo = 0;
    }

    private bool WithinRate()
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _rateWindowStart >= Stopwatch.Frequency)
        {
            _rateWindowStart = now;
            _rateCount = 0;
        }
        return ++_rateCount <= _config.FixMessagesPerSecond;
    }

    // ---- outbound helpers ----

    internal void SendReject(long refSeq, int refTag, SessionRejectReason reason, string text, ReadOnlySpan<byte> refMsgType = default)
    {
        if (_session is not { } session) return;
        _fields.Clear();
        if (refMsgType.IsEmpty) refMsgType = _message.MsgTypeText; // the message being handled
        _fields.Add(FixTags.RefSeqNum, Math.Max(refSeq, 0));
        if (refTag != FixMessage.NoTag) _fields.Add(FixTags.RefTagId, refTag);
        if (!refMsgType.IsEmpty) _fields.Add(FixTags.RefMsgType, refMsgType);
        _fields.Add(FixTags.SessionRejectReason, (int)reason).Add(FixTags.Text, text);
        session.Send(FixMsgTypes.Reject, _fields.Written, app: false);
    }

    /// <summary>
    /// A Business Message Reject (j) of the message being handled: RefSeqNum, RefMsgType, BusinessRejectRefID (its
    /// ClOrdID, when it has one), BusinessRejectReason and Text.
    /// </summary>
    internal void SendBusinessReject(FixMessage m, BusinessRejectReason reason, string text)
    {
        if (_session is not { } session) return;
        _fields.Clear();
        _fields.Add(FixTags.RefSeqNum, Math.Max(m.SeqNum, 0)).Add(FixTags.RefMsgType, m.MsgTypeText);
        if (m.TryGet(FixTags.ClOrdId, out var clOrdId)) _fields.Add(FixTags.BusinessRejectRefId, clOrdId);
        _fields.Add(FixTags.BusinessRejectReason, (int)reason).Add(FixTags.Text, text);
        session.Send(FixMsgTypes.BusinessMessageReject, _fields.Written, app: true);
    }

    private void SendLogout(string? text)
    {
        if (_session is not { } session) return;
        _logoutSent = true;
        _fields.Clear();
        if (text is not null) _fields.Add(FixTags.Text, text);
        session.Send(FixMsgTypes.Logout, _fields.Written, app: false);
        session.Flush();
    }

    /// <summary>Logout (with <paramref name="text"/>) and disconnect.</summary>
    internal void Terminate(string reason, string? text)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        if (_loggedOn)
        {
            try
            {
                SendLogout(text);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
        }
        if (text is not null) _log.LogWarning("fix {Session} {Remote}: disconnecting ({Reason}): {Text}", _session?.Config.SenderCompId, Remote, reason, text);
        Close(reason);
    }

    /// <summary>Graceful logout on shutdown: our Logout, then up to <paramref name="wait"/> for theirs.</summary>
    internal async Task LogoutAsync(TimeSpan wait)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        if (_loggedOn && !_logoutSent)
        {
            try
            {
                SendLogout("server shutting down");
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
            }
            var clock = Stopwatch.StartNew();
            while (Volatile.Read(ref _closed) == 0 && clock.Elapsed < wait) await Task.Delay(10);
        }
        Close("shutdown");
    }

    internal void NoteSent() => _lastSent = Stopwatch.GetTimestamp();

    /// <summary>Writer thread: heartbeats when idle, a TestRequest after 1.5 intervals of silence, disconnect after 2.5.</summary>
    internal void Tick()
    {
        if (!_loggedOn || _session is not { } session || Volatile.Read(ref _closed) != 0) return;
        long now = Stopwatch.GetTimestamp();
        long interval = _heartBtInt * Stopwatch.Frequency;
        long silent = now - _lastReceived;
        if (silent > interval * 5 / 2)
        {
            Terminate("heartbeat_timeout", "no message within 2.5 heartbeat intervals");
            return;
        }
        if (silent > interval * 3 / 2 && _testRequestSent == 0)
        {
            _testRequestSent = now;
            Span<byte> body = stackalloc byte[32];
            "112=TEST-"u8.CopyTo(body);
            System.Buffers.Text.Utf8Formatter.TryFormat(now, body[9..], out int w);
            body[9 + w] = FixFramer.Soh;
            session.Send(FixMsgTypes.TestRequest, body[..(10 + w)], app: false);
            return;
        }
        if (now - Volatile.Read(ref _lastSent) >= interval) session.Send(FixMsgTypes.Heartbeat, default, app: false);
    }

    /// <summary>Writes bytes to the connection (blocking, with the socket's send timeout); a failure closes the connection.</summary>
    internal void Write(ReadOnlySpan<byte> bytes)
    {
        if (Volatile.Read(ref _closed) != 0) return;
        try
        {
            lock (_writeGate) _wire.Send(bytes);
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            Close("send_failed");
        }
    }

    internal void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        _acceptor.Metrics.Disconnected(reason);
        _wire.Close();
        _ticket.Dispose();
        _session?.Unbind(this, _loggedOn);
        _acceptor.Forget(this);
        _log.LogInformation("fix {Session} {Remote}: disconnected ({Reason})", _session?.Config.SenderCompId ?? "-", Remote, reason);
    }
}
