using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hft.Journal;
using Hft.Tools;

namespace Hft.Replication.Tests;

/// <summary>
/// The production replication parts without the server: three <see cref="RaftNode"/>s addressed by DNS name
/// (<c>localhost:port</c>, as StatefulSet pods are), each with its own <see cref="JournalWriter"/>. The leader's journal
/// hands its batches to its node; every node appends what was committed to its own journal. Acks come only after the
/// commit, every journal ends byte-identical, and a node that is not the leader refuses to replicate.
/// </summary>
public sealed class ReplicatedJournalTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-replicated-journal-" + Guid.NewGuid().ToString("N"));
    private readonly List<Member> _members = new();

    private sealed class Member(JournalWriter journal) : IReplicatedLogApplier
    {
        public JournalWriter Journal { get; } = journal;
        public RaftNode Node { get; set; } = null!;
        public int Skipped;

        public void Apply(ReadOnlySpan<byte> records)
        {
            string? problem = JournalReader.ReadBatch(records, (in JournalRecord r) =>
            {
                if (r.Sequence < Journal.NextSequence) Skipped++;
                else Journal.AppendReplicated(r.Sequence, r.TimestampMicros, r.Type, r.Payload);
            });
            if (problem is not null) throw new JournalCorruptException("test", 0, problem);
        }
    }

    public async Task InitializeAsync()
    {
        var endPoints = Enumerable.Range(0, 3).Select(_ => (EndPoint)new DnsEndPoint("localhost", Loopback.FreePort())).ToArray();
        for (int i = 0; i < 3; i++)
        {
            var member = new Member(new JournalWriter(Path.Combine(_dir, $"n{i}", "journal"), JournalMode.Sync, 1));
            member.Node = await RaftNode.StartAsync(new RaftNodeOptions
            {
                Self = endPoints[i], Members = endPoints, Dir = Path.Combine(_dir, $"n{i}", "raft"), ElectionTimeoutMs = 400,
            }, member, CancellationToken.None);
            _members.Add(member);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var m in _members)
        {
            await m.Node.DisposeAsync();
            m.Journal.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private async Task<Member> LeaderAsync()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            var leaders = _members.Where(m => m.Node.IsLeader).ToList();
            if (leaders.Count == 1 && _members.All(m => m.Node.LeaderEndPoint is not null))
            {
                leaders[0].Node.AllowTicketsUnder(leaders[0].Node.LeadershipToken);
                return leaders[0];
            }
            await Task.Delay(20);
        }
        throw new TimeoutException("no single leader within 20 s");
    }

    [Fact]
    public async Task Members_named_by_dns_elect_a_leader_and_every_journal_holds_exactly_the_committed_batches()
    {
        var leader = await LeaderAsync();
        leader.Journal.Replicator = leader.Node;
        var acks = new Acks(leader.Node);
        leader.Journal.Listener = acks;
        for (int i = 1; i <= 50; i++)
        {
            Assert.Equal(i, leader.Journal.Append(RecordType.Command, BitConverter.GetBytes((long)i)));
            if (i % 10 == 0) await Task.Delay(5); // several batches
        }
        Assert.True(SpinWait.SpinUntil(() => acks.Durable == 50, TimeSpan.FromSeconds(20)), $"durable up to {acks.Durable} only");
        Assert.Equal(0, acks.BeforeCommit); // no ack before its entry was committed

        // Every member ends with the same 50 records, byte for byte; the leader skipped its own when they came back.
        foreach (var m in _members)
            Assert.True(SpinWait.SpinUntil(() => m.Journal.WrittenSequence == 50, 10_000), $"a member wrote up to {m.Journal.WrittenSequence}");
        foreach (var m in _members) m.Journal.Dispose();
        byte[] Records(int i) => File.ReadAllBytes(JournalReader.Segments(Path.Combine(_dir, $"n{i}", "journal"))[0].Path)[JournalFormat.SegmentHeaderSize..];
        Assert.Equal(Records(0), Records(1));
        Assert.Equal(Records(0), Records(2));
        Assert.Equal(50, leader.Skipped);
        Assert.All(_members.Where(m => m != leader), m => Assert.Equal(0, m.Skipped));
    }

    [Fact]
    public async Task Under_concurrent_load_several_entries_are_in_flight_and_each_ack_follows_its_commit_in_log_order()
    {
        var leader = await LeaderAsync();
        var log = new RecordingLog(leader.Node);
        leader.Journal.MaxInFlight = 8;
        leader.Journal.Replicator = log;
        var acks = new Acks(leader.Node, log);
        leader.Journal.Listener = acks;

        // Four appenders until the leader has had more than one entry in flight at once (it cannot before the commit of
        // the first one otherwise), and at least 2,000 records.
        int appended = 0;
        var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var appenders = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested && (Volatile.Read(ref appended) < 2_000 || leader.Journal.Replication.MaxInFlight < 2))
            {
                leader.Journal.Append(RecordType.Command, BitConverter.GetBytes((long)Interlocked.Increment(ref appended)));
                if (appended % 64 == 0) Thread.Yield();
            }
        })).ToArray();
        await Task.WhenAll(appenders);
        long last = leader.Journal.NextSequence - 1;
        await Until.TrueAsync(() => acks.Durable == last, TimeSpan.FromSeconds(60), $"all {last} records acknowledged (durable {acks.Durable})");

        var pipeline = leader.Journal.Replication;
        Assert.True(pipeline.MaxInFlight > 1, $"never more than {pipeline.MaxInFlight} entry in flight");
        Assert.True(pipeline.RecordsPerEntry > 1, $"{pipeline.RecordsPerEntry:F1} records per entry");
        Assert.Equal(0, acks.BeforeCommit); // no record acknowledged before the commit passed its entry
        Assert.Equal(0, acks.OutOfOrder);    // acknowledgments only move forward
        foreach (var m in _members)
            await Until.TrueAsync(() => m.Journal.WrittenSequence == last, TimeSpan.FromSeconds(30), $"a member wrote up to {m.Journal.WrittenSequence} of {last}");
        foreach (var m in _members) m.Journal.Dispose();
        byte[] Records(int i) => File.ReadAllBytes(JournalReader.Segments(Path.Combine(_dir, $"n{i}", "journal"))[0].Path)[JournalFormat.SegmentHeaderSize..];
        Assert.Equal(Records(0), Records(1));
        Assert.Equal(Records(0), Records(2));
    }

    [Fact]
    public async Task Leadership_lost_with_entries_in_flight_acknowledges_none_of_them_and_stops_the_journal()
    {
        var leader = await LeaderAsync();
        var log = new RecordingLog(leader.Node);
        leader.Journal.Replicator = log;
        var acks = new Acks(leader.Node, log);
        leader.Journal.Listener = acks;
        for (int i = 1; i <= 10; i++) leader.Journal.Append(RecordType.Command, BitConverter.GetBytes((long)i));
        await Until.TrueAsync(() => acks.Durable == 10, TimeSpan.FromSeconds(30), "the first 10 records acknowledged");

        // Both followers stop: no majority any more. Whatever the leader appends from now on can never be committed.
        foreach (var f in _members.Where(m => m != leader)) await f.Node.DisposeAsync();
        long n = 10;
        await Until.TrueAsync(() =>
        {
            if (leader.Journal.Failure is not null) return true;
            try
            {
                leader.Journal.Append(RecordType.Command, BitConverter.GetBytes(++n));
            }
            catch (IOException)
            {
            }
            return false;
        }, TimeSpan.FromSeconds(60), "the journal stops once leadership is lost");

        Assert.True(acks.Failed.Wait(TimeSpan.FromSeconds(30)));
        Assert.IsType<ReplicationLostException>(leader.Journal.Failure);
        Assert.Equal(10, acks.Durable);          // none of the records appended without a majority
        Assert.Equal(10, leader.Journal.WrittenSequence); // and none written to the leader's own journal
        Assert.Equal(0, acks.BeforeCommit);
    }

    [Fact]
    public async Task A_follower_refuses_to_replicate()
    {
        await LeaderAsync();
        var follower = _members.First(m => !m.Node.IsLeader);
        Assert.Equal(-1, follower.Node.Append(new byte[] { 1, 2, 3 }, nothingInFlight: true));
        // Its journal, given the follower as replicator, fails the batch instead of acknowledging it.
        follower.Journal.Replicator = follower.Node;
        var waiter = new Acks(follower.Node);
        follower.Journal.Listener = waiter;
        follower.Journal.Append(RecordType.Command, BitConverter.GetBytes(1L));
        Assert.True(waiter.Failed.Wait(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, waiter.Durable);
        Assert.IsType<ReplicationLostException>(follower.Journal.Failure);
    }

    /// <summary>
    /// The journal's durability as its listener sees it (the pipeline's outbox in the server): counts acknowledgments
    /// that came before the commit index passed the entry holding the record (with a <see cref="RecordingLog"/>: the
    /// exact entry; without: any commit at all), and acknowledgments that went backwards.
    /// </summary>
    private sealed class Acks(RaftNode node, RecordingLog? log = null) : IDurableListener
    {
        private long _durable;

        public int BeforeCommit;

        public int OutOfOrder;

        public long Durable => Interlocked.Read(ref _durable);

        public ManualResetEventSlim Failed { get; } = new(false);

        public void OnDurable(long upTo)
        {
            long entry = log?.EntryOf(upTo) ?? 1;
            if (upTo > 0 && node.CommitIndex < entry) Interlocked.Increment(ref BeforeCommit);
            if (upTo <= Interlocked.Read(ref _durable)) Interlocked.Increment(ref OutOfOrder);
            long seen;
            while (upTo > (seen = Interlocked.Read(ref _durable)) && Interlocked.CompareExchange(ref _durable, upTo, seen) != seen)
            {
            }
        }

        public void OnFailed(Exception failure) => Failed.Set();
    }

    /// <summary>The real member as the journal's log, noting which Raft entry (ticket) holds each record.</summary>
    private sealed class RecordingLog(RaftNode node) : IJournalReplicator
    {
        private readonly List<(long LastSequence, long Ticket)> _entries = new();

        public bool AcknowledgeOnAppend => node.AcknowledgeOnAppend;

        public long CommittedTicket => node.CommittedTicket;

        public Action? Progress
        {
            set => node.Progress = value;
        }

        public long Append(ReadOnlySpan<byte> records, bool nothingInFlight)
        {
            long last = 0;
            Assert.Null(JournalReader.ReadBatch(records, (in JournalRecord r) => last = r.Sequence));
            long ticket = node.Append(records, nothingInFlight);
            lock (_entries) _entries.Add((last, ticket));
            return ticket;
        }

        /// <summary>The ticket of the entry that holds <paramref name="sequence"/> (long.MaxValue when none does: never committed).</summary>
        public long EntryOf(long sequence)
        {
            lock (_entries)
            {
                foreach (var (lastSequence, ticket) in _entries)
                    if (sequence <= lastSequence) return ticket;
            }
            return long.MaxValue;
        }
    }
}
