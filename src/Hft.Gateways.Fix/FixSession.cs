using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Hft.Configuration;
using Hft.Core.Events;
using Hft.Core.Matching;
using Hft.Pipeline;
using Hft.Pipeline.Durability;
using Hft.Pipeline.State;
using Microsoft.Extensions.Logging;

namespace Hft.Gateways.Fix;

/// <summary>
/// One configured FIX session (a CompID pair), alive for the acceptor's lifetime whether or not a connection is
/// logged on: its sequence numbers (persisted), the application messages it sent (for resends), its orders, and the
/// outbound path. Every outgoing message gets its MsgSeqNum under one lock, in wire order. Execution reports are
/// built from the events the account hub delivers, in order, once the outbox says the command that caused them is
/// durable: by the FIX reader thread that processed the command, right after its read ran to completion (this
/// session's own reader, or another session's that filled one of its orders or took its commands along), else by the
/// session's writer thread (commands processed elsewhere, reports that waited for the journal, heartbeats). While no connection is logged on, reports still take sequence
/// numbers and are kept for the counterparty's ResendRequest after it logs on again.
/// </summary>
internal sealed partial class FixSession : IAccountEventSink, IDurableWaiter, IDisposable
{
    private readonly object _sendGate = new();
    private readonly object _flushGate = new();
    private byte[] _out = new byte[64 * 1024];
    private byte[] _spare = new byte[64 * 1024];
    private int _outLength;
    private readonly ReportQueue _events = new(MaxQueuedEvents);
    private readonly object _drainGate = new(); // one thread turns events into reports at a time (writer or reader)
    private long _waitingFor; // the sequence the report queue waits for in the outbox (0: not waiting)
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly Thread _writer;
    private volatile bool _stopping;
    private readonly FixFieldWriter _fields = new();
    private long _execCounter;
    private readonly string _execPrefix;
    private readonly bool _echoTriggerDirection; // the venue agreed TriggerDirection (5109) with its counterparties

    public const int MaxQueuedEvents = 1 << 20;

    public FixSession(FixSessionConfig config, int account, GatewayConfig gateway, TradingPipeline pipeline, OrderDirectory directory,
        FixMetrics metrics, ILogger log)
    {
        Config = config;
        AccountId = account;
        Pipeline = pipeline;
        Directory = directory;
        Metrics = metrics;
        Log = log;
        OurCompId = Encoding.ASCII.GetBytes(config.TargetCompId);
        TheirCompId = Encoding.ASCII.GetBytes(config.SenderCompId);
        string stem = Path.Combine(gateway.FixStoreDir, $"{Safe(config.TargetCompId)}-{Safe(config.SenderCompId)}");
        Seq = new FixSequenceStore(stem + ".seqnums", gateway.FixSeqFsyncMs);
        SentStore = new FixResendStore(gateway.FixResendStoreMessages, stem + ".sent");
        if (Seq.NextOut == 1) SentStore.Clear(); // new (or deleted) sequence file: nothing sent under these numbers
        _echoTriggerDirection = gateway.FixAllowedCustomTags.Contains(FixCustomTags.TriggerDirection);
        _execPrefix = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "-";
        _writer = new Thread(WriterLoop) { IsBackground = true, Name = $"hft-fix-{config.SenderCompId}" };
    }

    private static string Safe(string compId)
    {
        var sb = new StringBuilder(compId.Length);
        foreach (char c in compId) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' ? c : '_');
        return sb.ToString();
    }

    public FixSessionConfig Config { get; }

    public int AccountId { get; }

    public TradingPipeline Pipeline { get; }

    public OrderDirectory Directory { get; }

    public FixMetrics Metrics { get; }

    public ILogger Log { get; }

    public byte[] OurCompId { get; }

    public byte[] TheirCompId { get; }

    public FixSequenceStore Seq { get; }

    public FixResendStore SentStore { get; }

    /// <summary>The connection logged on to this session, if any.</summary>
    public FixConnection? Connection { get; private set; }

    /// <summary>
    /// The session's orders, live and recently finished, by exchange order id and ClOrdID (the processing threads
    /// look up ids to filter events; cancel/replace look up OrigClOrdID).
    /// </summary>
    internal FixOrderBook Book { get; } = new(RetainFinished);

    /// <summary>Finished orders remembered for late cancel requests (answered "too late to cancel").</summary>
    public const int RetainFinished = 10_000;

