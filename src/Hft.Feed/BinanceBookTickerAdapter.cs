using System.Text.Json;
using Hft.Core.Instruments;

namespace Hft.Feed;

/// <summary>
/// Binance WebSocket market streams, <c>&lt;symbol&gt;@bookTicker</c>: subscribes with
/// <c>{"method":"SUBSCRIBE","params":["btcusdt@bookTicker"],"id":1}</c> and takes the midpoint of the best bid
/// <c>b</c> and best ask <c>a</c> of each <c>{"u":1,"s":"BTCUSDT","b":"49999.99","B":"1","a":"50000.01","A":"2"}</c>
/// (raw stream) or the same inside <c>{"stream":"...","data":{...}}</c> (combined stream). Product ids are
/// matched case-insensitively (streams are lower-case, <c>s</c> upper-case). Replies such as
/// <c>{"result":null,"id":1}</c> are ignored.
/// </summary>
public sealed class BinanceBookTickerAdapter(Uri url, FeedSymbolMap symbols, ReconnectBackoff backoff)
    : WebSocketFeedAdapter(url, backoff)
{
    public override string Source => "binance";

    protected override byte[] SubscribeMessage()
        => JsonSerializer.SerializeToUtf8Bytes(new
        {
            method = "SUBSCRIBE",
            @params = symbols.Products.Select(p => p.ToLowerInvariant() + "@bookTicker").ToArray(),
            id = 1,
        });

    protected override FeedParseResult Parse(ReadOnlySpan<byte> message, IPriceSink sink)
    {
        var result = TryParse(message, symbols, out var instrument, out long ticks);
        if (result == FeedParseResult.Price) sink.OnPrice(instrument.Index, ticks);
        return result;
    }

    /// <summary>One message (see the class summary); a message without "s" is ignored, one with "s" needs "b" and "a".</summary>
    public static FeedParseResult TryParse(ReadOnlySpan<byte> message, FeedSymbolMap symbols, out Instrument instrument, out long ticks)
    {
        instrument = null!;
        ticks = 0;
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 16 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return FeedParseResult.BadJson;
            var result = ReadTicker(ref reader, symbols, depth: 0, out instrument, out ticks);
            if (reader.Read()) return FeedParseResult.BadJson;
            return result;
        }
        catch (JsonException)
        {
            return FeedParseResult.BadJson; // malformed input from the network; never on the order path
        }
    }

    /// <summary>Reads one object (the reader on its StartObject) to its EndObject.</summary>
    private static FeedParseResult ReadTicker(ref Utf8JsonReader reader, FeedSymbolMap symbols, int depth, out Instrument instrument, out long ticks)
    {
        instrument = null!;
        ticks = 0;
        bool symbolSeen = false, symbolKnown = false, bidSeen = false, askSeen = false, bad = false;
        FeedParseResult? inner = null;
        ReadOnlySpan<byte> bid = default, ask = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("s"u8))
            {
                reader.Read();
                symbolSeen = true;
                symbolKnown = symbols.TryFind(ref reader, out instrument);
            }
            else if (reader.ValueTextEquals("b"u8) || reader.ValueTextEquals("a"u8))
            {
                bool isBid = reader.ValueTextEquals("b"u8);
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence)
                {
                    bad = true;
                    reader.Skip();
                }
                else if (isBid)
                {
                    bid = reader.ValueSpan;
                    bidSeen = true;
                }
                else
                {
                    ask = reader.ValueSpan;
                    askSeen = true;
                }
            }
            else if (depth == 0 && reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) inner = ReadTicker(ref reader, symbols, 1, out instrument, out ticks);
                else reader.Skip();
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject) return FeedParseResult.BadJson;
        if (inner is { } r) return r;
        if (!symbolSeen) return FeedParseResult.Ignored;
        if (bad) return FeedParseResult.BadPrice;
        if (!bidSeen || !askSeen) return FeedParseResult.MissingField;
        if (!symbolKnown) return FeedParseResult.UnknownProduct;
        return FeedPrice.TryMidToTicks(bid, ask, instrument.Tick, out ticks);
    }
}
