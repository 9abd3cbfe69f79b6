using Hft.Pipeline.Monitoring;
using Hft.Server.Operations;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Operations;

/// <summary>hft_journal_* on /metrics of a real server: zeros without a journal, real fsyncs and bytes with one.</summary>
public sealed class JournalMetricsTests
{
    [Fact]
    public async Task Without_a_journal_every_family_is_exported_as_zero()
    {
        await using var s = await MetricsServerFixture.StartAsync(); // development profile: journal mode none
        Assert.Equal("none", s.Server.Config.Journal.Mode);
        var m = await s.ScrapeAsync();
        Assert.Equal("histogram", m.Types["hft_journal_fsync_seconds"]);
        Assert.Equal("counter", m.Types["hft_journal_bytes_total"]);
        Assert.Equal("counter", m.Types["hft_journal_errors_total"]);
        Assert.Equal("gauge", m.Types["hft_journal_failed"]);
        Assert.Equal(0, m.Value("hft_journal_fsync_seconds_count"));
        Assert.Equal(JournalMetrics.FsyncBuckets.Length + 1, m.Samples.Count(x => x.Name == "hft_journal_fsync_seconds_bucket"));
        Assert.Equal(0, m.Value("hft_journal_bytes_total"));
        foreach (var op in new[] { "write", "fsync", "open" }) Assert.Equal(0, m.Value("hft_journal_errors_total", ("op", op)));
        Assert.Equal(0, m.Value("hft_journal_failed"));
    }

    [Fact]
    public async Task A_sync_journal_reports_its_fsyncs_and_bytes_after_orders()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hft-journal-metrics-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (var s = await MetricsServerFixture.StartAsync(c => c with
            {
                Journal = c.Journal with { Dir = dir, Mode = "sync", SnapshotIntervalSeconds = 0 },
            }))
            {
                Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "sell", "50000", "0.5")).Status);
                Assert.Equal(201, (await s.PlaceLimitAsync(s.TokenA1, "BTCUSD", "buy", "49000", "0.1")).Status);
                var m = await s.ScrapeAsync();
                var journal = s.Server.Pipeline.Journal;
                // sync mode: each acknowledged order waited for an fsync of its batch
                Assert.True(m.Value("hft_journal_fsync_seconds_count") >= 2, $"fsyncs {m.Value("hft_journal_fsync_seconds_count")}");
                Assert.True(m.Value("hft_journal_fsync_seconds_count") <= journal.Stats.Fsyncs);
                Assert.True(m.Value("hft_journal_fsync_seconds_sum") > 0);
                Assert.Equal(m.Value("hft_journal_fsync_seconds_count"), m.Value("hft_journal_fsync_seconds_bucket", ("le", "+Inf")));
                double bytes = m.Value("hft_journal_bytes_total");
                Assert.True(bytes > 0 && bytes <= journal.Stats.Bytes, $"bytes {bytes}, journal {journal.Stats.Bytes}");
                Assert.Equal(0, m.Sum("hft_journal_errors_total"));
                Assert.Equal(0, m.Value("hft_journal_failed"));
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_journal_that_cannot_open_its_segment_is_reported_failed_with_one_open_error()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hft-journal-metrics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, Hft.Journal.JournalFormat.SegmentName(1))); // a directory takes the segment's name
        try
        {
            await using var s = await MetricsServerFixture.StartAsync(c => c with
            {
                Journal = c.Journal with { Dir = dir, Mode = "sync", SnapshotIntervalSeconds = 0 },
            });
            var refused = await s.PlaceLimitAsync(s.TokenA2, "BTCUSD", "sell", "50000", "0.5");
            Assert.Equal(503, refused.Status);
            Assert.True(SpinWait.SpinUntil(() => s.Server.Pipeline.Journal.Failure is not null, 5_000));
            var m = await s.ScrapeAsync();
            Assert.Equal(1, m.Value("hft_journal_failed"));
            Assert.Equal(1, m.Value("hft_journal_errors_total", ("op", "open")));
            Assert.Equal(1, m.Sum("hft_journal_errors_total"));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
