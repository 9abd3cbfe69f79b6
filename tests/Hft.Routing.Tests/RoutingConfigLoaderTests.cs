using Hft.Routing.Configuration;

namespace Hft.Routing.Tests;

/// <summary>The routing file is strict: every problem is one line naming the file, the key and what is wrong.</summary>
public sealed class RoutingConfigLoaderTests
{
    private const string Routing = """
        [routing]
        listen = "127.0.0.1:8090"

        """;

    private static string Group(int id, string symbols, string nodes) => $"""
        [[routing.groups]]
        id = {id}
        symbols = [{symbols}]
        nodes = [{nodes}]

        """;

    private static readonly string Valid = Routing + Group(0, "\"BTCUSD\"", "\"http://127.0.0.1:8080\"") + Group(1, "\"ETHUSD\"", "\"http://127.0.0.1:8180/\"");

    private static string ErrorOf(string text)
        => Assert.Throws<RoutingConfigException>(() => RoutingConfigLoader.Parse(text, "routing.toml")).Message;

    [Fact]
    public void The_example_file_loads()
    {
        var config = RoutingConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "routing.example.toml"));
        Assert.Equal("127.0.0.1:8090", config.Listen.ToString());
        Assert.Equal(250, config.LeaderPollMs);
        Assert.Equal(5000, config.RequestTimeoutMs);
        Assert.Equal([0, 1], config.Groups.Select(g => g.Id).ToArray());
        Assert.Equal(["ETHUSD"], config.Groups[1].Symbols);
        Assert.Equal(3, config.Groups[0].Nodes.Count);
    }

    [Fact]
    public void Defaults_and_normalized_node_urls()
    {
        var config = RoutingConfigLoader.Parse(Valid, "routing.toml");
        Assert.Equal(250, config.LeaderPollMs);
        Assert.Equal(16 * 1024, config.MaxBodyBytes);
        Assert.Equal("http://127.0.0.1:8180/", config.Groups[1].Nodes[0].AbsoluteUri);
        Assert.Equal("[::1]:9000", RoutingConfigLoader.Parse(Valid.Replace("127.0.0.1:8090", "[::1]:9000"), "x").Listen.ToString());
        Assert.True(RoutingConfigLoader.Parse(Valid.Replace("127.0.0.1:8090", "localhost:0"), "x").Listen.IsLocalhost);
    }

    [Theory]
    [InlineData("leader_poll_ms = 250\n", "routing.toml: leader_poll_ms: unknown key")]
    [InlineData("[server]\nport = 1\n", "routing.toml: server: unknown table")]
    [InlineData("[[routing.group]]\nid = 3\n", "routing.toml: routing.group: unknown array of tables")]
    public void Keys_and_tables_outside_the_schema_are_named(string extra, string expected)
    {
        var message = ErrorOf(extra.StartsWith('[') ? Valid + extra : extra + Valid);
        Assert.StartsWith(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_in_a_section_is_named_with_its_section()
    {
        Assert.StartsWith("routing.toml: routing.listne: unknown key", ErrorOf(Valid.Replace("listen =", "listne =")), StringComparison.Ordinal);
        Assert.StartsWith("routing.toml: routing.groups[1].node: unknown key",
            ErrorOf(Valid.Replace("nodes = [\"http://127.0.0.1:8180/\"]", "node = [\"http://127.0.0.1:8180/\"]")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leader_poll_ms = 5", "routing.leader_poll_ms: 5 is out of range 10..60000")]
    [InlineData("request_timeout_ms = \"5000\"", "routing.request_timeout_ms: expected an integer, got a string")]
    [InlineData("max_body_bytes = 10", "routing.max_body_bytes: 10 is out of range")]
    public void Values_have_types_and_ranges(string line, string expected)
        => Assert.Contains(expected, ErrorOf(Valid.Replace("listen = \"127.0.0.1:8090\"", "listen = \"127.0.0.1:8090\"\n" + line)), StringComparison.Ordinal);

    [Theory]
    [InlineData("8090")]
    [InlineData("example.com:8090")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("::1:8090")]
    public void Listen_must_be_host_and_port(string listen)
        => Assert.Contains("routing.listen:", ErrorOf(Valid.Replace("127.0.0.1:8090", listen)), StringComparison.Ordinal);

    [Fact]
    public void A_symbol_belongs_to_exactly_one_group()
    {
        var twice = Routing + Group(0, "\"BTCUSD\"", "\"http://a:1\"") + Group(1, "\"ETHUSD\", \"BTCUSD\"", "\"http://b:1\"");
        Assert.Equal("routing.toml: routing.groups[1].symbols: symbol BTCUSD is already in group 0 (each symbol belongs to exactly one group)", ErrorOf(twice));
        Assert.Contains("symbol BTCUSD is listed twice", ErrorOf(Routing + Group(0, "\"BTCUSD\", \"BTCUSD\"", "\"http://a:1\"")), StringComparison.Ordinal);
        Assert.Contains("routing.groups[0].symbols: a group needs at least one symbol", ErrorOf(Routing + Group(0, "", "\"http://a:1\"")), StringComparison.Ordinal);
        Assert.Contains("'btc usd' is not a symbol", ErrorOf(Routing + Group(0, "\"btc usd\"", "\"http://a:1\"")), StringComparison.Ordinal);
    }

    [Fact]
    public void Group_ids_are_unique_and_in_range()
    {
        Assert.Contains("routing.groups[1].id: group id 0 is already used by routing.groups[0]",
            ErrorOf(Routing + Group(0, "\"BTCUSD\"", "\"http://a:1\"") + Group(0, "\"ETHUSD\"", "\"http://b:1\"")), StringComparison.Ordinal);
        Assert.Contains("routing.groups[0].id: 1024 is out of range 0..1023", ErrorOf(Routing + Group(1024, "\"BTCUSD\"", "\"http://a:1\"")), StringComparison.Ordinal);
        Assert.Contains("routing.groups[0].id: -1 is out of range", ErrorOf(Routing + Group(-1, "\"BTCUSD\"", "\"http://a:1\"")), StringComparison.Ordinal);
        Assert.Contains("routing.groups[0].id: missing (required)",
            ErrorOf(Routing + "[[routing.groups]]\nsymbols = [\"BTCUSD\"]\nnodes = [\"http://a:1\"]\n"), StringComparison.Ordinal);
        Assert.Contains("routing.groups: at least one [[routing.groups]] is required", ErrorOf(Routing), StringComparison.Ordinal);
        Assert.Contains("routing: missing table [routing]", ErrorOf(Group(0, "\"BTCUSD\"", "\"http://a:1\"")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "routing.groups[0].nodes: a group needs at least one node")]
    [InlineData("\"ftp://a:1\"", "is not an http or https URL")]
    [InlineData("\"file:///etc/passwd\"", "is not an http or https URL")]
    [InlineData("\"127.0.0.1:8080\"", "is not an http or https URL")]
    [InlineData("\"a:1\"", "is not an http or https URL")]
    [InlineData("\"not a url\"", "is not an http or https URL")]
    [InlineData("\"http://user:pw@a:1\"", "user info is not allowed")]
    [InlineData("\"http://a:1/hft\"", "a base URL without path")]
    [InlineData("\"http://a:1/?x=1\"", "a base URL without path")]
    [InlineData("\"http://a:1\", \"http://A:1/\"", "node http://a:1/ is listed twice")]
    [InlineData("7", "expected strings, got an integer")]
    public void Nodes_are_http_base_urls(string nodes, string expected)
        => Assert.Contains(expected, ErrorOf(Routing + Group(0, "\"BTCUSD\"", nodes)), StringComparison.Ordinal);

    [Fact]
    public void A_node_serves_one_group()
        => Assert.Contains("routing.groups[1].nodes: node http://a:1/ is already in group 0",
            ErrorOf(Routing + Group(0, "\"BTCUSD\"", "\"http://a:1\"") + Group(1, "\"ETHUSD\"", "\"http://a:1\"")), StringComparison.Ordinal);

    [Fact]
    public void Invalid_toml_and_duplicate_keys_name_the_line()
    {
        Assert.StartsWith("routing.toml: line ", ErrorOf("[routing\nlisten = 1"), StringComparison.Ordinal);
        Assert.StartsWith("routing.toml: line ", ErrorOf(Valid.Replace("listen = \"127.0.0.1:8090\"", "listen = \"127.0.0.1:8090\"\nlisten = \"127.0.0.1:8091\"")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
        => Assert.StartsWith("/nonexistent/routing.toml: cannot read file", Assert.Throws<RoutingConfigException>(() => RoutingConfigLoader.Load("/nonexistent/routing.toml")).Message,
            StringComparison.Ordinal);
}