    public void Start() => _writer.Start();

    // ---- binding a connection ----

    /// <summary>
    /// Binds a logged-on connection and sends its Logon reply first; false when another connection holds the session
    /// (then nothing changes). <paramref name="reset"/> (ResetSeqNumFlag=Y) starts both numbers at 1 and forgets the
    /// sent messages, only once the session is this connection's.
    /// </summary>
    public bool TryBind(FixConnection connection, ReadOnlySpan<byte> logonReplyBody, bool reset, long continueAtOut = 0)
    {
        lock (_sendGate)
        {
            if (Connection is not null) return false;
            if (reset)
            {
                Seq.Reset();
                SentStore.Clear();
            }
            if (continueAtOut > Seq.NextOut) Seq.NextOut = continueAtOut; // 789 from the client: the session moved here
            Connection = connection;
            _outLength = 0;
            AppendLocked("A"u8, logonReplyBody, app: false);
        }
        Metrics.Sessions.Inc();
        return true;
    }

    /// <summary>
    /// The logged-on counterparty reset the session (Logon 141=Y, 34=1): both numbers start again at 1, the sent
    /// messages are forgotten, and our Logon reply takes MsgSeqNum 1; the next message expected is 2.
    /// </summary>
    public void ResetInSession(ReadOnlySpan<byte> logonReplyBody)
    {
        lock (_sendGate)
        {
            Seq.Reset();
            SentStore.Clear();
            Seq.NextIn = 2;
            AppendLocked("A"u8, logonReplyBody, app: false);
        }
        Seq.Save(fsync: true);
        _wake.Set();
    }

    /// <summary>
    /// The Logout refusing a Logon, as it goes on the wire. It takes the session's next MsgSeqNum (so a counterparty
    /// that counts it stays in step, as FIX expects) only when <paramref name="takeNumber"/> and no connection is
    /// logged on; otherwise it carries that number without taking it, and the session does not change.
    /// </summary>
    public byte[] RefusalLogout(ReadOnlySpan<byte> body, bool takeNumber)
    {
        var bytes = new byte[FixComposer.MaxLength(body.Length, OurCompId.Length + TheirCompId.Length)];
        int length;
        bool took;
        lock (_sendGate)
        {
            took = takeNumber && Connection is null;
            long seq = took ? Seq.NextOut++ : Seq.NextOut;
            length = FixComposer.Compose(bytes, "5"u8, OurCompId, TheirCompId, seq, DateTime.UtcNow, false, default, body);
        }
        if (took) Seq.Save(fsync: true);
        Metrics.Out.Inc();
        return bytes[..length];
    }

    /// <summary>Detaches the connection (after its last message was flushed).</summary>
    public void Unbind(FixConnection connection, bool wasLoggedOn)
    {
        lock (_sendGate)
        {
            if (Connection != connection) return;
            Connection = null;
            _outLength = 0;
        }
        if (wasLoggedOn) Metrics.Sessions.Dec();
        Seq.Save(fsync: true);
    }

    // ---- sending ----

    /// <summary>Sends a message now (sequence number, header, checksum); admin messages only while a connection is bound.</summary>
    public void Send(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, bool app)
    {
        lock (_sendGate) AppendLocked(msgType, body, app);
        _wake.Set();
    }

    public void Send(byte msgType, ReadOnlySpan<byte> body, bool app)
    {
        Span<byte> type = [msgType];
        Send(type, body, app);
    }

    private void AppendLocked(ReadOnlySpan<byte> msgType, ReadOnlySpan<byte> body, bool app)
    {
        var connection = Connection;
        if (!app && connection is null) return;
        long seq = Seq.NextOut++;
        var now = DateTime.UtcNow;
        if (app) SentStore.Add(seq, msgType, body, now);
        if (connection is null) return;
        EnsureOut(FixComposer.MaxLength(body.Length, OurCompId.Length + TheirCompId.Length));
        _outLength += FixComposer.Compose(_out.AsSpan(_outLength), msgType, OurCompId, TheirCompId, seq, now, false, default, body);
        connection.NoteSent();
        Metrics.Out.Inc();
    }

    private void EnsureOut(int more)
    {
        if (_outLength + more > _out.Length) Array.Resize(ref _out, Math.Max(_out.Length * 2, _outLength + more));
    }

