using System.Diagnostics;
using System.Net.Http.Headers;
using Hft.Configuration;
using Hft.Journal.Stream;
using Hft.Pipeline.Shards;
using Hft.Pipeline.State;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hft.Pipeline.Replication;

/// <summary>
/// A disaster-recovery replica ([dr] enabled): no member of the Raft group - it never votes, never acknowledges and
/// counts toward no majority - but a reader of the committed journal of any member in [dr] sources
/// (<c>GET /replication/journal?after=N</c>, <see cref="JournalStreamFormat"/>). Each records frame goes through the one
/// replicated-apply step, <see cref="ReplicatedApplier"/>, exactly as a Raft follower applies the log: appended to this
/// node's journal with the group's sequences, applied through the shards. After a lost stream the next source is asked
/// from this journal's last record (asked again: a fingerprint check that the source's journal continues this one),
/// so nothing is skipped or applied twice. Order entry stays off until an operator promotes the replica
/// (<see cref="PromoteAsync"/>); a promotion is recorded in the journal directory (<see cref="DrPromotion"/>) and holds
/// across restarts.
/// </summary>
public sealed class DrFollower : IHostedService, IAsyncDisposable
{
    private readonly TradingPipeline _pipeline;
    private readonly DrConfig _config;
    private readonly ILogger _log;
    private readonly HttpClient _http;
    private readonly string _token;
    private readonly ReplicatedApplier _applier;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _promoting = new(1, 1);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Task? _loop;
    private long _sourceSequence, _caughtUpTicks, _reconnects, _frames;
    private volatile bool _connected, _diverged;
    private volatile string? _source, _lastError;
    private DrPromotion.Record? _promotion;

    /// <param name="handler">The HTTP handler the sources are reached with (TLS options from [tls], built by the composition root).</param>
    public DrFollower(TradingPipeline pipeline, OrderDirectory? directory, ILogger log, HttpMessageHandler handler)
    {
        _pipeline = pipeline;
        _config = pipeline.Config.Dr;
        _log = log;
        _token = _config.ResolveToken() ?? throw new InvalidOperationException("[dr] needs token or token_file");
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _applier = new ReplicatedApplier(pipeline, directory, OnDiverged);
        _promotion = DrPromotion.Read(pipeline.Config.Journal.Dir);
        // Until promoted, this node decides nothing: order entry, operator changes and feed marks are refused from the start.
        if (_promotion is null) pipeline.SetRole(ReplicationRole.Follower, null);
    }

    /// <summary>The one replicated-apply step this replica feeds.</summary>
    public ReplicatedApplier Applier => _applier;

    /// <summary>Promoted: following stopped for good, order entry on (null while following).</summary>
    public DrPromotion.Record? Promotion => _promotion;

    /// <summary>A stream from a source is open.</summary>
    public bool Connected => _connected;

    /// <summary>The source of the open (or last) stream.</summary>
    public string? Source => _source;

    /// <summary>Why the last stream ended or was refused (null while none failed).</summary>
    public string? LastError => _lastError;

    /// <summary>The committed sequence the source last reported (its journal's end).</summary>
    public long SourceSequence => Interlocked.Read(ref _sourceSequence);

    /// <summary>The last record of this replica's journal.</summary>
    public long AppliedSequence => _pipeline.Journal.NextSequence - 1;

    /// <summary>Committed records the source reported that this replica does not hold yet.</summary>
    public long LagRecords => _promotion is null ? Math.Max(0, SourceSequence - AppliedSequence) : 0;

    /// <summary>
    /// Seconds since this replica last held every record a source had committed (since start when it never did): what a
    /// loss of the whole group now could cost at most (the RPO at this moment). Grows while no source is reachable.
    /// </summary>
    public double LagSeconds => _promotion is null
        ? Math.Max(0, (_clock.ElapsedTicks - Interlocked.Read(ref _caughtUpTicks)) / (double)Stopwatch.Frequency)
        : 0;

    /// <summary>Streams opened after the first (lost streams, refusals, source changes).</summary>
    public long Reconnects => Interlocked.Read(ref _reconnects);

    /// <summary>Frames received (records and heartbeats).</summary>
    public long Frames => Interlocked.Read(ref _frames);

