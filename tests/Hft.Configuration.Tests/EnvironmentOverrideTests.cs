namespace Hft.Configuration.Tests;

public sealed class EnvironmentOverrideTests
{
    private static HftConfig Dev(params (string Name, string? Value)[] vars)
        => ConfigLoader.Load("development", RepoConfig.Dir, vars.ToDictionary(v => v.Name, v => v.Value));

    private static ConfigException DevError(params (string Name, string? Value)[] vars)
        => Assert.Throws<ConfigException>(() => Dev(vars));

    private static readonly string DevFile = RepoConfig.File("development");

    [Fact]
    public void Int_override()
    {
        var c = Dev(("HFT_TRADING__MAX_ORDERS_PER_SECOND", "5000"), ("HFT_SYSTEM__MAX_WORKERS", "4"));
        Assert.Equal(5000, c.Trading.MaxOrdersPerSecond);
        Assert.Equal(4, c.System.MaxWorkers);
        Assert.Equal(1_000_000, Dev(("HFT_SYSTEM__WORKER_QUEUE_SIZE", "1_000_000")).System.WorkerQueueSize);
    }

    [Fact]
    public void Bool_override()
    {
        Assert.True(Dev(("HFT_SYSTEM__CPU_AFFINITY", "true")).System.CpuAffinity);
        Assert.False(Dev(("HFT_MONITORING__ENABLE_PROMETHEUS", "false")).Monitoring.EnablePrometheus);
        Assert.False(Dev(("HFT_AUTH__ENABLED", "0")).Auth.Enabled);
    }

    [Fact]
    public void String_overrides()
    {
        var c = Dev(("HFT_JOURNAL__MODE", "sync"), ("HFT_JOURNAL__DIR", "/some/dir"), ("HFT_REDIS__CONNECTION", "localhost:6379"),
            ("HFT_SERVER__BIND", "0.0.0.0"));
        Assert.Equal("sync", c.Journal.Mode);
        Assert.Equal("/some/dir", c.Journal.Dir);
        Assert.Equal("localhost:6379", c.Redis.Connection);
        Assert.Equal("0.0.0.0", c.Server.Bind);
    }

    [Fact]
    public void Float_override()
    {
        Assert.Equal(0.25, Dev(("HFT_LATENCY_PROFILING__SAMPLE_RATE", "0.25")).LatencyProfiling.SampleRate);
    }

    [Fact]
    public void List_override_comma_separated_or_toml_array()
    {
        Assert.Equal(["ETHUSD"], Dev(("HFT_TRADING__ENABLED_SYMBOLS", "ETHUSD")).Trading.EnabledSymbols);
        Assert.Equal(["ETHUSD", "BTCUSD"], Dev(("HFT_TRADING__ENABLED_SYMBOLS", "ETHUSD, BTCUSD")).Trading.EnabledSymbols);
        Assert.Equal(["BTCUSD"], Dev(("HFT_TRADING__ENABLED_SYMBOLS", "[\"BTCUSD\"]")).Trading.EnabledSymbols);
        Assert.Empty(Dev(("HFT_TRADING__ENABLED_SYMBOLS", "")).Trading.EnabledSymbols);
    }

    [Fact]
    public void Nested_overrides_by_id_symbol_or_index()
    {
        var c = Dev(
            ("HFT_ACCOUNTS__A1__CREDIT", "500000"),
            ("HFT_ACCOUNTS__1__ENABLED", "false"),
            ("HFT_TRADING__INSTRUMENTS__ETHUSD__MARK_PRICE", "3100.5"),
            ("HFT_TRADING__INSTRUMENTS__0__PRICE_BAND_PCT", "5"),
            ("HFT_AUTH__API_KEYS__0__ROLE", "admin"));
        Assert.Equal("500000", c.Accounts[0].Credit);
        Assert.False(c.Accounts[1].Enabled);
        Assert.Equal("3100.5", c.Trading.Instruments[1].MarkPrice);
        Assert.Equal("5", c.Trading.Instruments[0].PriceBandPct);
        Assert.Equal("admin", c.Auth.ApiKeys[0].Role);
    }

