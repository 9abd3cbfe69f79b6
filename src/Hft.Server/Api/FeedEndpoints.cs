using Hft.Feed;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Server.Api;

/// <summary><c>GET /api/v1/feed/status</c> (public): the reference price feed's source, connection and per-symbol freshness.</summary>
public static class FeedEndpoints
{
    public static void MapFeedEndpoints(this IEndpointRouteBuilder app)
        => app.MapGet("/api/v1/feed/status", (FeedStage feed) => Results.Json(feed.Status()));
}
