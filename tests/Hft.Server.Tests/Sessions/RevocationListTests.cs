using Hft.Auth.Sessions;
using Hft.Server.Sessions;

namespace Hft.Server.Tests.Sessions;

/// <summary>The local revocation copy: entries live exactly as long as the tokens they stop, cutoffs only move forward.</summary>
public sealed class RevocationListTests
{
    [Fact]
    public async Task Session_entries_expire_with_the_last_access_token_and_are_pruned()
    {
        var list = new RevocationList();
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        list.RevokeSession("short", now + 200);
        list.RevokeSession("long", now + 60_000);
        Assert.True(list.IsRevoked("short", "A1", DateTimeOffset.UtcNow));
        await Task.Delay(400);
        Assert.False(list.IsRevoked("short", "A1", DateTimeOffset.UtcNow));
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
