namespace Hft.Configuration;

/// <summary>One [[gateway.fix_sessions]] entry: a counterparty's CompIDs, the account it trades for and its password.</summary>
public sealed record FixSessionConfig
{
    /// <summary>The client's SenderCompID (49) - our TargetCompID.</summary>
    public string SenderCompId { get; init; } = "";

    /// <summary>The CompID the client addresses us by (56) - our SenderCompID.</summary>
    public string TargetCompId { get; init; } = "HFT";

    /// <summary>The account the session's orders belong to.</summary>
    public string Account { get; init; } = "";

    /// <summary>SHA-256 (hex) of the Logon password (554); the plain password is never stored.</summary>
    public string PasswordSha256 { get; init; } = "";

    /// <summary>One [[gateway.fix_sessions]] entry.</summary>
    internal static FixSessionConfig Bind(SectionReader r) => new()
    {
        SenderCompId = r.String("sender_comp_id", "", required: true),
        TargetCompId = r.String("target_comp_id", new FixSessionConfig().TargetCompId),
        Account = r.String("account", "", required: true),
        PasswordSha256 = r.String("password_sha256", "", required: true).Trim().ToLowerInvariant(),
    };

    /// <summary>The password hash; that the account exists is checked against [[accounts]] by <see cref="ConfigValidator"/>.</summary>
    internal void Validate(string section, BindContext ctx)
    {
        if (!Sha256Hex.IsValid(PasswordSha256))
            throw ctx.Error(section, "password_sha256", "must be 64 hex digits (printf '%s' 'password' | sha256sum)");
    }
}
