using System.Text;
using System.Text.Json;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;

namespace Hft.Server.Api;

/// <summary>A parsed order request: the command for the pipeline plus what only the gateway keeps.</summary>
public sealed record ParsedOrder(OrderCommand Command, string? ClientOrderId, Instrument Instrument);

/// <summary>
/// Reads the JSON of POST /orders and PATCH /orders/{id} with the replay format's field names, strictly: wrong
/// types, unknown fields, unknown enum values and malformed JSON are refused with a message naming the field, and
/// never reach the engine. Decimal text is converted to ticks and lots here (an off-grid price is a 400).
/// </summary>
public static class OrderRequestParser
{
    private static readonly HashSet<string> s_newFields =
        ["clientOrderId", "symbol", "side", "type", "tif", "price", "qty", "postOnly", "stp", "triggerPrice", "displayQty", "expireTime"];

    private static readonly HashSet<string> s_replaceFields = ["price", "qty", "triggerPrice"];

    /// <summary>Order type names in <see cref="OrderType"/> order (value = index + 1).</summary>
    public static readonly string[] TypeNames = ["limit", "market", "stop", "stop_limit", "take_profit", "take_profit_limit"];

    /// <summary>Time in force names in <see cref="TimeInForce"/> order (value = index + 1).</summary>
    public static readonly string[] TifNames = ["gtc", "ioc", "fok", "gtd"];

    public static bool TryParseNew(ReadOnlySpan<byte> body, InstrumentRegistry instruments, out ParsedOrder? order, out string code,
        out string error)
    {
        order = null;
        code = "invalid_request";
        if (!TryReadObject(body, s_newFields, out var fields, out error)) return false;

        string? clientOrderId = null;
        if (fields.TryGetValue("clientOrderId", out var cid))
        {
            if (cid.ValueKind != JsonValueKind.String) return Fail("clientOrderId must be a string", out error);
            clientOrderId = cid.GetString()!;
            if (!ClientOrderIdRule.IsValid(clientOrderId)) return Fail("clientOrderId must be " + ClientOrderIdRule.Description, out error);
        }
        if (!TryString(fields, "symbol", required: true, out var symbol, out error)) return false;
        if (!instruments.TryGet(symbol!, out var instrument))
        {
            code = RejectReason.UnknownSymbol.Name();
            error = $"unknown symbol '{symbol}'";
            return false;
        }
        if (!TryEnum(fields, "side", required: true, ["buy", "sell"], out int side, out error)) return false;
        if (!TryEnum(fields, "type", required: true, TypeNames, out int type, out error)) return false;
        if (!TryEnum(fields, "tif", required: false, TifNames, out int tif, out error)) return false;
        if (!TryEnum(fields, "stp", required: false, ["none", "cancel_taker", "cancel_maker", "cancel_both"], out int stp, out error)) return false;
        bool postOnly = false;
        if (fields.TryGetValue("postOnly", out var po))
        {
            if (po.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) return Fail("postOnly must be true or false", out error);
            postOnly = po.GetBoolean();
        }
        var cmd = new OrderCommand
        {
            Op = CommandOp.New,
            Instrument = instrument.Index,
            Side = side == 0 ? Side.Buy : Side.Sell,
            Type = (OrderType)(type + 1),
            Tif = tif < 0 ? TimeInForce.Gtc : (TimeInForce)(tif + 1),
            Stp = stp < 0 ? SelfTradePrevention.None : (SelfTradePrevention)stp,
            PostOnly = postOnly,
        };
        if (cmd.Type.HasLimitPrice())
        {
            if (!TryDecimal(fields, "price", required: true, out var price, out error)) return false;
            if (instrument.TryParsePrice(price, out cmd.Price) != RejectReason.None)
                return Reject(RejectReason.InvalidPrice, $"price '{Encoding.UTF8.GetString(price)}' is not a positive multiple of tick {instrument.Tick} within range", out code, out error);
            cmd.HasPrice = true;
        }
        else if (fields.ContainsKey("price"))
        {
            return Fail($"a {TypeNames[type]} order takes no price", out error);
        }
        if (!TryOrderTypeTerms(fields, instrument, ref cmd, out code, out error)) return false;
        if (!TryDecimal(fields, "qty", required: true, out var qty, out error)) return false;
        if (instrument.TryParseQuantity(qty, out cmd.Quantity) != RejectReason.None)
            return Reject(RejectReason.InvalidQty, $"qty '{Encoding.UTF8.GetString(qty)}' is not a positive multiple of lot {instrument.Lot} within range", out code, out error);
        var shape = MatchingEngine.ValidateNewOrder(in cmd); // the engine's own checks, before the order takes an id
        if (shape != RejectReason.None) return Reject(shape, ApiError.MessageOf(shape), out code, out error);
        order = new ParsedOrder(cmd, clientOrderId, instrument);
        return true;
    }