    /// <summary>Answers a ResendRequest: held application messages again (PossDupFlag=Y), gap fills for the rest.</summary>
    public void ResendRange(long begin, long end)
    {
        lock (_sendGate)
        {
            var connection = Connection;
            if (connection is null) return;
            long last = Seq.NextOut - 1;
            if (end == 0 || end > last) end = last;
            long gapStart = 0;
            var now = DateTime.UtcNow;
            for (long s = Math.Max(begin, 1); s <= end; s++)
            {
                if (s <= last - SentStore.Capacity || !SentStore.TryGet(s, out var type, out var body, out var sent))
                {
                    if (gapStart == 0) gapStart = s;
                    if (s <= last - SentStore.Capacity) s = last - SentStore.Capacity; // skip what cannot be held
                    continue;
                }
                if (gapStart != 0)
                {
                    GapFillLocked(gapStart, s, now);
                    gapStart = 0;
                }
                EnsureOut(FixComposer.MaxLength(body.Length, OurCompId.Length + TheirCompId.Length));
                _outLength += FixComposer.Compose(_out.AsSpan(_outLength), type, OurCompId, TheirCompId, s, now, true, sent, body);
                Metrics.Out.Inc();
            }
            if (gapStart != 0) GapFillLocked(gapStart, end + 1, now);
            connection.NoteSent();
        }
        _wake.Set();
    }

    private void GapFillLocked(long seq, long newSeq, DateTime now)
    {
        Span<byte> body = stackalloc byte[48];
        int n = 0;
        "123=Y\u000136="u8.CopyTo(body);
        n += 9;
        System.Buffers.Text.Utf8Formatter.TryFormat(newSeq, body[n..], out int w);
        n += w;
        body[n++] = FixFramer.Soh;
        EnsureOut(FixComposer.MaxLength(n, OurCompId.Length + TheirCompId.Length));
        _outLength += FixComposer.Compose(_out.AsSpan(_outLength), "4"u8, OurCompId, TheirCompId, seq, now, true, now, body[..n]);
        Metrics.Out.Inc();
    }

    /// <summary>Writes what was composed to the bound connection's socket (one flusher at a time keeps wire order).</summary>
    public void Flush()
    {
        lock (_flushGate)
        {
            FixConnection? connection;
            int length;
            lock (_sendGate)
            {
                if (!SentStore.Flush()) // the sent messages reach the resend file before the socket
                    Log.LogWarning("fix {Session}: could not write the resend store {Path}; those messages will be gap-filled after a restart",
                        Config.SenderCompId, SentStore.FilePath);
                connection = Connection;
                length = _outLength;
                if (length == 0 || connection is null) return;
                (_out, _spare) = (_spare, _out);
                _outLength = 0;
            }
            connection.Write(_spare.AsSpan(0, length));
        }
    }

    // ---- events from the shards ----

    /// <summary>
    /// Processing thread: copies the events of this session's orders into its queue (never blocks). The book still
    /// holds orders that finished recently, so a cancel or replace refused because the order finished meanwhile (its
    /// last fill may already be reported) is taken too: the request is answered "too late".
    /// </summary>
    public void OnAccountEvents(int account, in OrderCommand command, ReadOnlySpan<EngineEvent> events, long sequence)
    {
        if (sequence < 0)
        {
            Connection?.Terminate("journal_failed", "the venue's journal failed; nothing further is acknowledged");
            return;
        }
        bool any = false;
        foreach (ref readonly var e in events)
        {
            if (e.Account == AccountId && Book.Contains(e.OrderId))
                any |= Enqueue(new ReportItem
                {
                    Event = e, CommandOp = command.Op, CommandOrderId = command.OrderId, NewTrigger = command.NewTriggerOf(e.OrderId), Sequence = sequence,
                });
            if (e.Kind == EventKind.Trade && e.MakerAccount == AccountId && Book.Contains(e.MakerOrderId))
                any |= Enqueue(new ReportItem { Event = e, Maker = true, CommandOp = command.Op, CommandOrderId = command.OrderId, Sequence = sequence });
        }
        if (!any) return;
        if (FixConnection.CurrentReader is { } reader) reader.Touch(this); // it sends them once its read has run
        else _wake.Set();
    }

    private bool Enqueue(in ReportItem item)
    {
        if (_events.TryEnqueue(in item)) return true;
        Overflowed = true;
        return false;
    }

