using System.Net;
using System.Security.Cryptography;
using System.Text;
using Hft.Configuration;
using Hft.Server.Api;
using Hft.Server.Auth;
using Hft.Server.Listeners;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Hft.Server.Operations;

/// <summary>What a caller admitted to the operations endpoints sees.</summary>
public enum OpsView
{
    /// <summary>Everything but the per-account series (positions, PnL, exposure, open orders) and the owners of orders.</summary>
    Aggregate,

    /// <summary>Everything: the caller is an operator.</summary>
    Operator,
}

/// <summary>Admitted with a view, or refused with an answer.</summary>
public sealed record OpsDecision(OpsView View, int Status = StatusCodes.Status200OK, string? Code = null, string? Reason = null)
{
    public bool Admitted => Status == StatusCodes.Status200OK;

    public IResult Refusal => ApiError.Result(Status, Code!, Reason!);
}

/// <summary>
/// Who may read the operations endpoints (/metrics, /debug/*) and what they see, on whichever listener serves them:
/// 1. the remote address must be in <c>[monitoring] allowed_cidrs</c> (else 403);
/// 2. a bearer token, when one is sent, must be an operator's credential: the ops token (<c>[monitoring]
///    ops_token_sha256</c>) or an admin JWT - else 401 (403 for a valid token without the admin role). A wrong
///    credential is refused, never quietly answered with less: a scraper with a stale token shows as down;
/// 3. no bearer token: an operator on the dedicated operations listener while no ops token is configured (the
///    network is the credential there); otherwise - a shared port, or an ops token configured - the aggregate view.
/// </summary>
public sealed class OpsAccess
{
    private static readonly object s_viewKey = new();

    private readonly IReadOnlyList<IPNetwork> _networks;
    private readonly byte[]? _tokenHash;
    private readonly HostListeners _listeners;

    public OpsAccess(MonitoringConfig config, HostListeners listeners)
    {
        _networks = config.AllowedNetworks();
        _tokenHash = config.OpsTokenSha256 is { } hex ? Convert.FromHexString(hex) : null;
        _listeners = listeners;
    }

    /// <summary>Who, without a bearer token, gets the operator's view (for the start-up lines).</summary>
    public string OperatorRule => _tokenHash is null && !_listeners.Shared
        ? "per-account series and order owners for any allowed address"
        : "per-account series and order owners only with the ops token or an admin token";

    /// <summary>Needs authentication to have run (an admin JWT is recognised from <see cref="HttpContext.User"/>).</summary>
    public async Task<OpsDecision> DecideAsync(HttpContext http)
    {
        var remote = http.Connection.RemoteIpAddress;
        if (remote is { IsIPv4MappedToIPv6: true }) remote = remote.MapToIPv4();
        if (remote is null || !_networks.Any(n => n.Contains(remote)))
            return Refuse(StatusCodes.Status403Forbidden, "forbidden", $"{remote?.ToString() ?? "an unknown address"} is not in [monitoring] allowed_cidrs");

        string? authorization = http.Request.Headers.Authorization;
        if (string.IsNullOrEmpty(authorization))
            return new OpsDecision(_tokenHash is null && _listeners.OnOperationsListener(http) ? OpsView.Operator : OpsView.Aggregate);
        if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Refuse(StatusCodes.Status401Unauthorized, "unauthorized", "expected Authorization: Bearer <ops token or admin token>");
        if (IsOpsToken(authorization["Bearer ".Length..].Trim())) return new OpsDecision(OpsView.Operator);
        if (http.User.Identity?.IsAuthenticated != true)
            return Refuse(StatusCodes.Status401Unauthorized, "unauthorized", "the bearer token is neither the ops token nor a valid admin token");
        var admin = await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, AuthSetup.AdminPolicy);
        return admin.Succeeded
            ? new OpsDecision(OpsView.Operator)
            : Refuse(StatusCodes.Status403Forbidden, "forbidden", "the operations endpoints take the ops token or an admin token, not a trader's");
    }

    /// <summary>Remembers the view of an admitted request for its endpoint.</summary>
    public static void Remember(HttpContext http, OpsView view) => http.Items[s_viewKey] = view;

    /// <summary>The view of a request the gate admitted (aggregate when it did not pass the gate).</summary>
    public static OpsView ViewOf(HttpContext http) => http.Items.TryGetValue(s_viewKey, out var view) && view is OpsView v ? v : OpsView.Aggregate;

    /// <summary>The answer to a request for what only an operator sees.</summary>
    public static IResult OperatorOnly(string what)
        => ApiError.Result(StatusCodes.Status401Unauthorized, "unauthorized", $"{what}: send the ops token or an admin token (Authorization: Bearer ...)");

    private bool IsOpsToken(string token)
        => _tokenHash is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _tokenHash);

    private static OpsDecision Refuse(int status, string code, string reason) => new(OpsView.Aggregate, status, code, reason);
}
