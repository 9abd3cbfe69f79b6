using System.Text;
using System.Text.Json;
using Hft.Core.Numerics;
using Hft.Risk;

namespace Hft.Server.Api;

/// <summary>
/// A change of an account's limits (PUT /api/v1/admin/accounts/{account}/limits): only the fields given change,
/// <c>null</c> removes a limit (fees cannot be removed, only set).
/// </summary>
public sealed class LimitsUpdate
{
    public (bool Set, Amount? Value) Credit;
    public (bool Set, Amount? Value) MaxOrderQty;
    public (bool Set, Amount? Value) MaxOrderNotional;
    public (bool Set, Amount? Value) MaxPosition;
    public (bool Set, int? Value) MaxOpenOrders;
    public (bool Set, Amount Value) MakerFeeBps;
    public (bool Set, Amount Value) TakerFeeBps;

    /// <summary>The fields given, as <c>name=value</c> (for the audit trail).</summary>
    public List<string> Changes { get; } = new();

    public AccountLimits ApplyTo(AccountLimits limits) => limits with
    {
        Credit = Credit.Set ? Credit.Value : limits.Credit,
        MaxOrderQty = MaxOrderQty.Set ? MaxOrderQty.Value : limits.MaxOrderQty,
        MaxOrderNotional = MaxOrderNotional.Set ? MaxOrderNotional.Value : limits.MaxOrderNotional,
        MaxPosition = MaxPosition.Set ? MaxPosition.Value : limits.MaxPosition,
        MaxOpenOrders = MaxOpenOrders.Set ? MaxOpenOrders.Value : limits.MaxOpenOrders,
        MakerFeeBps = MakerFeeBps.Set ? MakerFeeBps.Value : limits.MakerFeeBps,
        TakerFeeBps = TakerFeeBps.Set ? TakerFeeBps.Value : limits.TakerFeeBps,
    };
}

/// <summary>
/// Reads the limits JSON strictly, with the replay format's field names and rules (docs/RISK.md): limits are
/// non-negative decimals (JSON string or number, taken by its exact text) or <c>null</c>; <c>maxOpenOrders</c> a
/// non-negative integer or <c>null</c>; fees decimals in [-10000, 10000] bps with at most 6 decimals. Unknown or
/// repeated fields, wrong types and malformed JSON are refused with a message naming the field.
/// </summary>
public static class LimitsRequestParser
{
    private static readonly HashSet<string> s_fields =
        ["credit", "maxOrderQty", "maxOrderNotional", "maxPosition", "maxOpenOrders", "makerFeeBps", "takerFeeBps"];

    private static readonly Amount s_maxFeeBps = new(10_000 * Amount.One);

    public static bool TryParse(ReadOnlySpan<byte> body, out LimitsUpdate update, out string error)
    {
        update = new LimitsUpdate();
        if (!StrictJsonObject.TryRead(body, s_fields, out var fields, out var order, out error)) return false;
        foreach (var name in order)
        {
            var value = fields[name];
            if (!TryField(name, value, update, out error)) return false;
            update.Changes.Add($"{name}={(value.ValueKind == JsonValueKind.Null ? "null" : value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}");
        }
        return true;
    }

    private static bool TryField(string name, JsonElement value, LimitsUpdate update, out string error)
    {
        error = "";
        if (name == "maxOpenOrders")
        {
            if (value.ValueKind == JsonValueKind.Null)
            {
                update.MaxOpenOrders = (true, null);
                return true;
            }
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int n) || n < 0)
                return Fail($"field 'maxOpenOrders' must be a non-negative integer or null, got {value.GetRawText()}", out error);
            update.MaxOpenOrders = (true, n);
            return true;
        }

        bool fee = name is "makerFeeBps" or "takerFeeBps";
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (fee) return Fail($"field '{name}' must be a decimal (a fee cannot be removed)", out error);
            Assign(name, null, update);
            return true;
        }
        string text;
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                break;
            case JsonValueKind.Number:
                text = value.GetRawText();
                break;
            default:
                return Fail($"field '{name}' must be a decimal string{(fee ? "" : " or null")}, got {value.GetRawText()}", out error);
        }
        if (!Amount.TryParse(Encoding.UTF8.GetBytes(text), out var amount) || (!fee && amount < Amount.Zero))
            return Fail($"field '{name}' must be a {(fee ? "" : "non-negative ")}decimal, got '{text}'", out error);
        if (fee && (amount.Abs() > s_maxFeeBps || amount.Raw % 1_000_000_000_000 != 0))
            return Fail($"field '{name}' must lie in [-10000, 10000] with at most 6 decimals, got '{text}'", out error);
        Assign(name, amount, update);
        return true;
    }

    private static void Assign(string name, Amount? value, LimitsUpdate update)
    {
        switch (name)
        {
            case "credit": update.Credit = (true, value); break;
            case "maxOrderQty": update.MaxOrderQty = (true, value); break;
            case "maxOrderNotional": update.MaxOrderNotional = (true, value); break;
            case "maxPosition": update.MaxPosition = (true, value); break;
            case "makerFeeBps": update.MakerFeeBps = (true, value!.Value); break;
            case "takerFeeBps": update.TakerFeeBps = (true, value!.Value); break;
        }
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
