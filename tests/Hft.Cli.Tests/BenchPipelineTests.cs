using System.Text.Json;
using Hft.Cli.Commands;

namespace Hft.Cli.Tests;

/// <summary>
/// <c>hft bench --scenario pipeline</c>: a short run through a real node (journal async in a temporary directory)
/// reports with the engine scenarios' JSON keys and answers every command it sent.
/// </summary>
public class BenchPipelineTests
{
    private const int Commands = 2_000;

    [Fact]
    public void A_short_pipeline_run_acknowledges_every_command_and_reports_the_keys_of_the_engine_scenarios()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandDispatcher.Run(["bench", "--scenario", "single,pipeline", "--commands", $"{Commands}", "--json"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());

        using var report = JsonDocument.Parse(stdout.ToString());
        var scenarios = report.RootElement.GetProperty("scenarios");
        var single = scenarios.GetProperty("single");
        var pipeline = scenarios.GetProperty("pipeline");
        Assert.Equal(Keys(single), Keys(pipeline));
        foreach (string key in (string[])["ops_per_sec", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns", "allocated_bytes", "gc_collections", "gateway"])
            Assert.True(pipeline.TryGetProperty(key, out _), $"no {key}");

        Assert.Equal(Commands, pipeline.GetProperty("commands").GetInt32());
        Assert.True(pipeline.GetProperty("ops_per_sec").GetDouble() > 0);
        Assert.True(pipeline.GetProperty("p50_ns").GetInt64() > 0);
        Assert.Equal("ok", pipeline.GetProperty("invariants").GetString());
        var gateway = pipeline.GetProperty("gateway");
        Assert.Equal(Commands, gateway.GetProperty("acks").GetInt64());
        Assert.Equal(Commands, gateway.GetProperty("latency_pass_acks").GetInt64());
        Assert.Equal(0, gateway.GetProperty("unacknowledged").GetInt64());
        Assert.True(gateway.GetProperty("messages_encoded").GetInt64() >= Commands);
        Assert.Equal("async", gateway.GetProperty("journal_mode").GetString());
        Assert.True(gateway.GetProperty("journal_records").GetInt64() > 0);
        Assert.Equal(JsonValueKind.Null, single.GetProperty("gateway").ValueKind);

        var targets = report.RootElement.GetProperty("targets").EnumerateArray()
            .Where(t => t.GetProperty("scenario").GetString() == "pipeline").Select(t => t.GetProperty("target").GetString()).ToList();
        Assert.Contains(">= 1,000,000 orders/s", targets);
        Assert.Contains("p99 <= 10 us", targets);
    }

    private static List<string> Keys(JsonElement scenario) => scenario.EnumerateObject().Select(p => p.Name).ToList();
}
