using System.Diagnostics;
using Hft.Auth.Audit;
using Hft.Journal;
using Hft.Journal.Stream;
using Hft.Pipeline;
using Hft.Pipeline.Replication;
using Hft.Server.Api;
using Hft.Server.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hft.Server.Replication;

/// <summary>
/// The disaster-recovery endpoints, on the operations listener behind <see cref="OpsAccess"/> ([monitoring]
/// allowed_cidrs; HTTPS with [tls] operations) and, beyond what the gate asks, only for a caller that sends the ops
/// token or an admin token - never anonymously, not even on the dedicated operations listener:
/// <list type="bullet">
/// <item><c>GET /replication/journal?after=N</c> (every node): the committed journal from record N+1 on, as
/// <see cref="JournalStreamFormat"/> frames, then every new committed record as it is written, with a heartbeat at
/// least every <see cref="HeartbeatInterval"/>. At most [dr] max_streams at once (503 beyond); a reader that takes no
/// bytes for [dr] stream_write_timeout_seconds is disconnected. Reads the segments only: it never holds up the journal.</item>
/// <item><c>POST /replication/dr/promote[?force=true]</c> (a DR replica): stop following and take order entry
/// (<see cref="DrFollower.PromoteAsync"/>); 409 <c>source_alive</c> while a source still streams to it, unless forced.</item>
/// </list>
/// </summary>
public static class DrEndpoints
{
    /// <summary>Longest time between two frames of an open stream while nothing new is committed.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>How often an idle stream looks at the journal's written sequence.</summary>
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(10);

    public static void MapDrEndpoints(this IEndpointRouteBuilder app)
    {
        var streams = new JournalStreams();
        app.MapGet("/replication/journal", (HttpContext http, TradingPipeline pipeline, AuditLog audit, IHostApplicationLifetime lifetime, string? after)
            => StreamAsync(http, pipeline, audit, streams, lifetime.ApplicationStopping, after));
        app.MapPost("/replication/dr/promote", async (HttpContext http, AuditLog audit, IServiceProvider services, string? force) =>
        {
            if (OperatorCredentialMissing(http) is { } refused) return refused;
            if (services.GetService<DrFollower>() is not { } dr)
                return ApiError.Result(StatusCodes.Status409Conflict, "not_dr_replica", "this node is not a disaster-recovery replica ([dr] enabled = false)");
            if (force is not (null or "true" or "false"))
                return ApiError.Result(StatusCodes.Status400BadRequest, "invalid_request", "force must be true or false");
            bool forced = force == "true", already = dr.Promotion is not null;
            DrPromotion.Record promotion;
            try
            {
                promotion = await dr.PromoteAsync($"{HttpAudit.SubjectOf(http)} from {http.Connection.RemoteIpAddress}{(forced ? " (forced)" : "")}",
                    forced, http.RequestAborted);
            }
            catch (SourceStillStreamingException e)
            {
                audit.Write(http, "dr.promote", "POST /replication/dr/promote", "409 source_alive", e.Message, durable: true);
                return ApiError.Result(StatusCodes.Status409Conflict, "source_alive", e.Message);
            }
            audit.Write(http, "dr.promote", "POST /replication/dr/promote" + (forced ? "?force=true" : ""), already ? "200 already promoted" : "200 promoted",
                $"journal seq {promotion.LastSequence}, source reported {promotion.SourceSequence}", durable: true);
            return Results.Json(new
            {
                promoted = true, alreadyPromoted = already, promotedAt = promotion.PromotedAt, journalSequence = promotion.LastSequence,
                sourceSequence = promotion.SourceSequence, source = promotion.Source,
            });
        });
    }

    /// <summary>The ops token or an admin token must be shown (the gate checked it when sent); the network alone is not enough here.</summary>
    private static IResult? OperatorCredentialMissing(HttpContext http)
        => OpsAccess.ViewOf(http) == OpsView.Operator && !string.IsNullOrEmpty(http.Request.Headers.Authorization)
            ? null
            : ApiError.Result(StatusCodes.Status401Unauthorized, "unauthorized",
                "the journal stream and promotion need the ops token or an admin token (Authorization: Bearer ...)");

