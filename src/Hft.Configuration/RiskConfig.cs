namespace Hft.Configuration;

/// <summary>Default limits for accounts that do not set their own (decimal text; null = unlimited).</summary>
public sealed record RiskConfig
{
    public string? Credit { get; init; }
    public string? MaxOrderQty { get; init; }
    public string? MaxOrderNotional { get; init; }
    public string? MaxPosition { get; init; }
    public int? MaxOpenOrders { get; init; }
    public string MakerFeeBps { get; init; } = "0";
    public string TakerFeeBps { get; init; } = "0";

    internal static RiskConfig Bind(SectionReader r, RiskConfig defaults) => new()
    {
        Credit = r.Decimal("credit", defaults.Credit),
        MaxOrderQty = r.Decimal("max_order_qty", defaults.MaxOrderQty),
        MaxOrderNotional = r.Decimal("max_order_notional", defaults.MaxOrderNotional),
        MaxPosition = r.Decimal("max_position", defaults.MaxPosition),
        MaxOpenOrders = r.IntOrNull("max_open_orders", defaults.MaxOpenOrders, 1, 10_000_000),
        MakerFeeBps = r.Decimal("maker_fee_bps", defaults.MakerFeeBps) ?? "0",
        TakerFeeBps = r.Decimal("taker_fee_bps", defaults.TakerFeeBps) ?? "0",
    };

    internal void Validate(BindContext ctx)
        => ValidateLimits(Credit, MaxOrderQty, MaxOrderNotional, MaxPosition, MakerFeeBps, TakerFeeBps, "risk", ctx);

    /// <summary>The ranges of the limits and fees that [risk] sets by default and [[accounts]] per account.</summary>
    internal static void ValidateLimits(string? credit, string? maxOrderQty, string? maxOrderNotional, string? maxPosition,
        string? makerFeeBps, string? takerFeeBps, string section, BindContext ctx)
    {
        if (credit is not null) DecimalChecks.RequireRange(credit, section, "credit", "0", true, null, ctx);
        if (maxOrderQty is not null) DecimalChecks.RequireRange(maxOrderQty, section, "max_order_qty", "0", false, null, ctx);
        if (maxOrderNotional is not null) DecimalChecks.RequireRange(maxOrderNotional, section, "max_order_notional", "0", false, null, ctx);
        if (maxPosition is not null) DecimalChecks.RequireRange(maxPosition, section, "max_position", "0", false, null, ctx);
        if (makerFeeBps is not null) DecimalChecks.RequireRange(makerFeeBps, section, "maker_fee_bps", "-100", true, "1000", ctx);
        if (takerFeeBps is not null) DecimalChecks.RequireRange(takerFeeBps, section, "taker_fee_bps", "-100", true, "1000", ctx);
    }
}
