namespace Hft.Auth.Sessions;

/// <summary>
/// How long things live: a session (its refresh chain) from login, an access token from its minting, and so how long a
/// revoked session id must stay on the revocation list (the longest an access token of it can still be presented:
/// the token lifetime plus the validation clock skew). Also the bound on sessions: only the
/// <see cref="MaxPerAccount"/> most recent logins of an account keep theirs (older ones are revoked), so repeated
/// logins cannot grow the store without bound.
/// </summary>
public sealed record SessionLifetimes(TimeSpan Session, TimeSpan AccessToken, int MaxPerAccount = SessionLifetimes.DefaultMaxPerAccount)
{
    public const int DefaultMaxPerAccount = 1000;

    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(5);

    public TimeSpan RevocationRetention => AccessToken + ClockSkew + TimeSpan.FromSeconds(1);

    public static SessionLifetimes From(Configuration.AuthConfig auth)
        => new(TimeSpan.FromSeconds(auth.RefreshTokenLifetimeSeconds), TimeSpan.FromSeconds(auth.TokenLifetimeSeconds));
}
