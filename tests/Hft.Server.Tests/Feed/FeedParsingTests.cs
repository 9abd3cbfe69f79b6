using System.Text;
using Hft.Core.Instruments;
using Hft.Core.Numerics;
using Hft.Feed;

namespace Hft.Server.Tests.Feed;

/// <summary>
/// Adapter parsing of recorded-format messages: prices land exactly on the tick grid (nearest tick, halves up), and
/// malformed or hostile messages are refused with a reason, never a crash.
/// </summary>
public sealed class FeedParsingTests
{
    private static readonly Instrument Btc = Make("BTCUSD", "0.01", 0);
    private static readonly Instrument Eth = Make("ETHUSD", "0.05", 1);

    private static Instrument Make(string symbol, string tick, int index)
    {
        var registry = new InstrumentRegistry();
        if (index == 1) registry.TryAdd("PAD", Unit("1"), Unit("1"), out _, out _);
        Assert.True(registry.TryAdd(symbol, Unit(tick), Unit("0.0001"), out var i, out var e), e);
        return i!;
    }

    private static ScaledUnit Unit(string text)
    {
        Assert.True(ScaledUnit.TryParse(Encoding.ASCII.GetBytes(text), out var u, out var e), e);
        return u;
    }

    private static readonly FeedSymbolMap Coinbase = new([("BTC-USD", Btc), ("ETH-USD", Eth)]);
    private static readonly FeedSymbolMap Binance = new([("btcusdt", Btc), ("ethusdt", Eth)], ignoreCase: true);

    private static (FeedParseResult, long) Cb(string json)
    {
        var r = CoinbaseTickerAdapter.TryParse(Encoding.UTF8.GetBytes(json), Coinbase, out var inst, out long ticks);
        if (r == FeedParseResult.Price) Assert.NotNull(inst);
        return (r, ticks);
    }

    private static (FeedParseResult, long, string?) Bn(string json)
    {
        var r = BinanceBookTickerAdapter.TryParse(Encoding.UTF8.GetBytes(json), Binance, out var inst, out long ticks);
        return (r, ticks, r == FeedParseResult.Price ? inst.Symbol : null);
    }

    private const string CoinbaseTicker =
        """{"type":"ticker","sequence":3262786978,"product_id":"BTC-USD","price":"4388.01000000","open_24h":"4200","volume_24h":"10.5","low_24h":"4100","high_24h":"4400","volume_30d":"1000","best_bid":"4388","best_ask":"4388.01","side":"buy","time":"2017-09-02T17:05:49.250000Z","trade_id":20153558,"last_size":"0.03000000"}""";

    [Fact]
    public void Coinbase_ticker_gives_the_last_price_in_ticks()
    {
        Assert.Equal((FeedParseResult.Price, 438_801L), Cb(CoinbaseTicker));
        var r = CoinbaseTickerAdapter.TryParse(Encoding.UTF8.GetBytes(CoinbaseTicker.Replace("BTC-USD", "ETH-USD")), Coinbase, out var eth, out long t);
        Assert.Equal(FeedParseResult.Price, r);
        Assert.Same(Eth, eth);
        Assert.Equal(87_760, t); // 4388.01 / 0.05 = 87760.2 -> nearest tick
    }

    [Fact]
    public void Off_grid_prices_round_to_the_nearest_tick_halves_up()
    {
        string T(string price) => $$"""{"type":"ticker","product_id":"BTC-USD","price":"{{price}}"}""";
        Assert.Equal((FeedParseResult.Price, 5_000_000L), Cb(T("50000.004999")));
        Assert.Equal((FeedParseResult.Price, 5_000_001L), Cb(T("50000.005")));
        Assert.Equal((FeedParseResult.Price, 5_000_001L), Cb(T("50000.0099999999999")));
        Assert.Equal((FeedParseResult.Price, 1L), Cb(T("0.005")));
        Assert.Equal((FeedParseResult.NotPositive, 0L), Cb(T("0.004")));
    }

    [Fact]
    public void Coinbase_non_ticker_messages_are_ignored()
    {
        Assert.Equal(FeedParseResult.Ignored, Cb("""{"type":"subscriptions","channels":[{"name":"ticker","product_ids":["BTC-USD"]}]}""").Item1);
        Assert.Equal(FeedParseResult.Ignored, Cb("""{"type":"heartbeat","sequence":90,"last_trade_id":20,"product_id":"BTC-USD","time":"2014-11-07T08:19:28.464459Z"}""").Item1);
        Assert.Equal(FeedParseResult.Ignored, Cb("""{"type":"error","message":"Failed to subscribe"}""").Item1);
    }

