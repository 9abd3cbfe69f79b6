using System.Security.Claims;
using Hft.Auth;
using Hft.Configuration;

namespace Hft.Server.MarketData;

/// <summary>
/// Who gets order-by-order (level 3) data, on <c>/ws</c> and on <c>GET /api/v1/book/{symbol}?level=3</c> alike: admins,
/// and the accounts with <c>market_data_level3 = true</c> in their [[accounts]] entry. What they see of the orders'
/// owners is <see cref="OrderOwnerView"/>'s rule.
/// </summary>
public sealed class Level3Access(HftConfig config)
{
    private readonly HashSet<string> _entitled = config.Accounts.Where(a => a.MarketDataLevel3).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);

    public const string Entitlement = "an admin token or market_data_level3 = true in its [[accounts]] entry";

    public bool IsEntitled(string account, bool admin) => admin || _entitled.Contains(account);

    public bool IsEntitled(ClaimsPrincipal user)
        => user.Identity?.IsAuthenticated == true && TokenService.AccountOf(user) is { } account && IsEntitled(account, TokenService.IsAdmin(user));
}

/// <summary>
/// What one level 3 answer shows of each order's owner - the one rule for every level 3 output: the owner's account
/// name to operators only (admins, the operations endpoints); an entitled trader sees which orders are its own
/// (<c>own</c>) and never another account's name; the public sees no level 3 at all.
/// </summary>
public readonly record struct OrderOwnerView(bool ShowsOwners, int Viewer)
{
    /// <summary>Operators: every order's owner.</summary>
    public static readonly OrderOwnerView Operator = new(true, -1);

    /// <summary>An entitled trader: its own orders marked, no names.</summary>
    public static OrderOwnerView Trader(int account) => new(false, account);
}