    private static async Task StreamAsync(HttpContext http, TradingPipeline pipeline, AuditLog audit, JournalStreams streams, CancellationToken stopping,
        string? afterText)
    {
        if (OperatorCredentialMissing(http) is { } refused)
        {
            await refused.ExecuteAsync(http);
            return;
        }
        var config = pipeline.Config;
        if (!long.TryParse(afterText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long after))
        {
            await ApiError.Write(http, StatusCodes.Status400BadRequest, "invalid_request", "after must be the last journal sequence the replica holds (0 or more)");
            return;
        }
        if (pipeline.Journal.Mode == JournalMode.None)
        {
            await ApiError.Write(http, StatusCodes.Status409Conflict, "no_journal", "this node keeps no journal ([journal] mode none)");
            return;
        }
        if (!streams.TryEnter(config.Dr.MaxStreams))
        {
            await ApiError.Write(http, StatusCodes.Status503ServiceUnavailable, "too_many_streams",
                $"this node serves at most {config.Dr.MaxStreams} journal streams at once ([dr] max_streams)");
            return;
        }
        try
        {
            var buffer = new byte[JournalStreamFormat.FrameHeaderSize + JournalStreamFormat.MaxFramePayload];
            // Refused before the first byte when the records asked for are gone (the replica needs a backup).
            if (pipeline.Journal.WrittenSequence > after && GoneProblem(config.Journal.Dir, after, buffer) is { } gone)
            {
                await ApiError.Write(http, StatusCodes.Status410Gone, "journal_gone", gone);
                return;
            }
            audit.Write(http, "dr.stream", $"GET /replication/journal?after={after}", "200 streaming", durable: true);
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            http.Response.ContentType = JournalStreamFormat.MediaType;
            await StreamFramesAsync(http, pipeline, config.Dr.StreamWriteTimeoutSeconds, after, buffer, stopping);
        }
        finally
        {
            streams.Exit();
        }
    }

    private static string? GoneProblem(string dir, long after, byte[] buffer)
    {
        using var probe = new JournalTail(dir, after);
        try
        {
            probe.Read(after + 1, buffer, buffer.Length);
            return null;
        }
        catch (JournalGoneException e)
        {
            return e.Message;
        }
    }

    private static async Task StreamFramesAsync(HttpContext http, TradingPipeline pipeline, int writeTimeoutSeconds, long after, byte[] buffer,
        CancellationToken stopping)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, stopping);
        using var tail = new JournalTail(pipeline.Config.Journal.Dir, after);
        var journal = pipeline.Journal;
        var sinceFrame = Stopwatch.StartNew();
        bool first = true;
        try
        {
            while (!ended.IsCancellationRequested)
            {
                long upTo = journal.WrittenSequence;
                int length = tail.NextSequence <= upTo
                    ? tail.Read(upTo, buffer.AsSpan(JournalStreamFormat.FrameHeaderSize), JournalStreamFormat.TargetFrameBytes)
                    : 0;
                if (length > 0 || first || sinceFrame.Elapsed >= HeartbeatInterval)
                {
                    JournalStreamFormat.WriteHeader(buffer, length > 0 ? JournalFrameKind.Records : JournalFrameKind.Heartbeat, length, upTo,
                        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
                    using var write = CancellationTokenSource.CreateLinkedTokenSource(ended.Token);
                    write.CancelAfter(TimeSpan.FromSeconds(writeTimeoutSeconds));
                    try
                    {
                        await http.Response.Body.WriteAsync(buffer.AsMemory(0, JournalStreamFormat.FrameHeaderSize + length), write.Token);
                        await http.Response.Body.FlushAsync(write.Token);
                    }
                    catch (OperationCanceledException) when (!ended.IsCancellationRequested)
                    {
                        http.Abort(); // a reader that takes nothing for that long holds a stream slot and buffers: let it go
                        return;
                    }
                    first = false;
                    sinceFrame.Restart();
                    if (length > 0) continue;
                }
                await Task.Delay(s_poll, ended.Token);
            }
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is JournalGoneException or JournalCorruptException)
        {
            http.Abort(); // the replica sees a cut stream and tries another source
        }
    }

    /// <summary>The journal streams open on this node.</summary>
    private sealed class JournalStreams
    {
        private int _open;

        public bool TryEnter(int max)
        {
            if (Interlocked.Increment(ref _open) <= max) return true;
            Interlocked.Decrement(ref _open);
            return false;
        }

        public void Exit() => Interlocked.Decrement(ref _open);
    }
}
