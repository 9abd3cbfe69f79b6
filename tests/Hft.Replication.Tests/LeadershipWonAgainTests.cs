using System.Net;
using Hft.Journal;
using Hft.Tools;

namespace Hft.Replication.Tests;

/// <summary>
/// A member that loses leadership and wins it again in a later term (after a partition, or a step-down under load)
/// keeps journaling under its new leadership once order entry is switched on under it, provided no ticket of the old
/// leadership is still in flight; tickets of the old leadership stay void. A group of one member re-elects itself, so
/// the same member wins every term.
/// </summary>
public sealed class LeadershipWonAgainTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-leadership-again-" + Guid.NewGuid().ToString("N"));
    private RaftNode _node = null!;
    private JournalWriter _journal = null!;

    private sealed class Applier : IReplicatedLogApplier
    {
        public void Apply(ReadOnlySpan<byte> records)
        {
        }
    }

    public async Task InitializeAsync()
    {
        var self = new DnsEndPoint("localhost", Loopback.FreePort());
        _journal = new JournalWriter(Path.Combine(_dir, "journal"), JournalMode.Sync, 1);
        _node = await RaftNode.StartAsync(new RaftNodeOptions { Self = self, Members = [self], Dir = Path.Combine(_dir, "raft"), ElectionTimeoutMs = 150 },
            new Applier(), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _journal.Dispose();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_member_elected_again_journals_under_its_new_leadership_once_order_entry_is_on_under_it()
    {
        var first = await LeadershipAsync(default);
        _node.AllowTicketsUnder(first);
        _journal.Replicator = _node;
        var durable = new DurableWatch();
        _journal.Listener = durable;
        for (long i = 1; i <= 5; i++) _journal.Append(RecordType.Command, BitConverter.GetBytes(i));
        await durable.ReachesAsync(5);

        var second = await WinAgainAsync(first);
        Assert.Equal(-1, _node.Append(Batch(100), nothingInFlight: true)); // order entry not yet on under the new leadership
        _node.AllowTicketsUnder(second);
        for (long i = 6; i <= 10; i++) _journal.Append(RecordType.Command, BitConverter.GetBytes(i));
        await durable.ReachesAsync(10);

        Assert.Null(_journal.Failure);
        Assert.Equal(10, _journal.WrittenSequence);
        Assert.Equal(2, _node.TicketLeaderships);
    }

    [Fact]
    public async Task Tickets_of_an_earlier_leadership_still_in_flight_keep_the_new_one_closed()
    {
        var first = await LeadershipAsync(default);
        _node.AllowTicketsUnder(first);
        Assert.True(_node.Append(Batch(1), nothingInFlight: true) > 0);
        var second = await WinAgainAsync(first);
        _node.AllowTicketsUnder(second);
        Assert.Equal(-1, _node.CommittedTicket); // the old leadership's tickets are void
        Assert.Equal(-1, _node.Append(Batch(2), nothingInFlight: false));
        long ticket = _node.Append(Batch(2), nothingInFlight: true);
        Assert.True(ticket > 0);
        await Until.TrueAsync(() => _node.CommittedTicket >= ticket, Wait, "the new leadership's ticket committed");
    }

    private static byte[] Batch(long sequence)
    {
        var buffer = new byte[256];
        int length = JournalFormat.WriteRecord(buffer, sequence, sequence, RecordType.Command, BitConverter.GetBytes(sequence));
        return buffer[..length];
    }

    /// <summary>Steps down and waits until this member (the only one) leads again, under a new leadership.</summary>
    private async Task<CancellationToken> WinAgainAsync(CancellationToken old)
    {
        await _node.ResignAsync(CancellationToken.None);
        Assert.True(old.IsCancellationRequested);
        return await LeadershipAsync(old);
    }

    private async Task<CancellationToken> LeadershipAsync(CancellationToken other)
    {
        await Until.TrueAsync(() => _node.IsLeader && _node.LeadershipToken != other, Wait, "this member leads under a new leadership");
        return _node.LeadershipToken;
    }

    private sealed class DurableWatch : IDurableListener
    {
        private long _durable;

        public void OnDurable(long upTo) => Interlocked.Exchange(ref _durable, upTo);

        public void OnFailed(Exception failure)
        {
        }

        public Task ReachesAsync(long sequence) => Until.TrueAsync(() => Interlocked.Read(ref _durable) >= sequence, Wait, $"records up to {sequence} durable");
    }
}