    /// <summary>PATCH body: <c>qty</c> (new remaining) and optionally <c>price</c>.</summary>
    public static bool TryParseReplace(ReadOnlySpan<byte> body, Instrument instrument, out OrderCommand cmd, out string code, out string error)
    {
        cmd = new OrderCommand { Op = CommandOp.Replace, Instrument = instrument.Index };
        code = "invalid_request";
        if (!TryReadObject(body, s_replaceFields, out var fields, out error)) return false;
        if (!TryDecimal(fields, "qty", required: true, out var qty, out error)) return false;
        if (instrument.TryParseQuantity(qty, out cmd.Quantity) != RejectReason.None)
            return Reject(RejectReason.InvalidQty, $"qty '{Encoding.UTF8.GetString(qty)}' is not a positive multiple of lot {instrument.Lot} within range", out code, out error);
        if (fields.ContainsKey("price"))
        {
            if (!TryDecimal(fields, "price", required: true, out var price, out error)) return false;
            if (instrument.TryParsePrice(price, out cmd.Price) != RejectReason.None)
                return Reject(RejectReason.InvalidPrice, $"price '{Encoding.UTF8.GetString(price)}' is not a positive multiple of tick {instrument.Tick} within range", out code, out error);
            cmd.HasPrice = true;
        }
        if (fields.ContainsKey("triggerPrice") && !TryTriggerPrice(fields, instrument, ref cmd, out code, out error)) return false;
        return true;
    }

    /// <summary>
    /// triggerPrice (stop / take-profit types), displayQty (iceberg) and expireTime (gtd, an RFC 3339 time in the
    /// future): on the tick / lot grid, converted at the edge. Combinations are the engine's (<see cref="MatchingEngine.ValidateNewOrder"/>).
    /// </summary>
    private static bool TryOrderTypeTerms(Dictionary<string, JsonElement> fields, Instrument instrument, ref OrderCommand cmd,
        out string code, out string error)
    {
        code = "invalid_request";
        error = "";
        if (cmd.Type.IsTriggered() && !fields.ContainsKey("triggerPrice"))
            return Reject(RejectReason.InvalidTriggerPrice, "a stop or take-profit order needs a triggerPrice", out code, out error);
        if (fields.ContainsKey("triggerPrice"))
        {
            if (!cmd.Type.IsTriggered())
                return Reject(RejectReason.InvalidTriggerPrice, "only stop and take-profit orders take a triggerPrice", out code, out error);
            if (!TryTriggerPrice(fields, instrument, ref cmd, out code, out error)) return false;
        }
        if (fields.ContainsKey("displayQty"))
        {
            if (!TryDecimal(fields, "displayQty", required: true, out var display, out error)) return false;
            if (instrument.TryParseQuantity(display, out cmd.DisplayQuantity) != RejectReason.None)
                return Reject(RejectReason.InvalidDisplayQty, $"displayQty '{Encoding.UTF8.GetString(display)}' is not a positive multiple of lot {instrument.Lot} within range", out code, out error);
        }
        if (cmd.Tif == TimeInForce.Gtd && !fields.ContainsKey("expireTime"))
            return Reject(RejectReason.InvalidExpireTime, "a gtd order needs an expireTime", out code, out error);
        if (fields.ContainsKey("expireTime"))
        {
            if (!TryString(fields, "expireTime", required: true, out var text, out error)) return false;
            if (!UnixTime.TryParseRfc3339(text, out cmd.ExpireTime))
                return Reject(RejectReason.InvalidExpireTime, $"expireTime '{text}' is not an RFC 3339 time", out code, out error);
            if (cmd.ExpireTime <= UnixTime.ToNanos(DateTimeOffset.UtcNow))
                return Reject(RejectReason.InvalidExpireTime, $"expireTime '{text}' is not in the future", out code, out error);
        }
        return true;
    }

    private static bool TryTriggerPrice(Dictionary<string, JsonElement> fields, Instrument instrument, ref OrderCommand cmd, out string code,
        out string error)
    {
        code = "invalid_request";
        if (!TryDecimal(fields, "triggerPrice", required: true, out var trigger, out error)) return false;
        if (instrument.TryParsePrice(trigger, out cmd.TriggerPrice) != RejectReason.None)
            return Reject(RejectReason.InvalidTriggerPrice, $"triggerPrice '{Encoding.UTF8.GetString(trigger)}' is not a positive multiple of tick {instrument.Tick} within range", out code, out error);
        return true;
    }

    private static bool TryReadObject(ReadOnlySpan<byte> body, HashSet<string> allowed, out Dictionary<string, JsonElement> fields, out string error)
        => StrictJsonObject.TryRead(body, allowed, out fields, out _, out error);

    private static bool TryString(Dictionary<string, JsonElement> fields, string name, bool required, out string? value, out string error)
    {
        value = null;
        error = "";
        if (!fields.TryGetValue(name, out var e)) return !required || Fail($"missing field '{name}'", out error);
        if (e.ValueKind != JsonValueKind.String) return Fail($"{name} must be a string", out error);
        value = e.GetString();
        return true;
    }

    private static bool TryEnum(Dictionary<string, JsonElement> fields, string name, bool required, string[] values, out int index, out string error)
    {
        index = -1;
        if (!TryString(fields, name, required, out var text, out error)) return false;
        if (text is null) return true;
        index = Array.IndexOf(values, text);
        return index >= 0 || Fail($"{name} must be one of {string.Join(", ", values)}, got '{text}'", out error);
    }

    /// <summary>A decimal is a JSON string ("0.5") or number (0.5), taken by its exact text.</summary>
    private static bool TryDecimal(Dictionary<string, JsonElement> fields, string name, bool required, out byte[] text, out string error)
    {
        text = [];
        error = "";
        if (!fields.TryGetValue(name, out var e)) return !required || Fail($"missing field '{name}'", out error);
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                text = Encoding.UTF8.GetBytes(e.GetString()!);
                return true;
            case JsonValueKind.Number:
                text = Encoding.UTF8.GetBytes(e.GetRawText());
                return true;
            default:
                return Fail($"{name} must be a decimal string", out error);
        }
    }

    private static bool Reject(RejectReason reason, string message, out string code, out string error)
    {
        code = reason.Name();
        error = message;
        return false;
    }

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
