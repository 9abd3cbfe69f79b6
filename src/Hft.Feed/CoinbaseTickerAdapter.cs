using System.Text.Json;
using Hft.Core.Instruments;

namespace Hft.Feed;

/// <summary>
/// Coinbase Exchange WebSocket feed, <c>ticker</c> channel: subscribes with
/// <c>{"type":"subscribe","product_ids":[...],"channels":["ticker"]}</c> and takes the last trade <c>price</c> of
/// each <c>{"type":"ticker","product_id":"BTC-USD","price":"50000.01",...}</c> message as the reference price.
/// Other message types (subscriptions, heartbeat, error) are ignored; see <see cref="TryParse"/> for what is refused.
/// </summary>
public sealed class CoinbaseTickerAdapter(Uri url, FeedSymbolMap symbols, ReconnectBackoff backoff)
    : WebSocketFeedAdapter(url, backoff)
{
    public override string Source => "coinbase";

    protected override byte[] SubscribeMessage()
        => JsonSerializer.SerializeToUtf8Bytes(new { type = "subscribe", product_ids = symbols.Products.ToArray(), channels = new[] { "ticker" } });

    protected override FeedParseResult Parse(ReadOnlySpan<byte> message, IPriceSink sink)
    {
        var result = TryParse(message, symbols, out var instrument, out long ticks);
        if (result == FeedParseResult.Price) sink.OnPrice(instrument.Index, ticks);
        return result;
    }

    /// <summary>
    /// One message: a JSON object whose "type" is "ticker" with a known "product_id" and a positive decimal string
    /// "price" gives a price; another "type" is ignored; anything else (not JSON, not an object, price missing, not a
    /// string, negative, too many digits, product not mapped) is refused with its reason.
    /// </summary>
    public static FeedParseResult TryParse(ReadOnlySpan<byte> message, FeedSymbolMap symbols, out Instrument instrument, out long ticks)
    {
        instrument = null!;
        ticks = 0;
        var reader = new Utf8JsonReader(message, new JsonReaderOptions { MaxDepth = 16 });
        bool ticker = false, typeSeen = false, productKnown = false, productSeen = false;
        ReadOnlySpan<byte> price = default;
        bool priceSeen = false;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return FeedParseResult.BadJson;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    typeSeen = true;
                    ticker = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("ticker"u8);
                }
                else if (reader.ValueTextEquals("product_id"u8))
                {
                    reader.Read();
                    productSeen = true;
                    productKnown = symbols.TryFind(ref reader, out instrument);
                }
                else if (reader.ValueTextEquals("price"u8))
                {
                    reader.Read();
                    priceSeen = true;
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence) return FeedParseResult.BadPrice;
                    price = reader.ValueSpan;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return FeedParseResult.BadJson;
        }
        catch (JsonException)
        {
            return FeedParseResult.BadJson; // malformed input from the network; never on the order path
        }
        if (!typeSeen) return FeedParseResult.MissingField;
        if (!ticker) return FeedParseResult.Ignored;
        if (!productSeen || !priceSeen) return FeedParseResult.MissingField;
        if (!productKnown) return FeedParseResult.UnknownProduct;
        return FeedPrice.TryToTicks(price, instrument.Tick, out ticks);
    }
}
