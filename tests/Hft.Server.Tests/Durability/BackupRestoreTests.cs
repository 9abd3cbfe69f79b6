using System.Net.Http.Headers;
using System.Text.Json;
using Hft.Journal;
using Hft.Server.Tests.Support;

namespace Hft.Server.Tests.Durability;

public sealed class BackupRestoreTests
{
    [Fact]
    public async Task Online_backup_then_restore_into_an_empty_dir_gives_the_same_state_hash()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        await using var node = PipelineHarness.Open(dir);
        var p = node.Pipeline;
        p.Start();
        PipelineHarness.Flow(p, 1, 1000);
        p.Snapshots.Take(TimeSpan.FromSeconds(10));
        PipelineHarness.Flow(p, 2, 1000);
        // online: trading goes on while the backup is taken
        string file = d.Sub("backup.tar.gz");
        var manifest = JournalBackup.Create(dir, file);
        Assert.True(p.Stop(TimeSpan.FromSeconds(10)));
        Assert.Equal(p.Journal.Stats.LastSequence, manifest.LastSequence); // the flow had completed and synced before the backup
        string hash = PipelineHarness.Hash(p);

        Assert.True(JournalBackup.Verify(file).Ok);
        string target = d.Sub("restored");
        Assert.True(JournalBackup.Restore(file, target, force: false).Ok);
        await using (var restored = PipelineHarness.Open(target))
        {
            Assert.Equal(manifest.SnapshotSequence, restored.Pipeline.Recovery.SnapshotSequence);
            Assert.Equal(hash, PipelineHarness.Hash(restored.Pipeline));
        }

        // a second restore over it is refused without --force
        Assert.Throws<InvalidOperationException>(() => JournalBackup.Restore(file, target, force: false));
    }

    [Fact]
    public async Task Admin_snapshot_endpoint_writes_a_snapshot_and_is_audited()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        await using var s = await ServerFixture.StartAsync(c => c with { Journal = c.Journal with { Dir = dir, Mode = "async", SnapshotIntervalSeconds = 0 } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/snapshot");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.AdminToken);
        using var response = await s.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        using var doc = JsonDocument.Parse(body);
        string file = doc.RootElement.GetProperty("file").GetString()!;
        Assert.True(File.Exists(Path.Combine(dir, file)));
        Assert.Equal(Path.GetFullPath(dir), doc.RootElement.GetProperty("dir").GetString());
        Assert.Contains("admin.snapshot", await File.ReadAllTextAsync(s.AuditPath));

        using var trader = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/snapshot");
        trader.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.Token("A1"));
        Assert.Equal(403, (int)(await s.Client.SendAsync(trader)).StatusCode);
    }

    [Fact]
    public async Task Admin_snapshot_without_a_journal_is_a_conflict()
    {
        await using var s = await ServerFixture.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/snapshot");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", s.AdminToken);
        using var response = await s.Client.SendAsync(request);
        Assert.Equal(409, (int)response.StatusCode);
        Assert.Contains("journal_disabled", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Graceful_shutdown_writes_a_snapshot_that_the_next_start_uses()
    {
        using var d = new DataDir();
        string dir = d.Sub("data");
        string hash;
        long last;
        {
            var s = await ServerFixture.StartAsync(c => c with { Journal = c.Journal with { Dir = dir, Mode = "async", SnapshotIntervalSeconds = 0 } });
            try
            {
                PipelineHarness.Flow(s.Server.Pipeline, 1, 300);
            }
            finally
            {
                await s.DisposeAsync();
            }
            hash = PipelineHarness.Hash(s.Server.Pipeline);
            last = s.Server.Pipeline.Journal.Stats.LastSequence;
        }
        Assert.Equal(last, SnapshotStore.LoadNewest(dir).Snapshot!.Sequence);
        await using var recovered = PipelineHarness.Open(dir);
        var r = recovered.Pipeline;
        Assert.Equal(last, r.Recovery.SnapshotSequence);
        Assert.Equal(0, r.Recovery.RecordsReplayed);
        Assert.Equal(hash, PipelineHarness.Hash(r));
    }
}
