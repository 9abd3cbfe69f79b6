namespace Hft.Cli.Tests;

/// <summary>Malformed lines stop the run with "line N: reason" and exit 2; invalid orders are rejected events.</summary>
public class ReplayInputErrorTests
{
    private const string Instrument = "{\"op\":\"instrument\",\"symbol\":\"X\",\"tick\":\"0.01\",\"lot\":\"1\"}\n";
    private const string GoodOrder = "{\"op\":\"new\",\"id\":1,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"gtc\",\"price\":\"10\",\"qty\":\"1\"}\n";

    [Theory]
    [InlineData("{bad json", "line 3: bad JSON")]
    [InlineData("[1,2]", "line 3: expected a JSON object")]
    [InlineData("{\"id\":2}", "line 3: missing field 'op'")]
    [InlineData("{\"op\":\"fly\",\"id\":2}", "line 3: unknown op 'fly'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: missing field 'symbol'")]
    [InlineData("{\"op\":\"new\",\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: missing field 'id'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: missing field 'account'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: missing field 'side'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: missing field 'type'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"qty\":\"1\"}", "line 3: missing field 'price' (required for a limit order)")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\"}", "line 3: missing field 'qty'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"up\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: invalid side 'up' (buy or sell)")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"trailing_stop\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: invalid type 'trailing_stop' (limit, market, stop, stop_limit, take_profit or take_profit_limit)")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"stop_limit\",\"triggerPrice\":\"1\",\"qty\":\"1\"}", "line 3: missing field 'price' (required for a limit order)")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"day\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: invalid tif 'day' (gtc, ioc, fok or gtd)")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"gtd\",\"expireTime\":\"tomorrow\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: field 'expireTime' must be an RFC 3339 time or a positive integer of Unix nanoseconds")]
    [InlineData("{\"op\":\"time\"}", "line 3: missing field 'time'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\",\"stp\":\"maybe\"}", "line 3: invalid stp 'maybe'")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\",\"postOnly\":\"yes\"}", "line 3: field 'postOnly' must be true or false")]
    [InlineData("{\"op\":\"new\",\"id\":\"2\",\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: field 'id' must be an integer")]
    [InlineData("{\"op\":\"new\",\"id\":2.5,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: field 'id' must be an integer")]
    [InlineData("{\"op\":\"new\",\"id\":99999999999999999999,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: field 'id' must be an integer")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":\"1\",\"qty\":\"1\"}", "line 3: field 'account' must have 1 to 64 characters")]
    [InlineData("{\"op\":\"new\",\"id\":2,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"price\":[1],\"qty\":\"1\"}", "line 3: field 'price' must be a decimal string or number")]
    [InlineData("{\"op\":\"replace\",\"id\":1,\"account\":\"A\",\"symbol\":\"X\"}", "line 3: a replace needs 'qty' and/or 'price'")]
    [InlineData("{\"op\":\"instrument\",\"symbol\":\"Y\",\"tick\":\"-0.01\",\"lot\":\"1\"}", "line 3: invalid tick '-0.01'")]
    [InlineData("{\"op\":\"instrument\",\"symbol\":\"X\",\"tick\":\"0.05\",\"lot\":\"1\"}", "line 3: instrument X is already defined")]
    [InlineData("{\"op\":\"instrument\",\"symbol\":\"bad symbol\",\"tick\":\"0.05\",\"lot\":\"1\"}", "line 3: invalid symbol 'bad symbol'")]
    [InlineData("{\"op\":\"cancel\",\"id\":1,\"account\":\"A\",\"symbol\":\"X\"} trailing", "line 3: bad JSON")]
    public void A_malformed_line_stops_the_run_naming_the_line(string badLine, string expectedError)
    {
        var (code, stdout, stderr) = ReplayHarness.InProcess(Instrument + GoodOrder + badLine + "\n" + GoodOrder);
        Assert.Equal(2, code);
        Assert.StartsWith(expectedError, stderr);
        Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The events of the lines before it were written; nothing after it, and no final book.
        Assert.Equal("{\"ev\":\"accepted\",\"id\":1}\n", stdout);
    }

    [Fact]
    public void The_replay_clock_never_goes_back()
    {
        string lines = Instrument + "{\"op\":\"time\",\"time\":\"2026-01-01T00:00:10Z\"}\n" + GoodOrder
            + "{\"op\":\"cancel\",\"id\":1,\"account\":\"A\",\"symbol\":\"X\",\"time\":\"2026-01-01T00:00:05Z\"}\n";
        var (code, stdout, stderr) = ReplayHarness.InProcess(lines);
        Assert.Equal(2, code);
        Assert.StartsWith("line 4: field 'time' goes back", stderr);
        Assert.Equal("{\"ev\":\"accepted\",\"id\":1}\n", stdout);
    }

    [Fact]
    public void The_real_program_exits_2_with_the_line_number_on_stderr()
    {
        var (code, stdout, stderr) = ReplayHarness.Process(Instrument + GoodOrder + "{\"op\":\"oops\"}\n", "replay", "-");
        Assert.Equal(2, code);
        Assert.Equal("line 3: unknown op 'oops'", stderr.Trim());
        Assert.Equal("{\"ev\":\"accepted\",\"id\":1}\n", stdout);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var (code, _, stderr) = ReplayHarness.Process(null, "replay", "/nonexistent/commands.jsonl");
        Assert.Equal(2, code);
        Assert.Contains("cannot read '/nonexistent/commands.jsonl'", stderr);
    }

    [Fact]
    public void Unknown_options_and_commands_are_usage_errors()
    {
        Assert.Equal(2, ReplayHarness.Process(null, "replay", "--frobnicate", "x").Code);
        Assert.Equal(2, ReplayHarness.Process(null, "fly").Code);
    }

    [Fact]
    public void Blank_lines_crlf_numbers_escapes_and_unknown_fields_are_accepted()
    {
        string input = Instrument
            + "\r\n   \n"
            + "{\"op\":\"new\",\"id\":1,\"account\":\"A\",\"symbol\":\"\\u0058\",\"side\":\"sell\",\"type\":\"limit\",\"tif\":\"gtc\",\"price\":10.50,\"qty\":2,\"note\":{\"any\":[1,2]}}\r\n"
            + "{\"op\":\"new\",\"id\":2,\"account\":\"B\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"market\",\"price\":\"999\",\"qty\":\"1\"}";
        var (code, stdout, stderr) = ReplayHarness.InProcess(input);
        Assert.Equal("", stderr);
        Assert.Equal(0, code);
        Assert.Equal(
            "{\"ev\":\"accepted\",\"id\":1}\n"
            + "{\"ev\":\"accepted\",\"id\":2}\n"
            + "{\"ev\":\"trade\",\"symbol\":\"X\",\"price\":\"10.5\",\"qty\":\"1\",\"maker\":1,\"taker\":2,\"takerSide\":\"buy\"}\n"
            + "{\"ev\":\"book\",\"symbol\":\"X\",\"bids\":[],\"asks\":[[\"10.5\",\"1\",1]]}\n",
            stdout);
    }

    [Theory]
    [InlineData("1e3")]
    [InlineData(" 10")]
    [InlineData("10.001")]
    [InlineData("0")]
    [InlineData("-10")]
    [InlineData("NaN")]
    [InlineData("")]
    [InlineData("10000000000000000000000000000000000000000")]
    public void Hostile_prices_are_rejected_as_invalid_price_and_the_run_goes_on(string price)
    {
        string line = $"{{\"op\":\"new\",\"id\":5,\"account\":\"A\",\"symbol\":\"X\",\"side\":\"buy\",\"type\":\"limit\",\"tif\":\"gtc\",\"price\":\"{price}\",\"qty\":\"1\"}}\n";
        var (code, stdout, _) = ReplayHarness.InProcess(Instrument + line + GoodOrder);
        Assert.Equal(0, code);
        Assert.StartsWith("{\"ev\":\"rejected\",\"id\":5,\"reason\":\"invalid_price\"", stdout);
        Assert.Contains("{\"ev\":\"accepted\",\"id\":1}", stdout);
    }

    [Fact]
    public void An_oversized_line_is_refused_without_reading_it_all_into_memory()
    {
        string huge = "{\"op\":\"new\",\"note\":\"" + new string('x', 2 * 1024 * 1024) + "\"}\n";
        var (code, _, stderr) = ReplayHarness.InProcess(Instrument + huge);
        Assert.Equal(2, code);
        Assert.StartsWith("line 2: line longer than", stderr);
    }

    [Fact]
    public void Deeply_nested_json_is_refused()
    {
        string nested = "{\"op\":\"new\",\"x\":" + new string('[', 100) + new string(']', 100) + "}";
        var (code, _, stderr) = ReplayHarness.InProcess(Instrument + nested + "\n");
        Assert.Equal(2, code);
        Assert.StartsWith("line 2: bad JSON", stderr);
    }
}
