namespace Hft.Configuration.Tests;

/// <summary>Every kind of mistake stops loading with one line naming file, key and problem.</summary>
public sealed class ConfigErrorTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    private static Dictionary<string, string?> WithSecret() => new() { ["HFT_AUTH__SECRET"] = ShippedProfilesTests.Secret };

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes the shipped profile edited by <paramref name="edit"/>, loads it, returns the error.</summary>
    private (string File, ConfigException Error) Fails(string profile, Func<string, string> edit, Dictionary<string, string?>? env = null)
    {
        var file = _dir.WriteEdited(profile, edit);
        var e = Assert.Throws<ConfigException>(() => _dir.Load(profile, env ?? WithSecret()));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(file, e.File);
        return (file, e);
    }

    private (string File, ConfigException Error) FailsRaw(string profile, string toml, Dictionary<string, string?>? env = null)
    {
        var file = _dir.Write(profile, toml);
        var e = Assert.Throws<ConfigException>(() => _dir.Load(profile, env ?? []));
        Assert.DoesNotContain('\n', e.Message);
        return (file, e);
    }

    private static Func<string, string> Replace(string from, string to) => s => s.Replace(from, to, StringComparison.Ordinal);

    [Fact]
    public void Exit_code_is_2() => Assert.Equal(2, ConfigException.ExitCode);

    // ---- unknown keys ------------------------------------------------------------------------------------------

    [Fact]
    public void Unknown_section()
    {
        var (file, e) = Fails("development", s => s + "\n[metrics]\nport = 1\n");
        Assert.Equal($"{file}: [metrics]: unknown section", e.Message);
    }

    [Fact]
    public void Unknown_section_with_suggestion()
    {
        var (file, e) = Fails("production", s => s + "\n[jornal]\nmode = \"sync\"\n");
        Assert.Equal($"{file}: [jornal]: unknown section (did you mean journal?)", e.Message);
    }

    [Fact]
    public void Unknown_top_level_key()
    {
        var (file, e) = Fails("development", s => "colour = \"blue\"\n" + s);
        Assert.Equal($"{file}: colour: unknown top-level key", e.Message);
    }

    [Fact]
    public void Unknown_key_in_a_section()
    {
        var (file, e) = Fails("production", Replace("max_workers = 8", "max_worker = 8"));
        Assert.Equal($"{file}: [system] max_worker: unknown key (did you mean max_workers?)", e.Message);
    }

    [Fact]
    public void Unknown_nested_table_in_a_section()
    {
        var (file, e) = Fails("development", s => s + "\n[system.tuning]\nspin = true\n");
        Assert.Equal($"{file}: [system] tuning: unknown key", e.Message);
    }

    [Fact]
    public void Unknown_key_in_an_array_of_tables()
    {
        var (file, e) = Fails("development", Replace("symbol = \"ETHUSD\"", "symbol = \"ETHUSD\"\ncontract_size = \"1\""));
        Assert.Equal($"{file}: [trading.instruments[1]] contract_size: unknown key", e.Message);
    }

    [Fact]
    public void Unknown_key_in_a_nested_array_of_tables()
    {
        var (file, e) = Fails("development", Replace("role = \"admin\"", "role = \"admin\"\nexpires = 2030"));
        Assert.Equal($"{file}: [auth.api_keys[2]] expires: unknown key", e.Message);
    }

    // ---- types -------------------------------------------------------------------------------------------------

    [Fact]
    public void Wrong_type_string_for_integer()
    {
        var (file, e) = Fails("production", Replace("max_workers = 8", "max_workers = \"8\""));
        Assert.Equal($"{file}: [system] max_workers: expected an integer, got string \"8\"", e.Message);
    }

    [Fact]
    public void Wrong_type_integer_for_boolean()
    {
        var (file, e) = Fails("production", Replace("enable_prometheus = true", "enable_prometheus = 1"));
        Assert.Equal($"{file}: [monitoring] enable_prometheus: expected a boolean (true or false), got integer 1", e.Message);
    }

    [Fact]
    public void Wrong_type_string_for_list()
    {
        var (file, e) = Fails("production", Replace("enabled_symbols = [\"BTCUSD\", \"ETHUSD\"]", "enabled_symbols = \"BTCUSD\""));
        Assert.Equal($"{file}: [trading] enabled_symbols: expected an array of strings, got string \"BTCUSD\"", e.Message);
    }

    [Fact]
    public void Wrong_type_in_a_list_item()
    {
        var (file, e) = Fails("production", Replace("enabled_symbols = [\"BTCUSD\", \"ETHUSD\"]", "enabled_symbols = [\"BTCUSD\", 7]"));
        Assert.Equal($"{file}: [trading] enabled_symbols: item 1: expected a string, got integer 7", e.Message);
    }

    [Fact]
    public void Section_that_is_not_a_table()
    {
        var (file, e) = FailsRaw("development", "journal = \"sync\"\n");
        Assert.Equal($"{file}: [journal]: expected a table [journal], got string \"sync\"", e.Message);
    }

    [Fact]
    public void Invalid_toml_syntax_names_line_and_column()
    {
        var (file, e) = Fails("production", Replace("max_workers = 8", "max_workers = 8\nmax_workers = 9"));
        Assert.StartsWith($"{file}: line ", e.Message);
        Assert.Contains("invalid TOML: The key `system.max_workers` is already defined", e.Message);
    }

    // ---- ranges ------------------------------------------------------------------------------------------------

    [Fact]
    public void Out_of_range_integer()
    {
        var (file, e) = Fails("production", Replace("max_workers = 8", "max_workers = 0"));
        Assert.Equal($"{file}: [system] max_workers: must be between 1 and 64, got 0", e.Message);
    }

    [Fact]
    public void Out_of_range_port()
    {
        var (file, e) = Fails("production", Replace("metrics_port = 8080", "metrics_port = 70000"));
        Assert.Equal($"{file}: [monitoring] metrics_port: must be between 1 and 65535, got 70000", e.Message);
    }

    [Fact]
    public void Out_of_range_float()
    {
        var (file, e) = Fails("production", Replace("sample_rate = 1.0", "sample_rate = 1.5"));
        Assert.Equal($"{file}: [latency_profiling] sample_rate: must be between 0 and 1, got 1.5", e.Message);
    }

    [Fact]
    public void Out_of_range_decimal()
    {
        var (file, e) = Fails("production", Replace("price_band_pct = \"5\"", "price_band_pct = \"0\""));
        Assert.Equal($"{file}: [trading.instruments[0]] price_band_pct: must be greater than 0 and at most 100, got 0", e.Message);
    }

    [Fact]
    public void Negative_credit()
    {
        var (file, e) = Fails("development", Replace("credit = \"10000000\"", "credit = \"-5\""));
        Assert.Equal($"{file}: [risk] credit: must be at least 0, got -5", e.Message);
    }

    // ---- decimals ----------------------------------------------------------------------------------------------

    [Fact]
    public void Bad_decimal_text()
    {
        var (file, e) = Fails("production", Replace("tick = \"0.01\"", "tick = \"0.0.1\""));
        Assert.StartsWith($"{file}: [trading.instruments[0]] tick: not a valid decimal number: \"0.0.1\"", e.Message);
    }

    [Fact]
    public void Float_for_a_decimal_is_refused()
    {
        var (file, e) = Fails("production", Replace("max_order_qty = \"10\"", "max_order_qty = 10.5"));
        Assert.Equal($"{file}: [risk] max_order_qty: expected a decimal string such as \"10.5\", got float 10.5 (floats are inexact: quote the value)", e.Message);
    }

    [Fact]
    public void Zero_tick()
    {
        var (file, e) = Fails("production", Replace("tick = \"0.01\"", "tick = \"0\""));
        Assert.Equal($"{file}: [trading.instruments[0]] tick: must be greater than zero, got 0", e.Message);
    }

    [Fact]
    public void Mark_price_off_the_tick_grid()
    {
        var (file, e) = Fails("development", Replace("mark_price = \"50000\"", "mark_price = \"50000.005\""));
        Assert.Equal($"{file}: [trading.instruments[0]] mark_price: 50000.005 is not a multiple of tick 0.01", e.Message);
    }

    [Fact]
    public void Missing_required_instrument_key()
    {
        var (file, e) = Fails("production", Replace("lot = \"0.001\"\n", ""));
        Assert.Equal($"{file}: [trading.instruments[1]] lot: missing required key", e.Message);
    }

    // ---- files and profiles ------------------------------------------------------------------------------------

    [Fact]
    public void Missing_file()
    {
        var e = Assert.Throws<ConfigException>(() => _dir.Load("production", WithSecret()));
        var file = Path.Combine(_dir.Path, "production.toml");
        Assert.StartsWith($"{file}: file not found", e.Message);
    }

    [Fact]
    public void Missing_file_without_any_config_dir()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("staging", null, WithSecret()));
        Assert.StartsWith("staging.toml: file not found (no config directory found", e.Message);
    }

    [Fact]
    public void Unknown_profile_from_argument()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load("prod", RepoConfig.Dir, WithSecret()));
        Assert.Equal("--profile: unknown profile \"prod\" (expected development, staging or production)", e.Message);
    }

    [Fact]
    public void Unknown_profile_from_environment()
    {
        var e = Assert.Throws<ConfigException>(() =>
            ConfigLoader.Load(null, RepoConfig.Dir, new Dictionary<string, string?> { ["HFT_PROFILE"] = "../etc/passwd" }));
        Assert.Equal("HFT_PROFILE: unknown profile \"../etc/passwd\" (expected development, staging or production)", e.Message);
    }

    // ---- production hardening ----------------------------------------------------------------------------------

    [Fact]
    public void Production_refuses_the_development_secret_from_the_environment()
    {
        _dir.CopyShipped("production");
        var e = Assert.Throws<ConfigException>(() =>
            _dir.Load("production", new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = AuthConfig.DevelopmentSecret }));
        Assert.Equal($"{Path.Combine(_dir.Path, "production.toml")}: [auth] secret (from env HFT_AUTH__SECRET): the development secret is refused in production: set HFT_AUTH__SECRET to a secret of your own", e.Message);
    }

    [Fact]
    public void Production_refuses_the_development_secret_in_the_file()
    {
        var (file, e) = Fails("production", Replace("audience = \"hft-api\"", $"audience = \"hft-api\"\nsecret = \"{AuthConfig.DevelopmentSecret}\""), []);
        Assert.Equal($"{file}: [auth] secret: the development secret is refused in production: set HFT_AUTH__SECRET to a secret of your own", e.Message);
    }

    [Fact]
    public void Production_refuses_auth_disabled()
    {
        var (file, e) = Fails("production", Replace("enabled = true                     # must stay true", "enabled = false  #"));
        Assert.Equal($"{file}: [auth] enabled: must be true in production", e.Message);
    }

    [Fact]
    public void Production_refuses_auth_disabled_from_the_environment()
    {
        _dir.CopyShipped("production");
        var env = WithSecret();
        env["HFT_AUTH__ENABLED"] = "false";
        var e = Assert.Throws<ConfigException>(() => _dir.Load("production", env));
        Assert.Equal($"{Path.Combine(_dir.Path, "production.toml")}: [auth] enabled (from env HFT_AUTH__ENABLED): must be true in production", e.Message);
    }

    [Theory]
    [InlineData("production")]
    [InlineData("staging")]
    public void No_secret_names_the_key_and_the_variable(string profile)
    {
        var file = _dir.CopyShipped(profile);
        var e = Assert.Throws<ConfigException>(() => _dir.Load(profile, []));
        Assert.Equal($"{file}: [auth] secret: required when auth is enabled: set HFT_AUTH__SECRET (or [auth] key_file)", e.Message);
    }

    [Fact]
    public void Production_refuses_journal_none()
    {
        var (file, e) = Fails("production", Replace("mode = \"sync\"", "mode = \"none\""));
        Assert.Equal($"{file}: [journal] mode: must be sync or async in production, got \"none\"", e.Message);
    }

    [Fact]
    public void Unknown_journal_mode()
    {
        var (file, e) = Fails("staging", Replace("mode = \"async\"", "mode = \"lazy\""));
        Assert.Equal($"{file}: [journal] mode: must be one of sync, async, none, got \"lazy\"", e.Message);
    }

    [Fact]
    public void Short_secret()
    {
        _dir.CopyShipped("production");
        var e = Assert.Throws<ConfigException>(() =>
            _dir.Load("production", new Dictionary<string, string?> { ["HFT_AUTH__SECRET"] = "too-short" }));
        Assert.EndsWith("[auth] secret (from env HFT_AUTH__SECRET): must be at least 32 bytes, got 9", e.Message);
    }

    [Fact]
    public void Missing_key_file()
    {
        var (file, e) = Fails("production", Replace("audience = \"hft-api\"", "audience = \"hft-api\"\nkey_file = \"/nonexistent/jwt.pem\""));
        Assert.Equal($"{file}: [auth] key_file: file not found: /nonexistent/jwt.pem", e.Message);
    }

    // ---- cross-key rules ---------------------------------------------------------------------------------------

    [Fact]
    public void Enabled_symbol_without_instrument()
    {
        var (file, e) = Fails("production", Replace("enabled_symbols = [\"BTCUSD\", \"ETHUSD\"]", "enabled_symbols = [\"BTCUSD\", \"ETHUSD\", \"XRPUSD\"]"));
        Assert.Equal($"{file}: [trading] enabled_symbols: \"XRPUSD\" is enabled but has no [[trading.instruments]] entry (defined: BTCUSD, ETHUSD)", e.Message);
    }

    [Fact]
    public void Duplicate_instrument()
    {
        var (file, e) = Fails("production", Replace("symbol = \"ETHUSD\"", "symbol = \"BTCUSD\""));
        Assert.Equal($"{file}: [trading.instruments[1]] symbol: duplicate instrument \"BTCUSD\"", e.Message);
    }

    [Fact]
    public void Duplicate_account_id()
    {
        var (file, e) = Fails("development", s => s + "\n[[accounts]]\nid = \"A1\"\n");
        Assert.Equal($"{file}: [accounts[3]] id: duplicate account id \"A1\" (already defined by accounts[0])", e.Message);
    }

    [Fact]
    public void Invalid_account_id()
    {
        var (file, e) = Fails("development", Replace("id = \"A2\"", "id = \"A 2\""));
        Assert.Equal($"{file}: [accounts[1]] id: must be 1-32 letters, digits, '_' or '-', got \"A 2\"", e.Message);
    }

    [Fact]
    public void Invalid_api_key_hash()
    {
        var (file, e) = Fails("development", Replace("087999c6a69aab743095818a9e59a39bfeb2ac59505b5a41f80f8e84bcc4e55f", "dev-key-A1"));
        Assert.Equal($"{file}: [auth.api_keys[0]] sha256: must be the SHA-256 of the key as 64 hex digits, got \"dev-key-a1\" (10 characters)", e.Message);
    }

    [Fact]
    public void Duplicate_api_key()
    {
        var (file, e) = Fails("development", Replace("7f9e9bb87c445f935f3ef908516e79f2bef29364a92afd44be31cba0a437a523", "087999C6A69AAB743095818A9E59A39BFEB2AC59505B5A41F80F8E84BCC4E55F"));
        Assert.Equal($"{file}: [auth.api_keys[1]] sha256: duplicate API key (same hash as auth.api_keys[0])", e.Message);
    }

    [Fact]
    public void Api_key_for_an_unknown_account()
    {
        var (file, e) = Fails("development", Replace("account = \"A2\"", "account = \"B7\""));
        Assert.Equal($"{file}: [auth.api_keys[1]] account: unknown account \"B7\" (defined: A1, A2, ADMIN)", e.Message);
    }

    [Fact]
    public void Api_key_with_an_unknown_role()
    {
        var (file, e) = Fails("development", Replace("role = \"admin\"", "role = \"root\""));
        Assert.Equal($"{file}: [auth.api_keys[2]] role: must be one of trader, admin, got \"root\"", e.Message);
    }

    [Fact]
    public void Bad_bind_address()
    {
        var (file, e) = Fails("production", Replace("bind = \"0.0.0.0\"", "bind = \"everywhere\""));
        Assert.Equal($"{file}: [server] bind: must be an IP address (e.g. 127.0.0.1, 0.0.0.0, ::) or localhost, got \"everywhere\"", e.Message);
    }
}
