namespace Hft.Routing.Tests.Support;

/// <summary>
/// Two real single-node hft servers, group 0 trading BTCUSD and group 1 trading ETHUSD, and a gateway in front of them.
/// Shared by the tests of one class (they run one after another).
/// </summary>
public sealed class TwoGroups : IAsyncLifetime
{
    public GroupServer Btc { get; private set; } = null!;

    public GroupServer Eth { get; private set; } = null!;

    public Gateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Btc = await GroupServer.StartAsync(0, ["BTCUSD"]);
        Eth = await GroupServer.StartAsync(1, ["ETHUSD"]);
        Gateway = await Gateway.StartAsync(Gateway.Config([(0, ["BTCUSD"], [Btc.BaseUrl]), (1, ["ETHUSD"], [Eth.BaseUrl])]));
    }

    /// <summary>A gateway client with a token of <paramref name="account"/> (both groups share the development signing key).</summary>
    public HttpClient Client(string account = "A1") => Gateway.Client(Btc.Token(account));

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Btc.DisposeAsync();
        await Eth.DisposeAsync();
    }
}
