namespace Hft.Journal.Tests;

/// <summary>
/// The leader's journal pipelines its batches into the replicated log: several entries in flight at once, each
/// acknowledged (through the one durable listener) and written to the segments only once the commit has passed it,
/// in log order; while the window is full the next batch keeps filling; when leadership is lost none of the records
/// still in flight is acknowledged and the journal stops. The log here is scripted (the test moves its commit index);
/// the Raft tests (Hft.Replication.Tests) run the same journal over real members.
/// </summary>
public sealed class PipelinedReplicationTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public void Entries_in_flight_are_acknowledged_in_log_order_only_as_the_commit_passes_them()
    {
        using var dir = new TempDir();
        var log = new ScriptedLog();
        var acks = new AckLog();
        using var w = new JournalWriter(dir.Path, JournalMode.Sync, 1) { MaxInFlight = 3 };
        w.Replicator = log;
        w.Listener = acks;

        // Three batches go to the log one after the other, none committed: three entries in flight, nothing acknowledged.
        for (long seq = 1; seq <= 3; seq++)
        {
            Assert.Equal(seq, w.Append(RecordType.Command, J.Command(seq)));
            long expected = seq;
            Assert.True(SpinWait.SpinUntil(() => log.Entries == expected, s_wait), $"entry {seq} not appended to the log");
        }
        Assert.Equal(3, w.Replication.InFlight);
        Assert.Equal(3, w.Replication.MaxInFlight);

        // The window is full: the next records wait in one batch.
        w.Append(RecordType.Command, J.Command(4));
        w.Append(RecordType.Command, J.Command(5));
        Assert.Equal(3, log.Entries);
        Assert.Equal(0, w.DurableSequence);
        Assert.Empty(acks.Seen);
        Assert.Equal(0, w.WrittenSequence);

        // The commit passes the second entry: records 1 and 2 are written and acknowledged, in order, and the filled
        // batch (4 and 5) goes to the log as one entry.
        log.CommitUpTo(2);
        Assert.True(SpinWait.SpinUntil(() => acks.Durable == 2 && log.Entries == 4, s_wait), $"durable {acks.Durable}, {log.Entries} entries");
        Assert.Equal(2, w.WrittenSequence);
        Assert.Equal([4L, 5L], log.Sequences(3));
        Assert.Equal(2, w.Replication.InFlight);

        // Leadership lost with entries 3 and 4 in flight: none of their records is acknowledged; the journal stops.
        log.Lose();
        Assert.True(acks.Failed.Wait(s_wait), "the journal did not stop");
        Assert.IsType<ReplicationLostException>(w.Failure);
        Assert.Equal(2, acks.Durable);
        Assert.Equal([2L], acks.Seen); // one acknowledgment covers both
        w.Dispose();
        Assert.Equal([1L, 2L], J.ReadAll(dir.Path).Select(r => r.Sequence));
    }

    [Fact]
    public void A_commit_that_passes_several_entries_releases_them_at_once_and_the_batches_grow_while_the_window_is_full()
    {
        using var dir = new TempDir();
        var log = new ScriptedLog();
        var acks = new AckLog();
        using var w = new JournalWriter(dir.Path, JournalMode.Sync, 1) { MaxInFlight = 2 };
        w.Replicator = log;
        w.Listener = acks;
        w.Append(RecordType.Command, J.Command(1));
        Assert.True(SpinWait.SpinUntil(() => log.Entries == 1, s_wait));
        w.Append(RecordType.Command, J.Command(2));
        Assert.True(SpinWait.SpinUntil(() => log.Entries == 2, s_wait));
        for (long seq = 3; seq <= 100; seq++) w.Append(RecordType.Command, J.Command(seq));

        log.CommitUpTo(2);
        Assert.True(SpinWait.SpinUntil(() => log.Entries == 3, s_wait));
        Assert.Equal(98, log.Sequences(2).Count); // records 3..100 in one entry
        log.CommitUpTo(3);
        Assert.True(SpinWait.SpinUntil(() => acks.Durable == 100, s_wait), $"durable {acks.Durable}");
        Assert.True(acks.Seen.SequenceEqual(acks.Seen.Order()), "acknowledgments out of log order");
        Assert.Equal(100.0 / 3, w.Replication.RecordsPerEntry, 6);
        w.Dispose();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), J.ReadAll(dir.Path).Select(r => r.Sequence));
    }

    /// <summary>A replicated log whose commit index the test moves: tickets 1, 2, ...; -1 once leadership is "lost".</summary>
    private sealed class ScriptedLog : IJournalReplicator
    {
        private readonly List<List<long>> _entries = new();
        private long _committed;
        private Action? _progress;

        public bool AcknowledgeOnAppend => false;

        public int Entries
        {
            get
            {
                lock (_entries) return _entries.Count;
            }
        }

        public List<long> Sequences(int entry)
        {
            lock (_entries) return _entries[entry];
        }

        public long Append(ReadOnlySpan<byte> records, bool nothingInFlight)
        {
            var sequences = new List<long>();
            Assert.Null(JournalReader.ReadBatch(records, (in JournalRecord r) => sequences.Add(r.Sequence)));
            lock (_entries)
            {
                _entries.Add(sequences);
                return _entries.Count;
            }
        }

        public long CommittedTicket => Interlocked.Read(ref _committed);

        public Action? Progress
        {
            set => _progress = value;
        }

        public void CommitUpTo(long ticket)
        {
            Interlocked.Exchange(ref _committed, ticket);
            _progress?.Invoke();
        }

        public void Lose()
        {
            Interlocked.Exchange(ref _committed, -1);
            _progress?.Invoke();
        }
    }

    /// <summary>Every durable sequence the journal reported, in the order it reported them.</summary>
    private sealed class AckLog : IDurableListener
    {
        private readonly List<long> _seen = new();

        public ManualResetEventSlim Failed { get; } = new(false);

        public long Durable
        {
            get
            {
                lock (_seen) return _seen.Count == 0 ? 0 : _seen[^1];
            }
        }

        public long[] Seen
        {
            get
            {
                lock (_seen) return _seen.ToArray();
            }
        }

        public void OnDurable(long upTo)
        {
            lock (_seen) _seen.Add(upTo);
        }

        public void OnFailed(Exception failure) => Failed.Set();
    }
}
