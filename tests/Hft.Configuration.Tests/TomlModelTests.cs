namespace Hft.Configuration.Tests;

/// <summary>The TOML model keeps every element of an array of tables, however the file is arranged.</summary>
public sealed class TomlModelTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Array_of_tables_continued_after_other_sections_keeps_all_elements()
    {
        _dir.WriteEdited("development", s => s + "\n[[accounts]]\nid = \"A3\"\n\n[[trading.instruments]]\nsymbol = \"SOLUSD\"\ntick = \"0.001\"\nlot = \"0.1\"\n");
        var c = _dir.Load("development");
        Assert.Equal(["A1", "A2", "ADMIN", "A3"], c.Accounts.Select(a => a.Id));
        Assert.Equal(["BTCUSD", "ETHUSD", "SOLUSD"], c.Trading.Instruments.Select(i => i.Symbol));
    }

    [Fact]
    public void Inline_tables_dotted_keys_and_quoted_keys_bind()
    {
        _dir.Write("development", """
            system.max_workers = 3
            "trading" = { max_orders_per_second = 7, enabled_symbols = ["BTCUSD"], instruments = [{ symbol = "BTCUSD", tick = "0.5", lot = "1" }] }
            [auth]
            enabled = false
            """);
        var c = _dir.Load("development");
        Assert.Equal(3, c.System.MaxWorkers);
        Assert.Equal(7, c.Trading.MaxOrdersPerSecond);
        Assert.Equal("0.5", Assert.Single(c.Trading.Instruments).Tick);
        Assert.False(c.Auth.Enabled);
        Assert.Empty(c.Accounts);
    }
}
