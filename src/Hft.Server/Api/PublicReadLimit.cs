using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Hft.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Api;

/// <summary>
/// The public market-data reads (book, ticker, trades, instruments) take a snapshot on a shard thread or serialize a
/// large answer, and anyone can ask for them: each client address gets a token bucket of <c>[server] public_read_burst</c>
/// reads refilled at <c>public_reads_per_second</c> (ASP.NET Core's rate limiter). Over it: 429 <c>rate_limited</c>
/// with a Retry-After, before any work is done, so a flood of reads cannot slow order entry.
/// </summary>
public static class PublicReadLimit
{
    public const string Policy = "public-reads";

    public static IServiceCollection AddPublicReadLimit(this IServiceCollection services, ServerConfig server)
        => services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, http => RateLimitPartition.GetTokenBucketLimiter(ClientOf(http), _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = server.PublicReadBurst,
                TokensPerPeriod = server.PublicReadsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            o.OnRejected = (context, _) =>
            {
                int seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiError.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limited",
                    $"more than {server.PublicReadBurst} market-data reads at once or {server.PublicReadsPerSecond} per second from this address; retry later"));
            };
        });

    /// <summary>The client's address (IPv4-mapped IPv6 as IPv4), the partition of its budget.</summary>
    private static string ClientOf(HttpContext http)
        => http.Connection.RemoteIpAddress is { } ip ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString() : IPAddress.None.ToString();
}
