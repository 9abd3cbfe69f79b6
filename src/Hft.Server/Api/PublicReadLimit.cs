using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Hft.Configuration;
using Microsoft.AspNetCore.Http;

namespace Hft.Server.Api;

/// <summary>
/// The public market-data reads (book, ticker, trades, instruments) take a snapshot on a shard thread or serialize a
/// large answer, and anyone can ask for them: each client address gets a token bucket of <c>[server] public_read_burst</c>
/// reads refilled at <c>public_reads_per_second</c>. Over it: 429 <c>rate_limited</c> with a Retry-After, before any
/// work is done, so a flood of reads cannot slow order entry. The host owns the limiter and disposes it with the app
/// (ASP.NET's rate-limiting middleware keeps its limiter's timer - and through it the whole app - alive after a stop).
/// </summary>
public sealed class PublicReadLimit : IDisposable
{
    private readonly ServerConfig _server;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public PublicReadLimit(ServerConfig server)
    {
        _server = server;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(http => RateLimitPartition.GetTokenBucketLimiter(ClientOf(http),
            _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = server.PublicReadBurst,
                TokensPerPeriod = server.PublicReadsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Endpoint filter of the public reads: a token from the caller's bucket, or 429.</summary>
    public async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = _limiter.AttemptAcquire(http);
        if (lease.IsAcquired) return await next(context);
        int seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await ApiError.Write(http, StatusCodes.Status429TooManyRequests, "rate_limited",
            $"more than {_server.PublicReadBurst} market-data reads at once or {_server.PublicReadsPerSecond} per second from this address; retry later");
        return Results.Empty;
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>The client's address (IPv4-mapped IPv6 as IPv4), the partition of its budget.</summary>
    private static string ClientOf(HttpContext http)
        => http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : IPAddress.None.ToString();
}
