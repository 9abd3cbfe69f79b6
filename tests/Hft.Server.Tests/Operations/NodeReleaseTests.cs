using System.Runtime.CompilerServices;
using Hft.Server.Tests.Support;
using Xunit;

namespace Hft.Server.Tests.Operations;

/// <summary>
/// A stopped node lets go of everything it allocated (its engines' order arrays are hundreds of MB): nothing it
/// registered - metrics callbacks above all, which prometheus-net keeps in per-thread storage of the registering
/// thread - may keep it reachable once it is disposed.
/// </summary>
public sealed class NodeReleaseTests
{
    [Fact]
    public async Task A_disposed_node_and_its_pipeline_are_collected()
    {
        var released = await StartScrapeAndDispose();

        // Wait for the condition rather than a fixed time: the last socket callbacks may still hold the node briefly.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (released.IsAlive && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(100);
        }
        Assert.False(released.IsAlive, "the disposed node's pipeline is still reachable 30 s after it stopped");
    }

    [Fact]
    public void Every_scrape_callback_is_registered_through_a_detachable_hook()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hft.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var direct = new List<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dir!.FullName, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || Path.GetFileName(file) == "ScrapeHook.cs") continue;
            if (File.ReadAllText(file).Contains(".AddBeforeCollectCallback(", StringComparison.Ordinal)) direct.Add(file);
        }
        Assert.True(direct.Count == 0, "register scrape callbacks with ScrapeHook.Register (a direct one keeps a stopped node alive): " + string.Join(", ", direct));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> StartScrapeAndDispose()
    {
        var s = await ServerFixture.StartAsync();
        var pipeline = new WeakReference(s.Server.Pipeline);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
            request.Headers.Authorization = new("Bearer", s.AdminToken); // the operator's view: per-account series too
            using var response = await s.Client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        }
        finally
        {
            await s.DisposeAsync();
        }
        return pipeline;
    }
}
