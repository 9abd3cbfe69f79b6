using System.Text;

namespace Hft.Configuration;

public sealed record AuthConfig
{
    /// <summary>False only in development; production refuses to start with auth disabled.</summary>
    public bool Enabled { get; init; } = true;

    public string Issuer { get; init; } = "hft";
    public string Audience { get; init; } = "hft-api";

    /// <summary>HS256 secret (at least 32 bytes). Development uses <see cref="DevelopmentSecret"/>, refused in production.</summary>
    public string? Secret { get; init; }

    /// <summary>PEM file with an RSA key for RS256 (private key to mint, public key enough to verify).</summary>
    public string? KeyFile { get; init; }

    public int TokenLifetimeSeconds { get; init; } = 900;

    /// <summary>
    /// The longest lifetime (exp - iat) of a token this venue accepts: what <c>./hft token --lifetime</c> may mint at
    /// most; a token claiming more was not issued here and is refused. At least <see cref="TokenLifetimeSeconds"/>.
    /// </summary>
    public int MaxTokenLifetimeSeconds { get; init; } = 3600;

    /// <summary>How long a session (its refresh token chain) lives from login; refresh rotates the token, not this.</summary>
    public int RefreshTokenLifetimeSeconds { get; init; } = 86_400;

    public IReadOnlyList<ApiKeyConfig> ApiKeys { get; init; } = [];

    public const string DevelopmentSecret = "hft-development-secret-do-not-use-in-production-0123456789";

    /// <summary>True when <see cref="Secret"/> is the well-known <see cref="DevelopmentSecret"/> (log it loudly; production refuses it).</summary>
    public bool IsDevelopmentSecret => Secret == DevelopmentSecret;

    /// <summary>Minimum HS256 secret length in bytes (256 bits).</summary>
    internal const int MinSecretBytes = 32;

    // Keeps the secret out of ToString() (and so out of logs that print the configuration).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append($"Enabled = {Enabled}, Issuer = {Issuer}, Audience = {Audience}, ");
        builder.Append($"Secret = {(Secret is null ? "null" : IsDevelopmentSecret ? "<development secret>" : "<redacted>")}, ");
        builder.Append($"KeyFile = {KeyFile ?? "null"}, TokenLifetimeSeconds = {TokenLifetimeSeconds}, MaxTokenLifetimeSeconds = {MaxTokenLifetimeSeconds}, ApiKeys = {ApiKeys.Count}");
        return true;
    }

    internal static AuthConfig Bind(SectionReader r, AuthConfig defaults) => new()
    {
        Enabled = r.Bool("enabled", defaults.Enabled),
        Issuer = r.String("issuer", defaults.Issuer),
        Audience = r.String("audience", defaults.Audience),
        Secret = r.StringOrNull("secret", defaults.Secret),
        RefreshTokenLifetimeSeconds = r.Int("refresh_token_lifetime_seconds", defaults.RefreshTokenLifetimeSeconds, 60, 90 * 86_400),
        KeyFile = r.StringOrNull("key_file", defaults.KeyFile),
        TokenLifetimeSeconds = r.Int("token_lifetime_seconds", defaults.TokenLifetimeSeconds, 60, 86_400),
        MaxTokenLifetimeSeconds = r.Int("max_token_lifetime_seconds", defaults.MaxTokenLifetimeSeconds, 60, 86_400),
        ApiKeys = r.BindTableArray("api_keys", defaults.ApiKeys, ApiKeyConfig.Bind),
    };

    /// <summary>Issuer, audience, a usable signing key, and API keys that are well-formed and unique.</summary>
    internal void Validate(BindContext ctx)
    {
        if (string.IsNullOrWhiteSpace(Issuer)) throw ctx.Error("auth", "issuer", "must not be empty");
        if (string.IsNullOrWhiteSpace(Audience)) throw ctx.Error("auth", "audience", "must not be empty");
        if (Secret is { } secret && Encoding.UTF8.GetByteCount(secret) < MinSecretBytes)
            throw ctx.Error("auth", "secret", $"must be at least {MinSecretBytes} bytes, got {Encoding.UTF8.GetByteCount(secret)}");
        if (KeyFile is { } keyFile && !File.Exists(keyFile))
            throw ctx.Error("auth", "key_file", $"file not found: {keyFile}");
        if (MaxTokenLifetimeSeconds < TokenLifetimeSeconds)
            throw ctx.Error("auth", "max_token_lifetime_seconds", $"must be at least token_lifetime_seconds ({TokenLifetimeSeconds}), got {MaxTokenLifetimeSeconds}");
        if (Enabled && Secret is null && KeyFile is null)
            throw ctx.Error("auth", "secret", "required when auth is enabled: set HFT_AUTH__SECRET (or [auth] key_file)");

        var hashes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ApiKeys.Count; i++)
        {
            var key = ApiKeys[i];
            var section = $"auth.api_keys[{i}]";
            if (hashes.TryGetValue(key.Sha256, out int first))
                throw ctx.Error(section, "sha256", $"duplicate API key (same hash as auth.api_keys[{first}])");
            hashes[key.Sha256] = i;
            key.Validate(section, ctx);
        }
    }
}
