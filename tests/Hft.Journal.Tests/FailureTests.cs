namespace Hft.Journal.Tests;

public sealed class FailureTests
{
    [Fact]
    public void A_failed_write_tells_every_waiter_minus_one_and_refuses_later_appends()
    {
        using var dir = new TempDir();
        // The first segment's name is taken by a directory, so opening it fails on the journal thread.
        Directory.CreateDirectory(dir.File(JournalFormat.SegmentName(1)));
        var cb = new CallbackLog();
        using var w = new JournalWriter(dir.Path, JournalMode.Sync, 1);
        w.Append(RecordType.Command, J.Command(1), cb);
        cb.WaitFor(1);
        Assert.Equal([-1L], cb.Calls);
        Assert.True(SpinWait.SpinUntil(() => w.Failure is not null, 5_000));
        Assert.IsAssignableFrom<IOException>(w.Failure);
        var e = Assert.Throws<IOException>(() => w.Append(RecordType.Command, J.Command(2), cb));
        Assert.Contains("the journal has failed", e.Message);
        Assert.Equal(0, w.DurableSequence);
    }

    [Fact]
    public void Oversized_payload_is_refused_before_it_gets_a_sequence()
    {
        using var dir = new TempDir();
        using var w = new JournalWriter(dir.Path, JournalMode.Async, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Append(RecordType.Admin, new byte[JournalFormat.MaxPayload + 1], null));
        Assert.Equal(1, w.Append(RecordType.Admin, new byte[JournalFormat.MaxPayload], null));
        w.Dispose();
        var records = J.ReadAll(dir.Path);
        Assert.Equal(JournalFormat.MaxPayload, Assert.Single(records).Payload.Length);
    }
}
