namespace Hft.Configuration;

/// <summary>An API key, stored as the SHA-256 hex of the key, with the account and role it grants.</summary>
public sealed record ApiKeyConfig
{
    public string Sha256 { get; init; } = "";
    public string Account { get; init; } = "";
    public string Role { get; init; } = "trader";

    private static readonly string[] Roles = ["trader", "admin"];

    /// <summary>One [[auth.api_keys]] entry.</summary>
    internal static ApiKeyConfig Bind(SectionReader r) => new()
    {
        Sha256 = r.String("sha256", "", required: true).Trim().ToLowerInvariant(),
        Account = r.String("account", "", required: true),
        Role = r.String("role", new ApiKeyConfig().Role).Trim().ToLowerInvariant(),
    };

    /// <summary>Hash and role; that the account exists is checked against [[accounts]] by <see cref="ConfigValidator"/>.</summary>
    internal void Validate(string section, BindContext ctx)
    {
        if (!Sha256Hex.IsValid(Sha256))
            throw ctx.Error(section, "sha256", $"must be the SHA-256 of the key as 64 hex digits, got \"{Sha256}\" ({Sha256.Length} characters)");
        if (Array.IndexOf(Roles, Role) < 0)
            throw ctx.Error(section, "role", $"must be one of {string.Join(", ", Roles)}, got \"{Role}\"");
    }
}