    /// <summary>A source's journal differs from this one at a sequence both hold: following stopped (see the log).</summary>
    public bool Diverged => _diverged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_promotion is { } p)
        {
            _log.LogWarning("dr: this replica was promoted at {At:u} (journal at seq {Seq}); it takes order entry and follows no source. "
                + "Remove [dr] from its configuration", p.PromotedAt, p.LastSequence);
            return Task.CompletedTask;
        }
        _loop = Task.Run(FollowLoopAsync, CancellationToken.None);
        _log.LogInformation("dr: disaster-recovery replica following {Sources} from seq {Seq}; no order entry until promoted",
            string.Join(", ", _config.Sources), AppliedSequence);
        return Task.CompletedTask;
    }

    /// <summary>Tries the sources in turn; after each lost or refused stream waits (100 ms doubling up to reconnect_max_ms).</summary>
    private async Task FollowLoopAsync()
    {
        int next = 0, delayMs = 100;
        bool first = true;
        while (!_stopping.IsCancellationRequested && !_diverged)
        {
            string source = _config.Sources[next % _config.Sources.Count];
            next++;
            if (!first) Interlocked.Increment(ref _reconnects);
            first = false;
            long framesBefore = Frames;
            try
            {
                await FollowAsync(source, _stopping.Token);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _lastError = $"{source}: {e.Message}";
                _log.LogWarning("dr: stream from {Source} ended: {Error}", source, e.Message);
            }
            finally
            {
                _connected = false;
            }
            if (Frames > framesBefore) delayMs = 100; // it worked for a while: come back quickly
            try
            {
                await Task.Delay(delayMs, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delayMs = Math.Min(delayMs * 2, _config.ReconnectMaxMs);
        }
    }

    private async Task FollowAsync(string source, CancellationToken stopping)
    {
        // The last record held is asked for again: the source's copy must be the same (fingerprint), or the applier stops.
        long after = Math.Max(0, AppliedSequence - 1);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{source}/replication/journal?after={after}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(JournalStreamFormat.MediaType));
        using var stale = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        stale.CancelAfter(TimeSpan.FromSeconds(_config.StaleSeconds));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stale.Token);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != JournalStreamFormat.MediaType)
            throw new IOException($"refused: {(int)response.StatusCode} {await BoundedTextAsync(response, stale.Token)}");
        await using var body = await response.Content.ReadAsStreamAsync(stale.Token);
        _source = source;
        _connected = true;
        _log.LogInformation("dr: following {Source} from seq {Seq}", source, after + 1);
        var header = new byte[JournalStreamFormat.FrameHeaderSize];
        var payload = new byte[64 * 1024];
        while (true)
        {
            stale.CancelAfter(TimeSpan.FromSeconds(_config.StaleSeconds)); // any frame (a heartbeat at least every half second) keeps it open
            try
            {
                await body.ReadExactlyAsync(header, stale.Token);
            }
            catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
            {
                throw new IOException($"nothing received for {_config.StaleSeconds} s (stale_seconds)");
            }
            if (JournalStreamFormat.TryReadHeader(header, out var kind, out int length, out long sourceSeq, out _) is { } problem)
                throw new IOException($"malformed stream: {problem}");
            if (length > payload.Length) payload = new byte[Math.Max(length, payload.Length * 2)];
            await body.ReadExactlyAsync(payload.AsMemory(0, length), stale.Token);
            Interlocked.Increment(ref _frames);
            if (kind == JournalFrameKind.Records)
            {
                _applier.Apply(payload.AsSpan(0, length)); // CRCs and continuity checked there; anything wrong throws
                if (_diverged) return;
            }
            Interlocked.Exchange(ref _sourceSequence, sourceSeq);
            if (AppliedSequence >= sourceSeq) Interlocked.Exchange(ref _caughtUpTicks, _clock.ElapsedTicks);
        }
    }

    private static async Task<string> BoundedTextAsync(HttpResponseMessage response, CancellationToken token)
    {
        var buffer = new byte[2048];
        await using var body = await response.Content.ReadAsStreamAsync(token);
        int n = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, token);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
    }

    private void OnDiverged(long sequence)
    {
        _diverged = true;
        _lastError = $"the source's journal differs from this replica's at seq {sequence}";
        _log.LogCritical("dr: {Error}; following stopped (is the source of another venue, or was this replica promoted and rolled back?)", _lastError);
    }

    /// <summary>
    /// Stops following for good and makes this replica a venue of its own: the stream is closed, every applied record is
    /// through the shards and written to the journal, the promotion is recorded in the journal directory, and order
    /// entry is switched on (single node; its sequences and order ids continue where the group's journal ends here).
    /// Idempotent: a second call answers the first promotion.
    /// Fenced against the plain mistake: while a source still streams to this replica the old group is alive and would
    /// trade beside the promoted replica (two venues with one history), so the promotion is refused
    /// (<see cref="SourceStillStreamingException"/>) unless <paramref name="force"/> (the operator has cut the old group
    /// off by other means and this replica still reaches it).
    /// </summary>
    public async Task<DrPromotion.Record> PromoteAsync(string by, bool force = false, CancellationToken cancellationToken = default)
    {
        await _promoting.WaitAsync(cancellationToken);
        try
        {
            if (_promotion is { } done) return done;
            if (_connected && !force)
                throw new SourceStillStreamingException($"{_source} still streams its journal to this replica (it is alive: stop it or cut it off "
                    + "first, then promote; or promote with force when it is fenced by other means)");
            var clock = Stopwatch.StartNew();
            await _stopping.CancelAsync();
            if (_loop is not null) await _loop;
            long last;
            lock (_pipeline.ApplyGate)
            {
                using (var drained = PipelinePause.TryPause(_pipeline, TimeSpan.FromSeconds(10)))
                    if (drained is null) throw new TimeoutException("the shards did not drain the applied records within 10 s");
                var journal = _pipeline.Journal;
                journal.Flush();
                last = journal.Stats.LastSequence;
                if (!journal.WaitSynced(last, TimeSpan.FromSeconds(10)))
                    throw new IOException($"the journal could not make records up to {last} durable: {journal.Failure?.Message ?? "timeout"}");
                var record = new DrPromotion.Record(DateTimeOffset.UtcNow, last, SourceSequence, _source, by);
                DrPromotion.Write(_pipeline.Config.Journal.Dir, record);
                _promotion = record;
                _pipeline.SetRole(ReplicationRole.Single, null);
            }
            _log.LogWarning("dr: PROMOTED by {By} in {Ms:N0} ms: a venue of its own from journal seq {Seq} (the source had reported {Source}); order entry on",
                by, clock.Elapsed.TotalMilliseconds, last, SourceSequence);
            return _promotion!;
        }
        finally
        {
            _promoting.Release();
        }
    }

    /// <summary>Why this replica is not ready (null when it is): its source's journal diverged from its own.</summary>
    public string? ReadinessProblem() => _diverged ? $"dr: {_lastError}" : null;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_loop is not null) await _loop;
        _http.Dispose();
    }
}

/// <summary>A promotion refused: a source still streams to the replica, so the old group is alive.</summary>
public sealed class SourceStillStreamingException(string message) : InvalidOperationException(message);
