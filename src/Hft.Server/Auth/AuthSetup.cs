using Hft.Auth;
using Hft.Auth.Sessions;
using Hft.Configuration;
using Hft.Server.Api;
using Hft.Server.Sessions;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Hft.Server.Auth;

/// <summary>JWT bearer authentication (Microsoft's JwtBearer) with the API's JSON error shape for 401 and 403.</summary>
public static class AuthSetup
{
    public const string TraderPolicy = "trader";
    public const string AdminPolicy = "admin";

    public static IServiceCollection AddHftAuth(this IServiceCollection services, HftConfig config, TokenService tokens,
        Action<HttpContext, string>? onFailure = null)
    {
        services.AddSingleton(tokens);
        services.AddSingleton(new ApiKeyStore(config.Auth.ApiKeys));
        services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = tokens.ValidationParameters();
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(tokens.Inbound); // validates a token once, then answers its repeats from memory
                options.Events = new JwtBearerEvents
                {
                    // Logout and admin revoke take effect here: a lookup in this process's copy of the revocation
                    // list (Sessions/RevocationList.cs), no I/O per request.
                    OnTokenValidated = context =>
                    {
                        var sessions = context.HttpContext.RequestServices.GetRequiredService<ISessionStore>();
                        if (sessions.IsRevoked(context.Principal!))
                            context.Fail(new TokenRevokedException());
                        return Task.CompletedTask;
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        string message = context.AuthenticateFailure switch
                        {
                            SecurityTokenExpiredException => "token expired",
                            TokenClaimException claims => claims.Message,
                            TokenRevokedException => "token revoked (logged out, or the account's sessions were revoked)",
                            SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "invalid token signature",
                            SecurityTokenInvalidAudienceException => "token not issued for this API",
                            SecurityTokenInvalidIssuerException => "token from an unknown issuer",
                            null when string.IsNullOrEmpty(context.Request.Headers.Authorization) => "missing bearer token",
                            null => "malformed bearer token",
                            _ => "invalid token",
                        };
                        onFailure?.Invoke(context.HttpContext, message);
                        await ApiError.Write(context.HttpContext, StatusCodes.Status401Unauthorized, "unauthorized", message);
                    },
                    OnForbidden = async context =>
                    {
                        onFailure?.Invoke(context.HttpContext, "forbidden");
                        await ApiError.Write(context.HttpContext, StatusCodes.Status403Forbidden, "forbidden", "this action needs the admin role");
                    },
                };
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(TraderPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Trader, Roles.Admin))
            .AddPolicy(AdminPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return services;
    }
}

/// <summary>The token is valid but its session was ended (logout, refresh token reuse) or its account's tokens revoked.</summary>
public sealed class TokenRevokedException() : SecurityTokenException("token revoked");
