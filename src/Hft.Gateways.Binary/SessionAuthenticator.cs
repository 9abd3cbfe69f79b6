using System.Text;
using Hft.Auth;
using Hft.Auth.Sessions;
using Hft.Pipeline;

namespace Hft.Gateways.Binary;

/// <summary>Checks a binary Login's credential - an API key, or a JWT as REST accepts it - and names the account it acts for.</summary>
public sealed class SessionAuthenticator(ApiKeyStore keys, TokenService tokens, ISessionStore sessions, TradingPipeline pipeline)
{
    public async Task<(LoginRejectReason? Rejected, int Account, string Name)> AuthenticateAsync(AuthKind kind, byte[] credential)
    {
        string? name;
        switch (kind)
        {
            case AuthKind.ApiKey:
                if (!keys.TryResolve(Encoding.UTF8.GetString(credential), out var account, out _)) return (LoginRejectReason.BadCredentials, -1, "");
                name = account;
                break;
            case AuthKind.Jwt:
                var (user, _) = await tokens.ValidateAsync(Encoding.UTF8.GetString(credential));
                if (user is null || sessions.IsRevoked(user)) return (LoginRejectReason.BadCredentials, -1, "");
                name = TokenService.AccountOf(user);
                if (name is null) return (LoginRejectReason.BadCredentials, -1, "");
                break;
            default:
                return (LoginRejectReason.BadAuthKind, -1, "");
        }
        if (!pipeline.Accounts.TryGet(name, out int id)) return (LoginRejectReason.UnknownAccount, -1, name);
        var risk = pipeline.RiskBook.Account(id);
        if (!risk.Declared || !risk.Enabled) return (LoginRejectReason.AccountDisabled, id, name);
        return (null, id, name);
    }
}
