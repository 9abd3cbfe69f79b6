namespace Hft.Configuration.Tests;

/// <summary>
/// [logging] (level, per-category levels, text or JSON lines) in each profile as the deployment guide describes them
/// (production information + JSON, staging enhanced, development debug), and the [gateway] socket buffer sizes.
/// </summary>
public sealed class LoggingAndTuningConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private HftConfig Shipped(string profile, Dictionary<string, string?>? env = null)
    {
        _dir.CopyShipped(profile);
        env ??= [];
        if (profile != "development") env["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret;
        return _dir.Load(profile, env);
    }

    [Fact]
    public void Production_logs_information_as_json_lines()
    {
        var logging = Shipped("production").Logging;
        Assert.Equal("information", logging.Level);
        Assert.Equal("json", logging.Format);
        Assert.Empty(logging.Categories);
    }

    [Fact]
    public void Staging_has_enhanced_logging_the_node_at_debug_as_json_lines()
    {
        var logging = Shipped("staging").Logging;
        Assert.Equal("json", logging.Format);
        Assert.Equal("debug", logging.Categories["Hft"]);
        Assert.Equal("information", logging.Categories["Microsoft.AspNetCore"]);
    }

    [Fact]
    public void Development_is_debug_mode_in_readable_lines_also_in_the_embedded_copy()
    {
        var logging = Shipped("development").Logging;
        Assert.Equal("debug", logging.Level);
        Assert.Equal("text", logging.Format);
        var embedded = ConfigLoader.Load("development", null, new Dictionary<string, string?>()).Logging;
        Assert.Equal("debug", embedded.Level);
    }

    [Fact]
    public void Environment_overrides_set_the_level_the_format_and_categories()
    {
        var logging = Shipped("production", new()
        {
            ["HFT_LOGGING__LEVEL"] = "Warning",
            ["HFT_LOGGING__FORMAT"] = "text",
            ["HFT_LOGGING__CATEGORIES"] = "Hft.Gateways.Fix=trace, Hft.Feed=Debug",
        }).Logging;
        Assert.Equal("warning", logging.Level);
        Assert.Equal("text", logging.Format);
        Assert.Equal("trace", logging.Categories["Hft.Gateways.Fix"]);
        Assert.Equal("debug", logging.Categories["Hft.Feed"]);
    }

    [Theory]
    [InlineData("HFT_LOGGING__LEVEL", "verbose", "[logging] level")]
    [InlineData("HFT_LOGGING__FORMAT", "xml", "[logging] format")]
    [InlineData("HFT_LOGGING__CATEGORIES", "Hft.Feed", "[logging] categories")]
    [InlineData("HFT_LOGGING__CATEGORIES", "Hft.Feed=loud", "[logging] categories")]
    [InlineData("HFT_LOGGING__CATEGORIES", "Hft=debug,Hft=trace", "[logging] categories")]
    [InlineData("HFT_GATEWAY__SOCKET_RECEIVE_BUFFER_BYTES", "1000", "[gateway] socket_receive_buffer_bytes")]
    [InlineData("HFT_GATEWAY__SOCKET_SEND_BUFFER_BYTES", "-1", "[gateway] socket_send_buffer_bytes")]
    [InlineData("HFT_GATEWAY__SOCKET_SEND_BUFFER_BYTES", "2147483647", "[gateway] socket_send_buffer_bytes")]
    public void Bad_values_stop_start_up_naming_the_key(string variable, string value, string key)
    {
        _dir.CopyShipped("development");
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development", new() { [variable] = value }));
        Assert.Contains(key, e.Message);
    }

    [Fact]
    public void Socket_buffers_default_to_the_kernel_and_production_asks_for_4_mib()
    {
        Assert.Equal(0, Shipped("development").Gateway.SocketReceiveBufferBytes);
        Assert.Equal(0, Shipped("staging").Gateway.SocketSendBufferBytes);
        var production = Shipped("production").Gateway;
        Assert.Equal(4 << 20, production.SocketReceiveBufferBytes);
        Assert.Equal(4 << 20, production.SocketSendBufferBytes);
        var overridden = Shipped("development", new() { ["HFT_GATEWAY__SOCKET_RECEIVE_BUFFER_BYTES"] = "65536" }).Gateway;
        Assert.Equal(65536, overridden.SocketReceiveBufferBytes);
    }
}
