using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hft.Auth;
using Hft.Client.Rest;
using Hft.Configuration;
using Hft.Server.Auth;

namespace Hft.Tools.CrashTest;

/// <summary>What one burst of trading saw before and after the server was stopped.</summary>
internal sealed record BurstResult(long Acks, long Unanswered, int KillAfterMs);

/// <summary>
/// The crash tests' load: concurrent <see cref="TradingClient"/>s of A1 (buys) and A2 (sells) on one server, each
/// adopting its share of the accounts' open orders, until a random moment in [min, max) ms when <c>kill</c> stops the
/// server; then (bounded) until every client has noticed. Used by <c>crashtest</c> and <c>crashtest --replicated</c>.
/// </summary>
internal static class TradingBurst
{
    public static async Task<BurstResult> RunAsync(int port, HftConfig config, AckLedger ledger, CrashTestOptions options, Random rng,
        string idPrefix, Action kill, Action<string> violation)
    {
        long acksBefore = Interlocked.Read(ref ledger.Acks), unansweredBefore = Interlocked.Read(ref ledger.Unanswered);
        using var a1 = LoopbackApi.Open(port, TraderToken(config, "A1"));
        using var a2 = LoopbackApi.Open(port, TraderToken(config, "A2"));
        var clients = new List<TradingClient>();
        for (int c = 0; c < options.ClientsPerAccount; c++)
        {
            clients.Add(new TradingClient("A1", "buy", a1, ledger, new Random(rng.Next()), $"{idPrefix}b{c}"));
            clients.Add(new TradingClient("A2", "sell", a2, ledger, new Random(rng.Next()), $"{idPrefix}s{c}"));
        }
        // Each client manages its share of the account's open orders.
        int[] share = new int[2];
        foreach (var facts in ledger.Orders.Values.Where(f => f.IsOpen).OrderBy(f => f.Id))
        {
            int side = facts.Account == "A1" ? 0 : 1;
            clients[2 * (share[side]++ % options.ClientsPerAccount) + side].Adopt(facts.Id);
        }
        int killAfter = rng.Next(options.MinKillMs, options.MaxKillMs);
        var deadline = DateTime.UtcNow.AddSeconds(20); // clients stop by then whatever happens
        var running = clients.Select(c => Task.Run(() => c.RunAsync(maxOps: 2000, deadline))).ToArray();
        await Task.Delay(killAfter);
        kill();
        var all = Task.WhenAll(running);
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(30))) != all) violation("clients did not stop after the kill");
        else await all;
        return new BurstResult(Interlocked.Read(ref ledger.Acks) - acksBefore, Interlocked.Read(ref ledger.Unanswered) - unansweredBefore,
            killAfter);
    }

    /// <summary>A trader token for <paramref name="account"/>, signed with the profile's key, as long-lived as the server accepts.</summary>
    public static string TraderToken(HftConfig config, string account) => Token(config, account, Roles.Trader);

    /// <summary>An admin token (for /debug/state-hash), as long-lived as the server accepts.</summary>
    public static string AdminToken(HftConfig config) => Token(config, "ADMIN", Roles.Admin);

    private static string Token(HftConfig config, string account, string role)
        => new TokenService(config.Auth, SigningKeys.From(config.Auth)).Mint(account, role, TimeSpan.FromSeconds(config.Auth.MaxTokenLifetimeSeconds));
}
