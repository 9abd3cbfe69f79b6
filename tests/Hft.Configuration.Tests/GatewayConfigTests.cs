namespace Hft.Configuration.Tests;

/// <summary>[gateway]: ports and FIX sessions are bound strictly, with one-line errors.</summary>
public sealed class GatewayConfigTests : IDisposable
{
    private readonly TempConfigDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private ConfigException Fails(Func<string, string> edit)
    {
        _dir.WriteEdited("development", edit);
        var e = Assert.Throws<ConfigException>(() => _dir.Load("development"));
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void Development_profile_declares_two_fix_sessions()
    {
        _dir.CopyShipped("development");
        var c = _dir.Load("development");
        Assert.Equal(9100, c.Gateway.BinaryPort);
        Assert.Equal(9878, c.Gateway.FixPort);
        Assert.Equal(["A1", "A2"], c.Gateway.FixSessions.Select(f => f.Account));
        Assert.All(c.Gateway.FixSessions, f => Assert.Equal("HFT", f.TargetCompId));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("dev-fix-A1"u8)), c.Gateway.FixSessions[0].PasswordSha256);
    }

    [Fact]
    public void Port_out_of_range()
        => Assert.Contains("[gateway] binary_port", Fails(s => s.Replace("binary_port = 9100", "binary_port = 70000", StringComparison.Ordinal)).Message);

    [Fact]
    public void Same_port_for_both_gateways()
    {
        var e = Fails(s => s.Replace("binary_enabled = false", "binary_enabled = true", StringComparison.Ordinal)
            .Replace("fix_enabled = false", "fix_enabled = true", StringComparison.Ordinal)
            .Replace("fix_port = 9878", "fix_port = 9100", StringComparison.Ordinal));
        Assert.Contains("[gateway] fix_port: must differ from binary_port", e.Message);
    }

    [Fact]
    public void Gateway_port_equal_to_the_metrics_port()
    {
        var e = Fails(s => s.Replace("binary_enabled = false", "binary_enabled = true", StringComparison.Ordinal)
            .Replace("binary_port = 9100", "binary_port = 8080", StringComparison.Ordinal));
        Assert.Contains("[gateway] binary_port: must differ from the HTTP ports", e.Message);
    }

    [Fact]
    public void Fix_session_for_an_unknown_account()
        => Assert.Contains("[gateway.fix_sessions[1]] account: names no [[accounts]] entry",
            Fails(s => s.Replace("account = \"A2\"\npassword_sha256", "account = \"ZZ\"\npassword_sha256", StringComparison.Ordinal)).Message);

    [Fact]
    public void Fix_session_password_not_a_hash()
        => Assert.Contains("password_sha256: must be 64 hex digits",
            Fails(s => s.Replace("target_comp_id = \"HFT\"\naccount = \"A1\"\npassword_sha256 = \"", "target_comp_id = \"HFT\"\naccount = \"A1\"\npassword_sha256 = \"x", StringComparison.Ordinal)).Message);

    [Fact]
    public void Duplicate_fix_session()
        => Assert.Contains("duplicate session CLIENT_A1->HFT",
            Fails(s => s.Replace("sender_comp_id = \"CLIENT_A2\"", "sender_comp_id = \"CLIENT_A1\"", StringComparison.Ordinal)).Message);

    [Fact]
    public void Fix_session_missing_its_sender()
        => Assert.Contains("sender_comp_id", Fails(s => s.Replace("sender_comp_id = \"CLIENT_A2\"\n", "", StringComparison.Ordinal)).Message);

    [Fact]
    public void Fix_allowed_custom_tags_default_to_none_and_read_a_toml_array_or_an_environment_list()
    {
        Assert.Empty(_dir.Load("development").Gateway.FixAllowedCustomTags);
        _dir.WriteEdited("development", s => s.Replace("fix_allowed_custom_tags = []", "fix_allowed_custom_tags = [5001, 7010]", StringComparison.Ordinal));
        Assert.Equal([5001, 7010], _dir.Load("development").Gateway.FixAllowedCustomTags);
        Assert.Equal([5002, 6000], _dir.Load("development", new() { ["HFT_GATEWAY__FIX_ALLOWED_CUSTOM_TAGS"] = "5002, 6000" }).Gateway.FixAllowedCustomTags);
    }

    [Fact]
    public void Fix_allowed_custom_tags_must_be_user_defined()
        => Assert.Contains("[gateway] fix_allowed_custom_tags: every item must be between 5000",
            Fails(s => s.Replace("fix_allowed_custom_tags = []", "fix_allowed_custom_tags = [44]", StringComparison.Ordinal)).Message);

    [Fact]
    public void Fix_allowed_custom_tags_must_be_integers()
        => Assert.Contains("[gateway] fix_allowed_custom_tags: item 0: expected an integer",
            Fails(s => s.Replace("fix_allowed_custom_tags = []", "fix_allowed_custom_tags = [\"5001\"]", StringComparison.Ordinal)).Message);
}
