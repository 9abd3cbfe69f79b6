namespace Hft.Configuration.Tests;

/// <summary>[gateway] binary session keys: the development profile's values and range checks.</summary>
public sealed class BinaryGatewayConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Development_profile_serves_the_binary_gateway_with_its_session_limits()
    {
        _dir.CopyShipped("development");
        var g = _dir.Load("development").Gateway;
        Assert.True(g.BinaryEnabled);
        Assert.Equal((64, 1000, 250_000), (g.BinaryMaxSessions, g.BinaryHeartbeatMs, g.BinaryMaxMessagesPerSecond));
    }

    [Theory]
    [InlineData("binary_max_sessions = 64", "binary_max_sessions = 0", "[gateway] binary_max_sessions")]
    [InlineData("binary_heartbeat_ms = 1000", "binary_heartbeat_ms = 5", "[gateway] binary_heartbeat_ms")]
    [InlineData("binary_max_messages_per_second = 250000", "binary_max_messages_per_second = -1", "[gateway] binary_max_messages_per_second")]
    public void Out_of_range_values_are_refused(string from, string to, string names)
    {
        _dir.WriteEdited("development", s => s.Replace(from, to, StringComparison.Ordinal));
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.Contains(names, e.Message);
    }
}
