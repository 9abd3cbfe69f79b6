using System.Text;
using System.Text.Json.Nodes;
using Hft.Routing.Api;
using Hft.Routing.Configuration;
using Hft.Routing.Forwarding;
using Hft.Routing.Leadership;

namespace Hft.Routing.Tests;

/// <summary>The gateway's pure rules: order ids to groups, the symbol of a body, hop-by-hop headers, merges, status bodies.</summary>
public sealed class RoutingRulesTests
{
    [Theory]
    [InlineData(1L, 0)]
    [InlineData((1L << 40) - 1, 0)]
    [InlineData((1L << 40) + 1, 1)]
    [InlineData((1023L << 40) + 5, 1023)]
    public void An_order_id_names_its_group(long id, int group) => Assert.Equal(group, OrderIds.GroupOf(id));

    [Theory]
    [InlineData("{\"symbol\":\"BTCUSD\",\"side\":\"buy\"}", "BTCUSD")]
    [InlineData("{\"side\":{\"symbol\":\"X\"},\"symbol\":\"ETHUSD\"}", "ETHUSD")]
    [InlineData(" {\"sym\\u0062ol\":\"ETHUSD\"} ", "ETHUSD")]
    public void The_symbol_of_an_order_body(string body, string symbol)
    {
        Assert.True(OrderSymbol.TryRead(Encoding.UTF8.GetBytes(body), out var found, out var error), error);
        Assert.Equal(symbol, found);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("{\"symbol\":\"A\"} {}", "malformed JSON")]
    [InlineData("{\"symbol\":\"A\",\"symbol\":\"A\"}", "more than once")]
    [InlineData("{\"symbol\":null}", "must be a string")]
    [InlineData("{\"symbol\":\"A\"", "malformed JSON")]
    [InlineData("{\"qty\":1}", "missing field 'symbol'")]
    public void Bad_order_bodies_are_named(string body, string expected)
    {
        Assert.False(OrderSymbol.TryRead(Encoding.UTF8.GetBytes(body), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Hop_by_hop_headers_and_those_named_by_connection_are_not_forwarded()
    {
        var tokens = HopByHopHeaders.ConnectionTokens(["keep-alive, X-Secret", "Authorization"]);
        Assert.True(HopByHopHeaders.SkipOnRequest("x-secret", tokens));
        Assert.True(HopByHopHeaders.SkipOnRequest("Authorization", tokens));
        Assert.False(HopByHopHeaders.SkipOnRequest("Authorization", HopByHopHeaders.ConnectionTokens([])));
        foreach (var h in new[] { "Connection", "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "TE", "Host", "X-Forwarded-For" })
            Assert.True(HopByHopHeaders.SkipOnRequest(h, HopByHopHeaders.ConnectionTokens([])), h);
        Assert.False(HopByHopHeaders.SkipOnResponse("Content-Length", HopByHopHeaders.ConnectionTokens([])));
        Assert.True(HopByHopHeaders.SkipOnResponse("Transfer-Encoding", HopByHopHeaders.ConnectionTokens([])));
    }

    [Fact]
    public void Merges_keep_every_groups_entries()
    {
        var orders = FanOutMerge.Newest([
            (0, JsonNode.Parse("[{\"id\":3,\"createdAt\":\"2026-01-01T00:00:03Z\"},{\"id\":1,\"createdAt\":\"2026-01-01T00:00:01Z\"}]")),
            (1, JsonNode.Parse("[{\"id\":1099511627777,\"createdAt\":\"2026-01-01T00:00:02Z\"}]")),
        ], "createdAt", 2)!.AsArray();
        Assert.Equal([3L, 1099511627777L], orders.Select(o => o!["id"]!.GetValue<long>()).ToArray());

        var cancel = FanOutMerge.MassCancel([(0, JsonNode.Parse("{\"canceled\":2,\"ids\":[1,2]}")), (1, JsonNode.Parse("{\"canceled\":1,\"ids\":[9]}"))])!;
        Assert.Equal(3, cancel["canceled"]!.GetValue<long>());
        Assert.Equal(3, cancel["ids"]!.AsArray().Count);

        var account = FanOutMerge.Account([(0, JsonNode.Parse("{\"account\":\"A1\",\"exposure\":\"1\"}")), (4, JsonNode.Parse("{\"account\":\"A1\",\"exposure\":\"2\"}"))])!;
        Assert.Equal("A1", account["account"]!.GetValue<string>());
        Assert.Equal(4, account["groups"]![1]!["group"]!.GetValue<int>());

        Assert.Null(FanOutMerge.Concat([(0, JsonNode.Parse("{\"not\":\"an array\"}"))]));
        Assert.Null(FanOutMerge.MassCancel([(0, JsonNode.Parse("[]"))]));
    }

    [Fact]
    public void Status_bodies_of_the_contract_are_read()
    {
        var follower = LeaderTracker.ParseStatus(Encoding.UTF8.GetBytes(
            "{\"enabled\":true,\"group\":1,\"nodeId\":1,\"role\":\"follower\",\"term\":5,\"leader\":{\"nodeId\":0,\"raft\":\"127.0.0.1:9200\",\"api\":\"http://127.0.0.1:8080\"},\"commitIndex\":1}"), 1);
        Assert.Equal(("follower", 5L, (int?)1, "http://127.0.0.1:8080", (string?)null), (follower.Role, follower.Term, follower.Group, follower.LeaderHint, follower.Problem));
        var single = LeaderTracker.ParseStatus(Encoding.UTF8.GetBytes("{\"enabled\":false,\"group\":0,\"role\":\"single\"}"), 0);
        Assert.Equal(NodeStatus.Single, single.Role);
        Assert.Contains("reports group 3", LeaderTracker.ParseStatus(Encoding.UTF8.GetBytes("{\"group\":3,\"role\":\"leader\"}"), 0).Problem, StringComparison.Ordinal);
        Assert.False(LeaderTracker.ParseStatus(Encoding.UTF8.GetBytes("<html>"), 0).Up);
        Assert.Equal(NodeStatus.Unknown, LeaderTracker.ParseStatus(Encoding.UTF8.GetBytes("{\"role\":\"king\"}"), 0).Role);
        Assert.Equal("http://h:1/", RequestRouter.LeaderHint(Encoding.UTF8.GetBytes("{\"error\":{\"code\":\"not_leader\",\"message\":\"m\",\"leader\":\"http://h:1/\"}}")));
        Assert.Null(RequestRouter.LeaderHint(Encoding.UTF8.GetBytes("{\"error\":{\"code\":\"not_leader\",\"message\":\"m\",\"leader\":null}}")));
    }
}
