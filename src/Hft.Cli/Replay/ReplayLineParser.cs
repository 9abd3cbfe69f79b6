using System.Text;
using System.Text.Json;
using Hft.Core.Events;
using Hft.Core.Instruments;
using Hft.Core.Matching;
using Hft.Core.Numerics;
using Hft.Core.Orders;

namespace Hft.Cli.Replay;

/// <summary>
/// Turns one JSON line of the replay format into an <see cref="OrderCommand"/> (or an instrument definition).
/// Decimal prices and quantities are converted to ticks and lots here, at the edge. A line that is not a
/// well-formed command fails with a reason; a well-formed order that the engine must refuse (unknown symbol,
/// off-grid price, ...) parses fine and carries the reason in <see cref="OrderCommand.EdgeReject"/>.
/// Unknown fields are ignored so that files may carry annotations.
/// <para>The parser keeps the replay clock: a line's <c>time</c> (RFC 3339 or Unix nanoseconds) moves it forward, never
/// back; a good-till-date order's expire time must lie after it, as the server requires of its own clock.</para>
/// </summary>
public sealed class ReplayLineParser
{
    private readonly InstrumentRegistry _instruments;
    private readonly AccountDirectory _accounts;
    private readonly char[] _chars = new char[AccountDirectory.MaxNameLength * 4];

    public ReplayLineParser(InstrumentRegistry instruments, AccountDirectory accounts)
    {
        _instruments = instruments;
        _accounts = accounts;
    }

    private enum Op : byte { None, Instrument, New, Cancel, Replace, Account, Mark, Halt, Resume, Time }

    // Field presence bits.
    private const int FId = 1, FAccount = 2, FSymbol = 4, FSide = 8, FType = 16, FTif = 32, FPrice = 64, FQty = 128,
        FTick = 256, FLot = 512, FTrigger = 1024, FDisplay = 2048, FExpire = 4096;

    /// <summary>The replay clock in Unix nanoseconds: the latest <c>time</c> a line gave (0 before any).</summary>
    public long Clock { get; private set; }

