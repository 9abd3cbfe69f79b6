using System.Globalization;
using System.Text.Json;
using Hft.Client.Rest;

namespace Hft.Tools.CrashTest;

/// <summary>One order as the recovered server lists it.</summary>
internal sealed record RecoveredOrder(long Id, string? ClientOrderId, string Account, string Side, string Status, decimal Qty,
    decimal Filled, decimal Remaining)
{
    public bool IsOpen => Status is "new" or "partially_filled";
}

/// <summary>One trade as an account's GET /trades lists it (trade ids hold within one server run only).</summary>
internal sealed record RecoveredFill(long TradeId, string Account, long OrderId, string Liquidity, decimal Price, decimal Qty);

/// <summary>What the restarted server shows: state hash, every order, fill and position of both accounts.</summary>
internal sealed class RecoveredState
{
    public string Hash { get; private set; } = "";
    public long JournalSequence { get; private set; }
    public Dictionary<long, RecoveredOrder> Orders { get; } = new();
    public List<RecoveredFill> Fills { get; } = new();
    public Dictionary<string, decimal> Positions { get; } = new();
    public Dictionary<string, int> OrderCounts { get; } = new();
    public Dictionary<string, int> FillCounts { get; } = new();

    public const int OrderLimit = 5000;
    public const int FillLimit = 1000;

    private static decimal Dec(JsonElement e, string name) => decimal.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Reads it all; null with a reason when the server did not answer as expected.</summary>
    /// <param name="admin">A client with an admin token (the state hash pauses the shards, so it needs one).</param>
    public static async Task<(RecoveredState? State, string? Problem)> ReadAsync(HftRestClient admin, IReadOnlyDictionary<string, HftRestClient> accounts)
    {
        var state = new RecoveredState();
        var hash = await admin.StateHashAsync();
        if (hash.Status != 200) return (null, $"GET /debug/state-hash: {hash.Status} {hash.Text}");
        state.Hash = hash.Str("hash");
        state.JournalSequence = hash.Body.GetProperty("journalSequence").GetInt64();
        foreach (var (account, api) in accounts)
        {
            var orders = await api.OrdersAsync("all", OrderLimit);
            if (orders.Status != 200) return (null, $"GET /orders as {account}: {orders.Status} {orders.Text}");
            int n = 0;
            foreach (var o in orders.Body.EnumerateArray())
            {
                n++;
                var order = new RecoveredOrder(o.GetProperty("id").GetInt64(), o.GetProperty("clientOrderId").GetString(), account,
                    o.GetProperty("side").GetString()!, o.GetProperty("status").GetString()!, Dec(o, "qty"), Dec(o, "filledQty"), Dec(o, "remainingQty"));
                state.Orders[order.Id] = order;
            }
            state.OrderCounts[account] = n;
            var trades = await api.TradesAsync(FillLimit);
            if (trades.Status != 200) return (null, $"GET /trades as {account}: {trades.Status} {trades.Text}");
            int t = 0;
            foreach (var f in trades.Body.EnumerateArray())
            {
                t++;
                state.Fills.Add(new RecoveredFill(f.GetProperty("tradeId").GetInt64(), account, f.GetProperty("orderId").GetInt64(),
                    f.GetProperty("liquidity").GetString()!, Dec(f, "price"), Dec(f, "qty")));
            }
            state.FillCounts[account] = t;
            var positions = await api.PositionsAsync();
            if (positions.Status != 200) return (null, $"GET /positions as {account}: {positions.Status} {positions.Text}");
            decimal qty = 0;
            foreach (var p in positions.Body.EnumerateArray())
                if (p.GetProperty("symbol").GetString() == "BTCUSD") qty = Dec(p, "qty");
            state.Positions[account] = qty;
        }
        return (state, null);
    }
}
