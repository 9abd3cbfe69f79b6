using Hft.Auth.Sessions;
using Hft.Server.Sessions;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Sessions;

/// <summary>The local revocation copy: entries live exactly as long as the tokens they stop, cutoffs only move forward.</summary>
public sealed class RevocationListTests
{
    [Fact]
    public void Session_entries_expire_with_the_last_access_token_and_are_pruned()
    {
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var list = new RevocationList(clock);
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        list.RevokeSession("short", now + 200);
        list.RevokeSession("long", now + 60_000);
        Assert.True(list.IsRevoked("short", "A1", clock.GetUtcNow()));
        clock.Advance(TimeSpan.FromMilliseconds(199));
        Assert.True(list.IsSessionRevoked("short")); // still inside its token's lifetime
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.False(list.IsRevoked("short", "A1", clock.GetUtcNow()));
        list.Prune();
        Assert.Equal(1, list.SessionCount);
        Assert.True(list.IsSessionRevoked("long"));
    }

    [Fact]
    public void An_account_cutoff_never_moves_back_and_covers_the_second_it_was_set()
    {
        var list = new RevocationList();
        list.RevokeAccount("A1", 1000);
        list.RevokeAccount("A1", 900); // an older message arriving late
        Assert.True(list.IsRevoked(null, "A1", DateTimeOffset.FromUnixTimeSeconds(1000)));
        Assert.True(list.IsRevoked(null, "A1", DateTimeOffset.FromUnixTimeSeconds(950)));
        Assert.False(list.IsRevoked(null, "A1", DateTimeOffset.FromUnixTimeSeconds(1001)));
        Assert.False(list.IsRevoked(null, "A2", DateTimeOffset.FromUnixTimeSeconds(1)));
    }
}