    /// <summary>Parses one line (without its newline). Returns false with a reason when it is malformed.</summary>
    public bool TryParse(ReadOnlySpan<byte> line, out ReplayLine result, out string? error)
    {
        result = default;
        error = null;
        if (IsBlank(line)) return true;

        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 4 });
        int seen = 0;
        Op op = Op.None;
        long id = 0;
        var side = Side.Buy;
        var type = OrderType.Limit;
        var tif = TimeInForce.Gtc;
        var stp = SelfTradePrevention.None;
        bool postOnly = false;
        int account = 0;
        ReadOnlySpan<byte> symbol = default, price = default, qty = default, tick = default, lot = default, trigger = default,
            display = default;
        long expireTime = 0, time = 0;
        bool symbolEscaped = false;
        var update = new AccountUpdate();
        Amount? bandPct = null;
        string? symbolText = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Fail("expected a JSON object", out error);
            while (true)
            {
                if (!reader.Read()) return Fail("unterminated JSON object", out error);
                if (reader.TokenType == JsonTokenType.EndObject) break;
                if (reader.TokenType != JsonTokenType.PropertyName) return Fail("expected a field name", out error);
                var name = reader.ValueSpan;
                bool nameEscaped = reader.ValueIsEscaped;
                if (!reader.Read()) return Fail("unterminated JSON object", out error);
                if (nameEscaped) name = Encoding.UTF8.GetBytes(reader.GetString() ?? "");

                if (name.SequenceEqual("op"u8))
                {
                    if (!TryString(ref reader, "op", out var v, out error)) return false;
                    op = v.SequenceEqual("new"u8) ? Op.New
                        : v.SequenceEqual("cancel"u8) ? Op.Cancel
                        : v.SequenceEqual("replace"u8) ? Op.Replace
                        : v.SequenceEqual("instrument"u8) ? Op.Instrument
                        : v.SequenceEqual("account"u8) ? Op.Account
                        : v.SequenceEqual("mark"u8) ? Op.Mark
                        : v.SequenceEqual("halt"u8) ? Op.Halt
                        : v.SequenceEqual("resume"u8) ? Op.Resume
                        : v.SequenceEqual("time"u8) ? Op.Time
                        : Op.None;
                    if (op == Op.None) return Fail($"unknown op '{Encoding.UTF8.GetString(v)}'", out error);
                }
                else if (name.SequenceEqual("id"u8))
                {
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out id))
                        return Fail("field 'id' must be an integer", out error);
                    seen |= FId;
                }
                else if (name.SequenceEqual("account"u8))
                {
                    if (reader.TokenType != JsonTokenType.String) return Fail("field 'account' must be a string", out error);
                    int n = reader.CopyString(_chars.AsSpan());
                    if (n == 0 || n > AccountDirectory.MaxNameLength)
                        return Fail($"field 'account' must have 1 to {AccountDirectory.MaxNameLength} characters", out error);
                    account = _accounts.Intern(_chars.AsSpan(0, n));
                    seen |= FAccount;
                }
                else if (name.SequenceEqual("symbol"u8))
                {
                    if (reader.TokenType != JsonTokenType.String) return Fail("field 'symbol' must be a string", out error);
                    symbol = reader.ValueSpan;
                    symbolEscaped = reader.ValueIsEscaped;
                    if (symbolEscaped) symbolText = reader.GetString();
                    seen |= FSymbol;
                }
                else if (name.SequenceEqual("side"u8))
                {
                    if (!TryString(ref reader, "side", out var v, out error)) return false;
                    if (v.SequenceEqual("buy"u8)) side = Side.Buy;
                    else if (v.SequenceEqual("sell"u8)) side = Side.Sell;
                    else return Fail($"invalid side '{Encoding.UTF8.GetString(v)}' (buy or sell)", out error);
                    seen |= FSide;
                }
                else if (name.SequenceEqual("type"u8))
                {
                    if (!TryString(ref reader, "type", out var v, out error)) return false;
                    if (v.SequenceEqual("limit"u8)) type = OrderType.Limit;
                    else if (v.SequenceEqual("market"u8)) type = OrderType.Market;
                    else if (v.SequenceEqual("stop"u8)) type = OrderType.Stop;
                    else if (v.SequenceEqual("stop_limit"u8)) type = OrderType.StopLimit;
                    else if (v.SequenceEqual("take_profit"u8)) type = OrderType.TakeProfit;
                    else if (v.SequenceEqual("take_profit_limit"u8)) type = OrderType.TakeProfitLimit;
                    else return Fail($"invalid type '{Encoding.UTF8.GetString(v)}' (limit, market, stop, stop_limit, take_profit or take_profit_limit)", out error);
                    seen |= FType;
                }
                else if (name.SequenceEqual("tif"u8))
                {
                    if (!TryString(ref reader, "tif", out var v, out error)) return false;
                    if (v.SequenceEqual("gtc"u8)) tif = TimeInForce.Gtc;
                    else if (v.SequenceEqual("ioc"u8)) tif = TimeInForce.Ioc;
                    else if (v.SequenceEqual("fok"u8)) tif = TimeInForce.Fok;
                    else if (v.SequenceEqual("gtd"u8)) tif = TimeInForce.Gtd;
                    else return Fail($"invalid tif '{Encoding.UTF8.GetString(v)}' (gtc, ioc, fok or gtd)", out error);
                    seen |= FTif;
                }
                else if (name.SequenceEqual("stp"u8))
                {
                    if (!TryString(ref reader, "stp", out var v, out error)) return false;
                    if (v.SequenceEqual("none"u8)) stp = SelfTradePrevention.None;
                    else if (v.SequenceEqual("cancel_taker"u8)) stp = SelfTradePrevention.CancelTaker;
                    else if (v.SequenceEqual("cancel_maker"u8)) stp = SelfTradePrevention.CancelMaker;
                    else if (v.SequenceEqual("cancel_both"u8)) stp = SelfTradePrevention.CancelBoth;
                    else return Fail($"invalid stp '{Encoding.UTF8.GetString(v)}' (none, cancel_taker, cancel_maker or cancel_both)", out error);
                }
                else if (name.SequenceEqual("postOnly"u8))
                {
                    if (reader.TokenType is JsonTokenType.True) postOnly = true;
                    else if (reader.TokenType is JsonTokenType.False) postOnly = false;
                    else return Fail("field 'postOnly' must be true or false", out error);
                }
                else if (name.SequenceEqual("price"u8))
                {
                    if (!TryDecimal(ref reader, "price", out price, out error)) return false;
                    if (reader.TokenType != JsonTokenType.Null) seen |= FPrice;
                }
                else if (name.SequenceEqual("qty"u8))
                {
                    if (!TryDecimal(ref reader, "qty", out qty, out error)) return false;
                    if (reader.TokenType != JsonTokenType.Null) seen |= FQty;
                }
                else if (name.SequenceEqual("triggerPrice"u8) || name.SequenceEqual("stopPrice"u8))
                {
                    if (!TryDecimal(ref reader, "triggerPrice", out trigger, out error)) return false;
                    if (reader.TokenType != JsonTokenType.Null) seen |= FTrigger;
                }
                else if (name.SequenceEqual("displayQty"u8))
                {
                    if (!TryDecimal(ref reader, "displayQty", out display, out error)) return false;
                    if (reader.TokenType != JsonTokenType.Null) seen |= FDisplay;
                }
                else if (name.SequenceEqual("expireTime"u8))
                {
                    if (!TryTime(ref reader, "expireTime", out expireTime, out error)) return false;
                    seen |= FExpire;
                }
                else if (name.SequenceEqual("time"u8))
                {
                    if (!TryTime(ref reader, "time", out time, out error)) return false;
                    if (time < Clock) return Fail($"field 'time' goes back: {time} ns is before the replay clock's {Clock} ns", out error);
                }
                else if (name.SequenceEqual("tick"u8))
                {
                    if (!TryDecimal(ref reader, "tick", out tick, out error)) return false;
                    seen |= FTick;
                }
                else if (name.SequenceEqual("lot"u8))
                {
                    if (!TryDecimal(ref reader, "lot", out lot, out error)) return false;
                    seen |= FLot;
                }
                else if (name.SequenceEqual("enabled"u8))
                {
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                        return Fail("field 'enabled' must be true or false", out error);
                    update.Enabled = reader.TokenType == JsonTokenType.True;
                }
                else if (name.SequenceEqual("maxOpenOrders"u8))
                {
                    if (reader.TokenType == JsonTokenType.Null) update.MaxOpenOrders = new(true, null);
                    else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int maxOpen) && maxOpen >= 0)
                        update.MaxOpenOrders = new(true, maxOpen);
                    else return Fail("field 'maxOpenOrders' must be a non-negative integer or null", out error);
                }
                else if (AmountField(name) is { } amountField)
                {
                    if (!TryDecimal(ref reader, amountField, out var text, out error)) return false;
                    if (!TryReadAmount(amountField, text, reader.TokenType == JsonTokenType.Null, ref update, ref bandPct, out error)) return false;
                }
                else
                {
                    reader.Skip(); // annotations and fields of later versions
                }
            }
            if (reader.Read()) return Fail("unexpected content after the JSON object", out error);
        }
        catch (JsonException e)
        {
            return Fail($"bad JSON: {FirstSentence(e.Message)}", out error);
        }

        if (op == Op.None) return Fail("missing field 'op'", out error);
        if (time > 0) Clock = time;
        result.Time = time;
        if (op == Op.Time)
        {
            if (time == 0) return Fail("missing field 'time'", out error);
            result.Kind = ReplayLineKind.Time;
            return true;
        }
        if (op == Op.Account)
        {
            if ((seen & FAccount) == 0) return Fail("missing field 'account'", out error);
            update.AccountId = account;
            result.Kind = ReplayLineKind.Account;
            result.Account = update;
            return true;
        }
        if ((seen & FSymbol) == 0) return Fail("missing field 'symbol'", out error);
        if (op is Op.Mark or Op.Halt or Op.Resume)
        {
            if (!TryFindInstrument(symbol, symbolText, out var target))
                return Fail($"unknown symbol '{symbolText ?? Encoding.UTF8.GetString(symbol)}'", out error);
            result.InstrumentIndex = target.Index;
            result.Kind = op == Op.Mark ? ReplayLineKind.Mark : op == Op.Halt ? ReplayLineKind.Halt : ReplayLineKind.Resume;
            if (op != Op.Mark) return true;
            if ((seen & FPrice) == 0) return Fail("missing field 'price'", out error);
            if (target.TryParsePrice(price, out result.Price) != RejectReason.None)
                return Fail($"invalid mark price '{Encoding.UTF8.GetString(price)}' for {target.Symbol}", out error);
            return true;
        }

        if (op == Op.Instrument)
        {
            symbolText ??= Encoding.UTF8.GetString(symbol);
            if ((seen & FTick) == 0) return Fail("missing field 'tick'", out error);
            if ((seen & FLot) == 0) return Fail("missing field 'lot'", out error);
            if (!ScaledUnit.TryParse(tick, out var tickUnit, out var tickError)) return Fail($"invalid tick '{Encoding.UTF8.GetString(tick)}': {tickError}", out error);
            if (!ScaledUnit.TryParse(lot, out var lotUnit, out var lotError)) return Fail($"invalid lot '{Encoding.UTF8.GetString(lot)}': {lotError}", out error);
            if (!_instruments.TryAdd(symbolText, tickUnit, lotUnit, out var instrument, out var addError)) return Fail(addError!, out error);
            result.Kind = ReplayLineKind.Instrument;
            result.InstrumentIndex = instrument.Index;
            result.PriceBandPct = bandPct;
            return true;
        }

        if ((seen & FId) == 0) return Fail("missing field 'id'", out error);
        if ((seen & FAccount) == 0) return Fail("missing field 'account'", out error);
        ref var cmd = ref result.Command;
        result.Kind = ReplayLineKind.Command;
        cmd.OrderId = id;
        cmd.Account = account;
        bool known = TryFindInstrument(symbol, symbolText, out var inst);
        cmd.Instrument = known ? inst.Index : -1;
        if (!known) cmd.EdgeReject = RejectReason.UnknownSymbol;

        switch (op)
        {
            case Op.New:
                if ((seen & FSide) == 0) return Fail("missing field 'side'", out error);
                if ((seen & FType) == 0) return Fail("missing field 'type'", out error);
                if ((seen & FQty) == 0) return Fail("missing field 'qty'", out error);
                if (type.HasLimitPrice() && (seen & FPrice) == 0) return Fail("missing field 'price' (required for a limit order)", out error);
                cmd.Op = CommandOp.New;
                cmd.Side = side;
                cmd.Type = type;
                cmd.Tif = tif;
                cmd.Stp = stp;
                cmd.PostOnly = postOnly;
                if (known)
                {
                    // Market-priced orders carry no price; a price given with one is ignored.
                    if (type.HasLimitPrice()) KeepFirstReject(inst.TryParsePrice(price, out cmd.Price), ref cmd);
                    cmd.HasPrice = type.HasLimitPrice();
                    KeepFirstReject(inst.TryParseQuantity(qty, out cmd.Quantity), ref cmd);
                    ReadTerms(inst, seen, trigger, display, ref cmd);
                    cmd.ExpireTime = expireTime;
                    // As the server: an expire time must lie after the clock (the replay clock here).
                    if ((seen & FExpire) != 0 && expireTime <= Clock) KeepFirstReject(RejectReason.InvalidExpireTime, ref cmd);
                }
                return true;
            case Op.Cancel:
                cmd.Op = CommandOp.Cancel;
                return true;
            default:
                if ((seen & (FPrice | FQty)) == 0) return Fail("a replace needs 'qty' and/or 'price'", out error);
                if ((seen & FQty) == 0) return Fail("missing field 'qty'", out error);
                cmd.Op = CommandOp.Replace;
                if (known)
                {
                    cmd.HasPrice = (seen & FPrice) != 0;
                    if (cmd.HasPrice) KeepFirstReject(inst.TryParsePrice(price, out cmd.Price), ref cmd);
                    KeepFirstReject(inst.TryParseQuantity(qty, out cmd.Quantity), ref cmd);
                    ReadTerms(inst, seen & FTrigger, trigger, default, ref cmd);
                }
                return true;
        }
    }

    /// <summary>Looks the symbol up without allocating a string (symbols are at most 32 characters).</summary>
    private bool TryFindInstrument(ReadOnlySpan<byte> utf8, string? text, out Instrument instrument)
    {
        if (text is not null) return _instruments.TryGet(text, out instrument);
        instrument = null!;
        if (utf8.Length > _chars.Length) return false;
        int n = Encoding.UTF8.GetChars(utf8, _chars);
        return _instruments.TryGet(_chars.AsSpan(0, n), out instrument);
    }

    /// <summary>Trigger price and display quantity, when given, on the instrument's grid (off it: the order's reject reason).</summary>
    private static void ReadTerms(Instrument inst, int seen, ReadOnlySpan<byte> trigger, ReadOnlySpan<byte> display, ref OrderCommand cmd)
    {
        if ((seen & FTrigger) != 0 && inst.TryParsePrice(trigger, out cmd.TriggerPrice) != RejectReason.None)
            KeepFirstReject(RejectReason.InvalidTriggerPrice, ref cmd);
        if ((seen & FDisplay) != 0 && inst.TryParseQuantity(display, out cmd.DisplayQuantity) != RejectReason.None)
            KeepFirstReject(RejectReason.InvalidDisplayQty, ref cmd);
    }

    private static void KeepFirstReject(RejectReason reason, ref OrderCommand cmd)
    {
        if (reason != RejectReason.None && cmd.EdgeReject == RejectReason.None) cmd.EdgeReject = reason;
    }

    private static string? AmountField(ReadOnlySpan<byte> name)
        => name.SequenceEqual("credit"u8) ? "credit"
            : name.SequenceEqual("maxOrderQty"u8) ? "maxOrderQty"
            : name.SequenceEqual("maxOrderNotional"u8) ? "maxOrderNotional"
            : name.SequenceEqual("maxPosition"u8) ? "maxPosition"
            : name.SequenceEqual("makerFeeBps"u8) ? "makerFeeBps"
            : name.SequenceEqual("takerFeeBps"u8) ? "takerFeeBps"
            : name.SequenceEqual("priceBandPct"u8) ? "priceBandPct"
            : null;

    /// <summary>Limits and band: non-negative decimals (null = none); fees: decimals in [-10000, 10000] bps with at most 6 decimals.</summary>
    private static bool TryReadAmount(string field, ReadOnlySpan<byte> text, bool isNull, ref AccountUpdate update, ref Amount? bandPct,
        out string? error)
    {
        error = null;
        bool fee = field is "makerFeeBps" or "takerFeeBps";
        Amount value = default;
        if (isNull)
        {
            if (fee) return Fail($"field '{field}' must be a decimal", out error);
        }
        else if (!Amount.TryParse(text, out value) || (!fee && value < Amount.Zero))
        {
            return Fail($"field '{field}' must be a {(fee ? "" : "non-negative ")}decimal, got '{Encoding.UTF8.GetString(text)}'", out error);
        }
        if (fee && (value.Abs() > new Amount(10_000 * Amount.One) || value.Raw % 1_000_000_000_000 != 0))
            return Fail($"field '{field}' must lie in [-10000, 10000] with at most 6 decimals", out error);
        Amount? limit = isNull ? null : value;
        switch (field)
        {
            case "credit": update.Credit = new(true, limit); break;
            case "maxOrderQty": update.MaxOrderQty = new(true, limit); break;
            case "maxOrderNotional": update.MaxOrderNotional = new(true, limit); break;
            case "maxPosition": update.MaxPosition = new(true, limit); break;
            case "makerFeeBps": update.MakerFeeBps = new(true, value); break;
            case "takerFeeBps": update.TakerFeeBps = new(true, value); break;
            case "priceBandPct":
                if (!isNull && (value.Raw == 0 || value > new Amount(100 * Amount.One)))
                    return Fail("field 'priceBandPct' must lie in (0, 100]", out error);
                bandPct = limit;
                break;
        }
        return true;
    }

    private static bool TryString(scoped ref Utf8JsonReader reader, string field, out ReadOnlySpan<byte> value, out string? error)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            value = default;
            return Fail($"field '{field}' must be a string", out error);
        }
        value = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString() ?? "") : reader.ValueSpan;
        error = null;
        return true;
    }

    /// <summary>A decimal field may be a JSON string ("0.01") or a JSON number (0.01); its text is kept exactly.</summary>
    private static bool TryDecimal(scoped ref Utf8JsonReader reader, string field, out ReadOnlySpan<byte> value, out string? error)
    {
        error = null;
        value = default;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString() ?? "") : reader.ValueSpan;
                return true;
            case JsonTokenType.Number:
                value = reader.ValueSpan;
                return true;
            case JsonTokenType.Null:
                return true;
            default:
                return Fail($"field '{field}' must be a decimal string or number", out error);
        }
    }

    /// <summary>A time: an RFC 3339 string or a positive integer of Unix nanoseconds.</summary>
    private static bool TryTime(scoped ref Utf8JsonReader reader, string field, out long unixNanos, out string? error)
    {
        error = null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out unixNanos) && unixNanos > 0) return true;
        if (reader.TokenType == JsonTokenType.String && UnixTime.TryParseRfc3339(reader.GetString(), out unixNanos) && unixNanos > 0) return true;
        unixNanos = 0;
        return Fail($"field '{field}' must be an RFC 3339 time or a positive integer of Unix nanoseconds", out error);
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (byte b in line)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r')) return false;
        return true;
    }

    private static string FirstSentence(string message)
    {
        int i = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).TrimEnd();
    }

    private static bool Fail(string reason, out string? error)
    {
        error = reason;
        return false;
    }
}
