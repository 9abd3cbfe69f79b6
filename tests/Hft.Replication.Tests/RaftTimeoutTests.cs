namespace Hft.Replication.Tests;

/// <summary>
/// DotNext's candidate counts votes only once every member answered or failed, within its voting window (the random
/// election timeout, at least the lower bound): a request to a silent member (frozen, or cut off by a partition that
/// drops packets) must fail before that window closes, or no election succeeds while it is away.
/// </summary>
public sealed class RaftTimeoutTests
{
    [Theory]
    [InlineData(50)]
    [InlineData(300)]
    [InlineData(400)]
    [InlineData(1500)]
    [InlineData(10_000)]
    public void A_request_to_a_silent_member_fails_inside_the_shortest_voting_window(int electionTimeoutMs)
    {
        var timeout = RaftNode.RequestTimeoutFor(electionTimeoutMs);
        Assert.True(timeout < TimeSpan.FromMilliseconds(electionTimeoutMs), $"{timeout.TotalMilliseconds} ms for {electionTimeoutMs} ms");
        Assert.True(timeout >= TimeSpan.FromMilliseconds(electionTimeoutMs / 2), "room for a follower busy writing a large AppendEntries");
    }
}