    [Theory]
    [InlineData("", FeedParseResult.BadJson)]
    [InlineData("not json", FeedParseResult.BadJson)]
    [InlineData("[1,2,3]", FeedParseResult.BadJson)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"50000""", FeedParseResult.BadJson)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"50000"} trailing""", FeedParseResult.BadJson)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD"}""", FeedParseResult.MissingField)]
    [InlineData("""{"product_id":"BTC-USD","price":"1"}""", FeedParseResult.MissingField)]
    [InlineData("""{"type":"ticker","product_id":"DOGE-USD","price":"0.1"}""", FeedParseResult.UnknownProduct)]
    [InlineData("""{"type":"ticker","product_id":42,"price":"1"}""", FeedParseResult.UnknownProduct)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":-50000}""", FeedParseResult.BadPrice)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":50000}""", FeedParseResult.BadPrice)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"1e5"}""", FeedParseResult.BadPrice)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"NaN"}""", FeedParseResult.BadPrice)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"\u0035"}""", FeedParseResult.BadPrice)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"-50000"}""", FeedParseResult.NotPositive)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"0"}""", FeedParseResult.NotPositive)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"99999999999999999999999999999999999999999"}""", FeedParseResult.TooLarge)]
    [InlineData("""{"type":"ticker","product_id":"BTC-USD","price":"10000000000000000"}""", FeedParseResult.TooLarge)]
    public void Coinbase_malformed_and_hostile_messages_are_refused_with_a_reason(string json, FeedParseResult expected)
        => Assert.Equal(expected, Cb(json).Item1);

    [Fact]
    public void Deeply_nested_and_huge_messages_do_not_crash()
    {
        string deep = """{"type":"ticker","x":""" + new string('[', 10_000) + new string(']', 10_000) + "}";
        Assert.Equal(FeedParseResult.BadJson, Cb(deep).Item1);
        string longProduct = $$"""{"type":"ticker","product_id":"{{new string('A', 100_000)}}","price":"1"}""";
        Assert.Equal(FeedParseResult.UnknownProduct, Cb(longProduct).Item1);
        string escapedProduct = """{"type":"ticker","product_id":"BTC\u002DUSD","price":"1"}""";
        Assert.Equal((FeedParseResult.Price, 100L), Cb(escapedProduct));
    }

    private const string BinanceRaw = """{"u":400900217,"s":"BTCUSDT","b":"49999.99","B":"31.21000000","a":"50000.01","A":"40.66000000"}""";

    [Fact]
    public void Binance_book_ticker_gives_the_mid_in_ticks_raw_and_combined()
    {
        Assert.Equal((FeedParseResult.Price, 5_000_000L, "BTCUSD"), Bn(BinanceRaw));
        Assert.Equal((FeedParseResult.Price, 5_000_000L, "BTCUSD"), Bn($$"""{"stream":"btcusdt@bookTicker","data":{{BinanceRaw}}}"""));
        // mid 50000.005 -> halves up
        Assert.Equal((FeedParseResult.Price, 5_000_001L, "BTCUSD"), Bn("""{"u":1,"s":"BTCUSDT","b":"50000.00","B":"1","a":"50000.01","A":"1"}"""));
        // ETH tick 0.05: mid 3000.025 -> 60000.5 ticks -> 60001
        Assert.Equal((FeedParseResult.Price, 60_001L, "ETHUSD"), Bn("""{"u":1,"s":"ETHUSDT","b":"3000.00","B":"1","a":"3000.05","A":"1"}"""));
    }

    [Theory]
    [InlineData("""{"result":null,"id":1}""", FeedParseResult.Ignored)]
    [InlineData("""{"u":1,"s":"BTCUSDT","b":"50000.02","B":"1","a":"50000.01","A":"1"}""", FeedParseResult.Crossed)]
    [InlineData("""{"u":1,"s":"BTCUSDT","b":"50000.00","B":"1"}""", FeedParseResult.MissingField)]
    [InlineData("""{"u":1,"s":"XRPUSDT","b":"1","B":"1","a":"1","A":"1"}""", FeedParseResult.UnknownProduct)]
    [InlineData("""{"u":1,"s":"BTCUSDT","b":1,"B":"1","a":"2","A":"1"}""", FeedParseResult.BadPrice)]
    [InlineData("""{"u":1,"s":"BTCUSDT","b":"-1","B":"1","a":"2","A":"1"}""", FeedParseResult.NotPositive)]
    [InlineData("""{"u":1,"s":"BTCUSDT","b":"1","B":"1","a":"999999999999999999999999999999999999","A":"1"}""", FeedParseResult.TooLarge)]
    [InlineData("""{"stream":"x","data":{"s":"BTCUSDT","b":"1",""", FeedParseResult.BadJson)]
    [InlineData("\"just a string\"", FeedParseResult.BadJson)]
    public void Binance_malformed_and_hostile_messages_are_refused_with_a_reason(string json, FeedParseResult expected)
        => Assert.Equal(expected, Bn(json).Item1);

    [Fact]
    public void Random_bytes_never_throw()
    {
        var rng = new Random(7);
        var buffer = new byte[300];
        for (int i = 0; i < 5_000; i++)
        {
            int n = rng.Next(buffer.Length);
            rng.NextBytes(buffer.AsSpan(0, n));
            // and mutations of a real message
            var msg = Encoding.UTF8.GetBytes(i % 2 == 0 ? CoinbaseTicker : BinanceRaw);
            msg[rng.Next(msg.Length)] = (byte)rng.Next(256);
            foreach (var bytes in new[] { buffer.AsSpan(0, n).ToArray(), msg })
            {
                var a = CoinbaseTickerAdapter.TryParse(bytes, Coinbase, out _, out long t1);
                var b = BinanceBookTickerAdapter.TryParse(bytes, Binance, out _, out long t2);
                if (a == FeedParseResult.Price) Assert.InRange(t1, 1, Instrument.MaxPriceTicks);
                if (b == FeedParseResult.Price) Assert.InRange(t2, 1, Instrument.MaxPriceTicks);
            }
        }
    }
}
