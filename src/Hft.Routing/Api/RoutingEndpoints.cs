using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hft.Routing.Api;

/// <summary>
/// The routes the gateway serves, and where each goes (see docs/ARCHITECTURE.md, "Scale-out"). Anything else is
/// 404 in the API's error shape; the WebSocket <c>/ws</c>, account admin and the binary/FIX gateways are not routed:
/// clients use their group's nodes directly for those.
/// </summary>
public static class RoutingEndpoints
{
    public static void MapRoutingEndpoints(this IEndpointRouteBuilder app, RouteHandlers h)
    {
        // Order entry: one group, its leader.
        app.MapPost("/api/v1/orders", h.PlaceOrder);
        app.MapMethods("/api/v1/orders/{id}", ["DELETE", "PATCH"], h.OrderById);
        app.MapDelete("/api/v1/orders", h.MassCancel);
        foreach (var action in new[] { "halt", "resume", "mark" }) app.MapPost($"/api/v1/admin/instruments/{{symbol}}/{action}", h.BySymbolToLeader);
        foreach (var action in new[] { "token", "refresh", "logout" }) app.MapPost($"/api/v1/auth/{action}", h.Auth);

        // The account's own state: every group's leader, merged.
        app.MapGet("/api/v1/orders", h.ListOrders);
        app.MapGet("/api/v1/positions", h.Positions);
        app.MapGet("/api/v1/account", h.Account);
        app.MapGet("/api/v1/trades", h.OwnTrades);

        // Public market data: any node of the symbol's group; the instrument list from every group.
        app.MapGet("/api/v1/book/{symbol}", h.MarketRead);
        app.MapGet("/api/v1/ticker/{symbol}", h.MarketRead);
        app.MapGet("/api/v1/trades/{symbol}", h.MarketRead);
        app.MapGet("/api/v1/instruments", h.Instruments);

        app.MapFallback((HttpContext http) =>
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return RouterError.WriteBare(http);
        });
    }
}
