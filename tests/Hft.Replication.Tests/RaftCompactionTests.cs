using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Hft.Journal;
using Hft.Tools;
using Xunit.Abstractions;

namespace Hft.Replication.Tests;

/// <summary>
/// The Raft log compacted behind the journal's state snapshots, with three production <see cref="RaftNode"/>s on
/// localhost, real journals and real snapshot files (<see cref="SnapshottingMember"/>): the log on disk stays bounded
/// however long the group runs; a restarted member starts from its snapshot and applies only the entries after it; a
/// member the leader's log no longer reaches (down for long, or wiped) is sent the snapshot, rebases its journal onto
/// it and ends with the leader's state, which its own journal then recovers to as well.
/// </summary>
public sealed class RaftCompactionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int RecordsPerEntry = 10;
    private const long SnapshotEntries = 40;
    private const int ChunkBytes = 64 << 10;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hft-raft-compaction-" + Guid.NewGuid().ToString("N"));
    private readonly SnapshottingMember?[] _members = new SnapshottingMember?[3];
    private readonly EndPoint[] _endPoints = Enumerable.Range(0, 3).Select(_ => (EndPoint)new DnsEndPoint("localhost", Loopback.FreePort())).ToArray();
    private long _sequence;
    private long _snapshotEntries = SnapshotEntries;
    private int _recordsPerEntry = RecordsPerEntry;

    public async Task InitializeAsync()
    {
        for (int i = 0; i < 3; i++) await StartAsync(i);
    }

    public async Task DisposeAsync()
    {
        foreach (var m in _members)
            if (m is not null) await m.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_write_ahead_log_stays_bounded_while_the_group_keeps_committing()
    {
        var sizes = new List<long>();
        for (int round = 0; round < 8; round++)
        {
            await AppendEntriesAsync(100);
            await ConvergedAsync();
            // Compaction runs in the background after each snapshot: wait for the log to drop what the snapshot covers.
            var leader = Leader();
            await TradingOnUntilAsync(() => leader.Node.Snapshot.Index >= leader.Node.CommitIndex - 2 * SnapshotEntries,
                $"a Raft snapshot within {2 * SnapshotEntries} entries of the commit index");
            sizes.Add(_members.Max(m => m!.WalBytes()));
            output.WriteLine($"after {(round + 1) * 100} entries: WAL {sizes[^1]:N0} bytes (largest member), snapshot at {leader.Node.Snapshot}");
        }
        // 800 entries of ~330 bytes are ~270 KB of log; kept: the 64 KB chunks from the newest snapshot on (at most 80
        // entries behind the head), and their metadata pages.
        long bound = 3L * ChunkBytes;
        Assert.All(sizes, s => Assert.True(s < bound, $"WAL {s:N0} bytes, bound {bound:N0}: sizes {string.Join(", ", sizes)}"));
        Assert.All(_members, m => Assert.True(m!.Node.SnapshotsTaken > 0, "a member took no Raft snapshot"));
        await SameStateAsync();
    }

    [Fact]
    public async Task A_restarted_follower_starts_from_its_snapshot_and_applies_only_the_entries_after_it()
    {
        await AppendEntriesAsync(200);
        await ConvergedAsync();
        int f = FollowerIndex();
        await TradingOnUntilAsync(() => _members[f]!.Node.Snapshot.Index > 100, "the follower has a Raft snapshot");
        await StopAsync(f);
        await AppendEntriesAsync(5); // a few it misses: still in the leader's log

        var member = await StartAsync(f);
        await ConvergedAsync();
        long total = Leader().Node.CommitIndex;
        output.WriteLine($"restarted follower: snapshot at {member.Node.RestoredSnapshotIndex}, applied {member.Node.EntriesApplied} of {total} entries; "
            + $"journal recovery {member.Recovery.TotalMilliseconds:N0} ms ({member.RecordsRecovered} records), Raft start {member.RaftStart.TotalMilliseconds:N0} ms");
        Assert.True(member.Node.RestoredSnapshotIndex > 100, $"started from snapshot index {member.Node.RestoredSnapshotIndex}");
        Assert.True(member.Node.EntriesApplied <= total - member.Node.RestoredSnapshotIndex,
            $"re-applied {member.Node.EntriesApplied} entries of {total}, snapshot at {member.Node.RestoredSnapshotIndex}: history was re-read");
        // Its journal held its own snapshot: nothing to install, unless the leader compacted past what it missed meanwhile.
        Assert.True(member.Installs == 0 || Leader().Node.Snapshot.Index > member.Node.RestoredSnapshotIndex,
            $"installed {member.Installs} snapshot(s) although the leader's log still held what it missed");
        await SameStateAsync();
    }

    [Fact]
    public async Task A_follower_down_past_the_leaders_log_is_sent_the_snapshot_and_rebases_its_journal()
    {
        await AppendEntriesAsync(20);
        await ConvergedAsync();
        int f = FollowerIndex();
        await StopAsync(f);
        await AppendEntriesAsync(300); // the leader compacts well past where the follower stopped
        var leader = Leader();
        await TradingOnUntilAsync(() => leader.Node.Snapshot.Index > 100, "the leader compacted its log");

        var member = await StartAsync(f);
        await ConvergedAsync();
        output.WriteLine($"far-behind follower: {member.Node.SnapshotsInstalled} snapshot(s) installed, applied {member.Node.EntriesApplied} of {leader.Node.CommitIndex} entries");
        Assert.True(member.Node.SnapshotsInstalled >= 1, "the leader sent no snapshot");
        Assert.True(member.Installs >= 1, "the journal was not rebased onto the snapshot");
        Assert.True(member.Node.EntriesApplied < 300, $"applied {member.Node.EntriesApplied} entries: history was replayed");
        await SameStateAsync();
    }

    [Fact]
    public async Task A_wiped_member_joining_late_gets_the_snapshot_and_the_same_state()
    {
        await AppendEntriesAsync(250);
        await ConvergedAsync();
        int f = FollowerIndex();
        await StopAsync(f);
        Directory.Delete(Path.Combine(_dir, $"n{f}"), recursive: true); // a brand-new, empty member at the same address

        var member = await StartAsync(f);
        await AppendEntriesAsync(10);
        await ConvergedAsync();
        output.WriteLine($"wiped member: {member.Node.SnapshotsInstalled} snapshot(s) installed, applied {member.Node.EntriesApplied} of {Leader().Node.CommitIndex} entries");
        Assert.True(member.Node.SnapshotsInstalled >= 1, "the leader sent no snapshot");
        Assert.True(member.Node.EntriesApplied < 250, $"applied {member.Node.EntriesApplied} entries: history was replayed");
        await SameStateAsync();
    }

    /// <summary>
    /// docs/PERFORMANCE.md, "Current figures: Raft log compaction": a follower's restart after a long run. Runs only
    /// with <c>HFT_RAFT_RESTART_RECORDS</c> set (records in total; <c>HFT_RAFT_RECORDS_PER_ENTRY</c>, default 1,000;
    /// <c>HFT_RAFT_SNAPSHOT_ENTRIES</c>, default 10,000, 0 = no compaction as before). The follower writes a journal
    /// snapshot while the group goes on, then stops, misses 5 entries, and is restarted: journal
    /// recovery, Raft start and catch-up are timed, and the disk use of the logs is printed.
    /// </summary>
    [Fact]
    public async Task Measure_follower_restart_after_a_long_run()
    {
        if (Environment.GetEnvironmentVariable("HFT_RAFT_RESTART_RECORDS") is not { } records) return;
        foreach (var m in _members) await m!.DisposeAsync();
        _snapshotEntries = long.Parse(Environment.GetEnvironmentVariable("HFT_RAFT_SNAPSHOT_ENTRIES") ?? "10000");
        _recordsPerEntry = int.Parse(Environment.GetEnvironmentVariable("HFT_RAFT_RECORDS_PER_ENTRY") ?? "1000");
        Directory.Delete(_dir, recursive: true);
        for (int i = 0; i < 3; i++) await StartAsync(i);
        int entries = (int)(long.Parse(records) / _recordsPerEntry);
        var clock = Stopwatch.StartNew();
        await AppendEntriesAsync(entries);
        await ConvergedAsync();
        output.WriteLine($"{_sequence:N0} records in {entries:N0} entries of {_recordsPerEntry} appended in {clock.Elapsed.TotalSeconds:N0} s; snapshot_entries {_snapshotEntries}");

        int f = FollowerIndex();
        var follower = _members[f]!;
        follower.TakeSnapshot(); // a periodic snapshot while trading goes on: the next entries make it the Raft snapshot
        long snapshot = follower.NewestSnapshot?.Sequence ?? 0;
        if (_snapshotEntries > 0) await TradingOnUntilAsync(() => follower.Node.Snapshot.Sequence >= snapshot, "the follower's Raft snapshot");
        output.WriteLine($"follower before stop: Raft snapshot at {follower.Node.Snapshot}, WAL {follower.WalBytes():N0} bytes, "
            + $"raft dir {DirBytes(follower.RaftDir):N0} bytes, journal dir {DirBytes(Path.Combine(follower.Dir, "journal")):N0} bytes");
        await StopAsync(f);
        await AppendEntriesAsync(5);

        clock.Restart();
        var member = await StartAsync(f);
        await ConvergedAsync();
        var caughtUp = clock.Elapsed;
        output.WriteLine($"restart: journal recovery {member.Recovery.TotalMilliseconds:N0} ms ({member.RecordsRecovered:N0} records after its snapshot), "
            + $"Raft start {member.RaftStart.TotalMilliseconds:N0} ms (snapshot at index {member.Node.RestoredSnapshotIndex}), caught up {caughtUp.TotalMilliseconds:N0} ms "
            + $"after the start, {member.Node.EntriesApplied:N0} entries applied; leader WAL {Leader().WalBytes():N0} bytes");
    }

    private static long DirBytes(string dir) => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    private async Task<SnapshottingMember> StartAsync(int i)
    {
        var m = await SnapshottingMember.StartAsync(_endPoints[i], _endPoints, Path.Combine(_dir, $"n{i}"), _snapshotEntries,
            _snapshotEntries == SnapshotEntries ? ChunkBytes : 8 << 20);
        _members[i] = m;
        return m;
    }

    private async Task StopAsync(int i)
    {
        await _members[i]!.DisposeAsync();
        _members[i] = null;
    }

    private SnapshottingMember Leader() => _members.Single(m => m is not null && m.Node.IsLeader)!;

    private int FollowerIndex() => Array.FindIndex(_members, m => m is not null && !m.Node.IsLeader);

    /// <summary>
    /// Appends <paramref name="entries"/> entries of <see cref="RecordsPerEntry"/> records each on the leader, as its
    /// journal would, each committed before the next. A batch the leader lost is sent again on the next leader: applying
    /// skips records already held by sequence.
    /// </summary>
    private Task AppendEntriesAsync(int entries) => Task.Run(async () =>
    {
        var buffer = new byte[_recordsPerEntry * (JournalFormat.RecordHeaderSize + 8)];
        for (int e = 0; e < entries; e++)
        {
            int length = 0;
            for (int r = 1; r <= _recordsPerEntry; r++)
            {
                long seq = _sequence + r;
                length += JournalFormat.WriteRecord(buffer.AsSpan(length), seq, seq, RecordType.Command, BitConverter.GetBytes(seq));
            }
            var clock = Stopwatch.StartNew();
            while (true)
            {
                await Until.TrueAsync(() => _members.Count(m => m is not null && m.Node.IsLeader) == 1, Wait, "one leader");
                var leader = Leader();
                leader.Node.AllowTicketsUnder(leader.Node.LeadershipToken);
                long ticket = leader.Node.Append(buffer.AsSpan(0, length), nothingInFlight: true);
                // Committed and applied here, or leadership lost (the ticket is void: append it again to the new leader).
                if (ticket > 0 && SpinWait.SpinUntil(() => leader.Node.CommittedTicket < 0 || (leader.Node.CommittedTicket >= ticket && leader.Node.AppliedIndex >= ticket), Wait)
                    && leader.Node.CommittedTicket >= ticket) break;
                if (clock.Elapsed > Wait) throw new TimeoutException("an entry was not committed");
            }
            _sequence += _recordsPerEntry;
        }
    });

    /// <summary>
    /// Waits for <paramref name="condition"/> while the group goes on committing, one entry at a time: a state snapshot
    /// becomes the Raft snapshot when the next entry is applied, as in a server that keeps trading.
    /// </summary>
    private async Task TradingOnUntilAsync(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Wait) throw new TimeoutException($"timed out after {Wait.TotalSeconds} s waiting for: {what}");
            await AppendEntriesAsync(1);
        }
    }

    /// <summary>Every running member applied every record appended so far.</summary>
    private Task ConvergedAsync() => Until.TrueAsync(() => _members.All(m => m is null || m.State.Sequence == _sequence), Wait,
        $"every member applied up to sequence {_sequence}");

    /// <summary>Every member holds the same state, and its journal directory alone recovers to it (snapshot + segments after it).</summary>
    private async Task SameStateAsync()
    {
        await ConvergedAsync();
        long expectedSum = _sequence * (_sequence + 1) / 2;
        foreach (var m in _members)
        {
            Assert.Equal((_sequence, expectedSum), m!.State);
            Assert.True(m.Journal.WaitSynced(_sequence, Wait), "the journal did not write every record");
        }
        for (int i = 0; i < 3; i++)
        {
            var (sequence, sum, _) = SnapshottingMember.Recover(Path.Combine(_dir, $"n{i}", "journal"));
            Assert.Equal((_sequence, expectedSum), (sequence, sum));
        }
    }
}
