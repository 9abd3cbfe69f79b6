using System.Collections.Concurrent;

namespace Hft.Journal.Tests;

/// <summary>The counters and observer hook behind the journal metrics: fsync time, bytes, I/O failures.</summary>
public sealed class JournalObserverTests
{
    private sealed class Observer : IJournalObserver
    {
        public readonly ConcurrentQueue<long> Fsyncs = new();
        public readonly ConcurrentQueue<JournalOperation> Errors = new();

        public void OnFsync(long elapsedTicks) => Fsyncs.Enqueue(elapsedTicks);

        public void OnError(JournalOperation operation) => Errors.Enqueue(operation);
    }

    [Fact]
    public void Sync_mode_reports_every_fsync_with_its_duration_and_the_sum_matches_FsyncTicks()
    {
        using var dir = new TempDir();
        var observer = new Observer();
        var cb = new CallbackLog();
        using (var w = new JournalWriter(dir.Path, JournalMode.Sync, 1) { Observer = observer })
        {
            for (int i = 1; i <= 5; i++)
            {
                w.Append(RecordType.Command, J.Command(i), cb);
                cb.WaitFor(i);
            }
            Assert.Equal(w.Stats.Fsyncs, observer.Fsyncs.Count);
            Assert.True(observer.Fsyncs.Count >= 5, $"{observer.Fsyncs.Count} fsyncs for 5 awaited sync appends");
            Assert.All(observer.Fsyncs, t => Assert.True(t >= 0));
            Assert.Equal(w.FsyncTicks, observer.Fsyncs.Sum());
            Assert.True(w.Stats.Bytes > 0);
            Assert.Equal(0, w.Errors);
            Assert.Empty(observer.Errors);
        }
    }

    [Fact]
    public void Mode_none_never_fsyncs_nor_writes()
    {
        using var dir = new TempDir();
        var observer = new Observer();
        using var w = new JournalWriter(dir.Path, JournalMode.None, 1) { Observer = observer };
        w.Append(RecordType.Command, J.Command(1), null);
        Assert.Equal((0L, 0L, 0L), (w.FsyncTicks, w.Stats.Bytes, w.Errors));
        Assert.Empty(observer.Fsyncs);
    }

    [Fact]
    public void A_segment_that_cannot_be_opened_counts_one_open_error()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File(JournalFormat.SegmentName(1))); // the segment's name is taken by a directory
        var observer = new Observer();
        var cb = new CallbackLog();
        using var w = new JournalWriter(dir.Path, JournalMode.Sync, 1) { Observer = observer };
        w.Append(RecordType.Command, J.Command(1), cb);
        cb.WaitFor(1);
        Assert.True(SpinWait.SpinUntil(() => w.Errors == 1, 5_000));
        Assert.Equal([JournalOperation.Open], observer.Errors.ToArray());
        Assert.Equal(0, w.Stats.Fsyncs);
    }

    [Fact]
    public void Appending_with_an_observer_attached_allocates_nothing_on_the_appending_thread()
    {
        using var dir = new TempDir();
        using var w = new JournalWriter(dir.Path, JournalMode.Async, 1) { Observer = new Observer() };
        var payload = J.Command(1);
        for (int i = 0; i < 1000; i++) w.Append(RecordType.Command, payload, null); // warm up (batch buffers)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) w.Append(RecordType.Command, payload, null);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
