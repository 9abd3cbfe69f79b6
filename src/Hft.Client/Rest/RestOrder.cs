namespace Hft.Client.Rest;

/// <summary>
/// A new order as <c>POST /api/v1/orders</c> takes it. Prices and quantities are decimal text; side "buy" or "sell",
/// type "limit" or "market", tif "gtc" or "ioc".
/// </summary>
public sealed record RestOrder(string Symbol, string Side, string Type, string Tif, string Price, string Qty, string? ClientOrderId = null);