    [Fact]
    public void Variable_names_match_case_insensitively_and_other_HFT_variables_are_ignored()
    {
        var c = Dev(("hft_system__max_workers", "3"), ("HFT_PROFILE", "development"), ("HFT_CONFIG_DIR", "/x"), ("PATH", "/bin"));
        Assert.Equal(3, c.System.MaxWorkers);
    }

    [Fact]
    public void Empty_value_clears_an_optional_key()
    {
        Assert.Null(Dev(("HFT_RISK__CREDIT", "")).Risk.Credit);
    }

    [Fact]
    public void Secret_from_environment_applies_in_development_too()
    {
        var c = Dev(("HFT_AUTH__SECRET", ShippedProfilesTests.Secret));
        Assert.False(c.Auth.IsDevelopmentSecret);
    }

    [Fact]
    public void Bad_int_value_names_the_variable()
    {
        var e = DevError(("HFT_SYSTEM__MAX_WORKERS", "many"));
        Assert.Equal($"{DevFile}: [system] max_workers (from env HFT_SYSTEM__MAX_WORKERS): expected an integer, got \"many\"", e.Message);
    }

    [Fact]
    public void Out_of_range_value_names_the_variable()
    {
        var e = DevError(("HFT_SYSTEM__MAX_WORKERS", "0"));
        Assert.Equal($"{DevFile}: [system] max_workers (from env HFT_SYSTEM__MAX_WORKERS): must be between 1 and 64, got 0", e.Message);
    }

    [Fact]
    public void Bad_bool_value()
    {
        var e = DevError(("HFT_SYSTEM__CPU_AFFINITY", "maybe"));
        Assert.Equal($"{DevFile}: [system] cpu_affinity (from env HFT_SYSTEM__CPU_AFFINITY): expected true or false, got \"maybe\"", e.Message);
    }

    [Fact]
    public void Bad_decimal_value()
    {
        var e = DevError(("HFT_ACCOUNTS__A2__CREDIT", "1,000"));
        Assert.StartsWith($"{DevFile}: [accounts[1]] credit (from env HFT_ACCOUNTS__A2__CREDIT): not a valid decimal number: \"1,000\"", e.Message);
    }

    [Fact]
    public void Bad_journal_mode_from_environment_is_caught_by_the_validator_and_names_the_variable()
    {
        var e = DevError(("HFT_JOURNAL__MODE", "fast"));
        Assert.Equal($"{DevFile}: [journal] mode (from env HFT_JOURNAL__MODE): must be one of sync, async, none, got \"fast\"", e.Message);
    }

    [Fact]
    public void Unknown_key_in_environment_is_an_error()
    {
        var e = DevError(("HFT_SYSTEM__MAX_WORKER", "4"));
        Assert.StartsWith($"{DevFile}: HFT_SYSTEM__MAX_WORKER: environment override matches no known key", e.Message);
    }

    [Fact]
    public void Unknown_section_or_array_element_in_environment_is_an_error()
    {
        Assert.StartsWith($"{DevFile}: HFT_NOPE__X: environment override matches no known key", DevError(("HFT_NOPE__X", "1")).Message);
        Assert.StartsWith($"{DevFile}: HFT_ACCOUNTS__ZZ__CREDIT: environment override matches no known key",
            DevError(("HFT_ACCOUNTS__ZZ__CREDIT", "1")).Message);
    }

    [Fact]
    public void Same_key_by_id_and_by_index_is_an_error()
    {
        var e = DevError(("HFT_ACCOUNTS__A1__CREDIT", "1"), ("HFT_ACCOUNTS__0__CREDIT", "2"));
        Assert.Equal($"{DevFile}: [accounts[0]] credit: set by both HFT_ACCOUNTS__0__CREDIT and HFT_ACCOUNTS__A1__CREDIT", e.Message);
    }
}
