using System.Text.RegularExpressions;

namespace Hft.Configuration;

public sealed partial record AccountConfig
{
    public string Id { get; init; } = "";
    public bool Enabled { get; init; } = true;
    public string? Credit { get; init; }
    public string? MaxOrderQty { get; init; }
    public string? MaxOrderNotional { get; init; }
    public string? MaxPosition { get; init; }
    public int? MaxOpenOrders { get; init; }
    public string? MakerFeeBps { get; init; }
    public string? TakerFeeBps { get; init; }

    /// <summary>Per-account REST request limit (requests/s); 0 = unlimited.</summary>
    public int RequestsPerSecond { get; init; } = 1000;

    /// <summary>Entitled to the order-by-order WebSocket channel <c>level3</c> (admins always are).</summary>
    public bool MarketDataLevel3 { get; init; }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")]
    private static partial Regex IdPattern();

    /// <summary>One [[accounts]] entry; limits it leaves out fall back to [risk].</summary>
    internal static AccountConfig Bind(SectionReader r)
    {
        var defaults = new AccountConfig();
        var id = r.String("id", "", required: true);
        r.AddEnvAlias(id);
        return new AccountConfig
        {
            Id = id,
            Enabled = r.Bool("enabled", defaults.Enabled),
            Credit = r.Decimal("credit", null),
            MaxOrderQty = r.Decimal("max_order_qty", null),
            MaxOrderNotional = r.Decimal("max_order_notional", null),
            MaxPosition = r.Decimal("max_position", null),
            MaxOpenOrders = r.IntOrNull("max_open_orders", null, 1, 10_000_000),
            MakerFeeBps = r.Decimal("maker_fee_bps", null),
            TakerFeeBps = r.Decimal("taker_fee_bps", null),
            RequestsPerSecond = r.Int("requests_per_second", defaults.RequestsPerSecond, 0, 1_000_000),
            MarketDataLevel3 = r.Bool("market_data_level3", defaults.MarketDataLevel3),
        };
    }

    /// <summary>Every [[accounts]] entry: ids well-formed and unique (ignoring case), limits in range.</summary>
    internal static void ValidateAll(IReadOnlyList<AccountConfig> accounts, BindContext ctx)
    {
        var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < accounts.Count; i++)
        {
            var a = accounts[i];
            var section = $"accounts[{i}]";
            if (!IdPattern().IsMatch(a.Id))
                throw ctx.Error(section, "id", $"must be 1-32 letters, digits, '_' or '-', got \"{a.Id}\"");
            if (ids.TryGetValue(a.Id, out int first))
                throw ctx.Error(section, "id", $"duplicate account id \"{a.Id}\" (already defined by accounts[{first}])");
            ids[a.Id] = i;
            RiskConfig.ValidateLimits(a.Credit, a.MaxOrderQty, a.MaxOrderNotional, a.MaxPosition, a.MakerFeeBps, a.TakerFeeBps, section, ctx);
        }
    }
}