    /// <summary>Set when the report queue overflowed and events were dropped (the connection is closed).</summary>
    public bool Overflowed { get; private set; }

    /// <summary>A mass cancel finished and is durable: its report goes out after the cancels' reports.</summary>
    internal void EnqueueMassCancelReport(MassCancelOutcome outcome)
    {
        Enqueue(new ReportItem { Kind = ReportKind.MassCancelReport, MassCancel = outcome });
        _wake.Set();
    }

    /// <summary>The outbox released what the report queue waited for.</summary>
    public void OnDurable(bool failed)
    {
        Volatile.Write(ref _waitingFor, 0);
        if (failed) Connection?.Terminate("journal_failed", "the venue's journal failed; nothing further is acknowledged");
        _wake.Set();
    }

    /// <summary>
    /// The connection's reader, after its orders ran to completion: turns what is releasable into reports and writes
    /// them now (no hand-off to the writer thread).
    /// </summary>
    internal void SendReleased()
    {
        DrainEvents();
        Flush();
    }

    // ---- writer thread ----

    private void WriterLoop()
    {
        while (!_stopping)
        {
            DrainEvents();
            _wake.Wait(100);
            _wake.Reset();
            try
            {
                if (Overflowed && Connection is { } slow)
                {
                    Overflowed = false;
                    slow.Terminate("slow_consumer", "execution reports could not keep up; reconnect and resend");
                }
                DrainEvents();
                Connection?.Tick();
                Flush();
                Seq.Save();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                Log.LogWarning("fix {Session}: {Error}", Config.SenderCompId, e.Message);
            }
        }
    }

    /// <summary>Turns the queued events whose commands are durable into reports, in order; waits in the outbox for the rest.</summary>
    private void DrainEvents()
    {
        long waitFor = 0;
        lock (_drainGate)
        {
            int sent = 0;
            var outbox = Pipeline.Outbox;
            while (_events.TryPeekSequence(out long sequence))
            {
                if (!outbox.IsDurable(sequence))
                {
                    waitFor = sequence;
                    break;
                }
                _events.TryDequeue(out var item);
                Report(in item);
                if (++sent % 256 == 0) Flush();
            }
        }
        if (waitFor != 0 && Interlocked.Exchange(ref _waitingFor, waitFor) != waitFor) Pipeline.Outbox.WhenDurable(waitFor, this);
    }

    private void Report(in ReportItem item)
    {
        if (item.Kind == ReportKind.MassCancelReport)
        {
            SendMassCancelReport(item.MassCancel!);
            return;
        }
        ref readonly var e = ref item.Event;
        long id = item.Maker ? e.MakerOrderId : e.OrderId;
        if (!Book.TryGet(id, out var order)) return;
        if (order.Done)
        {
            if (e.Kind == EventKind.Rejected && e.Op is CommandOp.Cancel or CommandOp.Replace)
                OnRejected(order, in e); // too late: the order finished while the request was on its way
            return;
        }
        switch (e.Kind)
        {
            case EventKind.Accepted:
                order.Leaves = e.Quantity;
                order.Status = (byte)'0';
                WriteExecutionReport(_fields, order, order.ClOrdId, null, (byte)'0', (byte)'0', 0, 0, null);
                Send(FixMsgTypes.ExecutionReport, _fields.Written, app: true);
                break;
            case EventKind.Rejected:
                OnRejected(order, in e);
                break;
            case EventKind.Trade:
                OnTrade(order, in e, item.Maker);
                break;
            case EventKind.Canceled:
                OnCanceled(order, in e, item.CommandOp == CommandOp.Cancel && item.CommandOrderId == id);
                break;
            case EventKind.Replaced:
                OnReplaced(order, in e, item.NewTrigger);
                break;
            case EventKind.Triggered or EventKind.Refreshed:
                OnRestated(order, in e);
                break;
        }
    }

    private void Finish(FixOrder order) => Book.Finish(order);

    internal long NextExecId() => Interlocked.Increment(ref _execCounter);

    internal string ExecPrefix => _execPrefix;

    public void Stop()
    {
        _stopping = true;
        _wake.Set();
        if (_writer.IsAlive) _writer.Join(TimeSpan.FromSeconds(5));
        try
        {
            DrainEvents();
            Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        lock (_sendGate) SentStore.Dispose();
        Seq.Dispose();
        _wake.Dispose();
    }
}
