using System.Text;
using System.Text.Json;
using Hft.Core.Events;
using Spectre.Console;

namespace Hft.Cli.Bench;

/// <summary>Renders results: a readable table (default) or one JSON object (<c>--json</c>).</summary>
internal static class BenchReport
{
    public static void WriteTable(IReadOnlyList<BenchResult> results, TimerOverhead overhead, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
        });
        if (console.Profile.Width < 140) console.Profile.Width = 140; // redirected output defaults to 80 columns

        var table = new Table().Title("hft bench: single thread; matching engine alone, 'risk' = validate + risk check + matching + risk settlement, "
            + "'pipeline' = decoded binary message -> node pipeline, journal async -> encoded acknowledgment").Border(TableBorder.Rounded);
        table.AddColumn("scenario");
        table.AddColumn(new TableColumn("commands").RightAligned());
        table.AddColumn(new TableColumn("commands/s").RightAligned());
        table.AddColumn(new TableColumn("p50 ns").RightAligned());
        table.AddColumn(new TableColumn("p90 ns").RightAligned());
        table.AddColumn(new TableColumn("p99 ns").RightAligned());
        table.AddColumn(new TableColumn("p99.9 ns").RightAligned());
        table.AddColumn(new TableColumn("max ns").RightAligned());
        table.AddColumn(new TableColumn("alloc B").RightAligned());
        table.AddColumn(new TableColumn("GCs").RightAligned());
        foreach (var r in results)
        {
            table.AddRow(
                Markup.Escape(r.Name),
                $"{r.Commands:N0}",
                $"{r.OpsPerSec:N0}",
                $"{r.P50Ns:N0}",
                $"{r.P90Ns:N0}",
                $"{r.P99Ns:N0}",
                $"{r.P999Ns:N0}",
                $"{r.MaxNs:N0}",
                $"{r.AllocatedBytes:N0}",
                $"{r.GcCollections}");
        }
        console.Write(table);

        foreach (var r in results)
        {
            console.MarkupLine(Markup.Escape(
                $"  {r.Name}: {r.Description}; pre-loaded {r.PreloadedOrders:N0}; throughput loop {r.ElapsedMs:N1} ms; "
                + $"mean {r.MeanNs:N0} ns; {r.Events:N0} events, {r.Trades:N0} trades, {r.Rejected:N0} rejected, "
                + $"{r.RestingAtEnd:N0} resting at end; page faults {r.PageFaultsThroughput:N0} + {r.PageFaultsLatency:N0}; event digest {r.EventDigest}; invariants {r.Invariants}; seed {(r.Seed is { } s ? s.ToString() : "n/a")}; GC mode {r.GcLatencyMode}"));
        }
        foreach (var r in results)
        {
            if (!r.RiskChecked) continue;
            console.MarkupLine(Markup.Escape(
                $"  {r.Name}: rejected by risk {r.RiskRejected:N0} of {r.Commands:N0} commands ({100 * r.RiskRejectShare:0.00}%): {RiskReasons(r)}"));
        }
        foreach (var r in results)
        {
            if (r.Gateway is not { } g) continue;
            console.MarkupLine(Markup.Escape(
                $"  {r.Name}: acknowledged {g.Acks:N0} of {r.Commands:N0} commands ({g.Unacknowledged:N0} never released; latency pass {g.LatencyPassAcks:N0}); "
                + $"{g.Messages:N0} messages, {g.Bytes:N0} bytes encoded; {g.DurabilityWaits:N0} waited in the outbox; journal {g.JournalMode}, {g.JournalRecords:N0} records"));
        }
        if (BenchTargets.Overhead(results) is { } o)
        {
            console.MarkupLine(Markup.Escape(
                $"  risk overhead vs single (same run): p50 {o.P50Ns:+#,0;-#,0;0} ns, mean {o.MeanNs:+#,0.0;-#,0.0;0} ns, "
                + $"throughput pass {o.ThroughputNsPerCommand:+#,0.0;-#,0.0;0} ns/command; target p50 <= {BenchTargets.MaxRiskOverheadP50Ns} ns: {(o.Met ? "met" : "MISSED")}"));
        }
        foreach (var r in results)
        {
            var sb = new StringBuilder($"  {r.Name} mean latency by kind:");
            for (int k = 0; k < CommandKinds.Count; k++)
                sb.Append($" {CommandKinds.Names[k]} {r.KindMeanNs[k]:N0} ns ({100.0 * r.KindCounts[k] / Math.Max(1, r.Commands):0.#}%)");
            console.MarkupLine(Markup.Escape(sb.ToString()));
        }
        console.MarkupLine(Markup.Escape(
            $"  timer overhead (GetTimestamp pair, included in every latency above, not subtracted): "
            + $"min {overhead.MinNs} ns, median {overhead.MedianNs} ns, p99 {overhead.P99Ns} ns; resolution {overhead.ResolutionNs} ns"));
        console.MarkupLine(Markup.Escape(
            "  throughput: one timed loop, no per-command timestamps; latency: a second pass on a fresh engine "
            + "(pipeline: the next segment of the same node's stream); alloc/GCs: both passes' loops"));

        var checks = BenchTargets.Evaluate(results);
        if (checks.Count > 0)
        {
            var t = new Table().Title("targets").Border(TableBorder.Rounded);
            t.AddColumn("scenario");
            t.AddColumn("target");
            t.AddColumn(new TableColumn("measured").RightAligned());
            t.AddColumn("result");
            foreach (var c in checks)
                t.AddRow(Markup.Escape(c.Scenario), Markup.Escape(c.Target), Markup.Escape(c.Measured), c.Met ? "[green]met[/]" : "[red]MISSED[/]");
            console.Write(t);
        }
        foreach (var r in results)
        {
            if (BenchScenario.HasNoTargets(r.Name))
                console.MarkupLine(Markup.Escape($"  {r.Name}: memory-bound worst case, reported without a target"));
        }
    }

    private static string RiskReasons(BenchResult r)
    {
        var parts = new List<string>();
        for (int k = (int)RejectReason.AccountDisabled; k <= (int)RejectReason.NoReferencePrice && k < r.RejectsByReason.Length; k++)
            if (r.RejectsByReason[k] > 0) parts.Add($"{((RejectReason)k).Name()} {r.RejectsByReason[k]:N0}");
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    public static void WriteJson(IReadOnlyList<BenchResult> results, TimerOverhead overhead, TextWriter stdout)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("tool", "hft bench");
            json.WriteString("date_utc", DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("processor_count", Environment.ProcessorCount);
            json.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
            json.WriteStartObject("timer_overhead_ns");
            json.WriteNumber("min", overhead.MinNs);
            json.WriteNumber("median", overhead.MedianNs);
            json.WriteNumber("p99", overhead.P99Ns);
            json.WriteNumber("resolution", overhead.ResolutionNs);
            json.WriteEndObject();
            json.WriteStartObject("scenarios");
            foreach (var r in results)
            {
                json.WriteStartObject(r.Name);
                json.WriteNumber("ops_per_sec", Math.Round(r.OpsPerSec));
                json.WriteNumber("p50_ns", r.P50Ns);
                json.WriteNumber("p99_ns", r.P99Ns);
                json.WriteNumber("p999_ns", r.P999Ns);
                json.WriteNumber("max_ns", r.MaxNs);
                json.WriteNumber("allocated_bytes", r.AllocatedBytes);
                json.WriteNumber("gc_collections", r.GcCollections);
                json.WriteNumber("commands", r.Commands);
                if (r.Seed is { } seed) json.WriteNumber("seed", seed);
                else json.WriteNull("seed");
                json.WriteNumber("p90_ns", r.P90Ns);
                json.WriteNumber("mean_ns", Math.Round(r.MeanNs, 1));
                json.WriteNumber("elapsed_ms", Math.Round(r.ElapsedMs, 3));
                json.WriteNumber("instruments", r.Instruments);
                json.WriteNumber("preloaded_orders", r.PreloadedOrders);
                json.WriteNumber("events", r.Events);
                json.WriteNumber("trades", r.Trades);
                json.WriteNumber("rejected", r.Rejected);
                json.WriteNumber("resting_at_end", r.RestingAtEnd);
                json.WriteString("gc_latency_mode", r.GcLatencyMode);
                json.WriteNumber("page_faults_throughput_pass", r.PageFaultsThroughput);
                json.WriteNumber("page_faults_latency_pass", r.PageFaultsLatency);
                json.WriteString("event_digest", r.EventDigest);
                json.WriteString("invariants", r.Invariants);
                json.WriteBoolean("risk_checked", r.RiskChecked);
                json.WriteNumber("risk_rejected", r.RiskRejected);
                json.WriteNumber("risk_reject_share", Math.Round(r.RiskRejectShare, 6));
                json.WriteStartObject("rejected_by_reason");
                for (int k = 1; k < r.RejectsByReason.Length; k++)
                    json.WriteNumber(((RejectReason)k).Name(), r.RejectsByReason[k]);
                json.WriteEndObject();
                json.WriteStartObject("by_kind");
                for (int k = 0; k < CommandKinds.Count; k++)
                {
                    json.WriteStartObject(CommandKinds.Names[k]);
                    json.WriteNumber("commands", r.KindCounts[k]);
                    json.WriteNumber("mean_ns", Math.Round(r.KindMeanNs[k], 1));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                WriteGateway(json, r.Gateway);
                json.WriteEndObject();
            }
            json.WriteEndObject();
            if (BenchTargets.Overhead(results) is { } o)
            {
                json.WriteStartObject("risk_overhead_vs_single");
                json.WriteNumber("p50_ns", o.P50Ns);
                json.WriteNumber("mean_ns", Math.Round(o.MeanNs, 1));
                json.WriteNumber("throughput_ns_per_command", Math.Round(o.ThroughputNsPerCommand, 1));
                json.WriteNumber("target_p50_ns", BenchTargets.MaxRiskOverheadP50Ns);
                json.WriteBoolean("met", o.Met);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("risk_overhead_vs_single");
            }
            json.WriteStartArray("targets");
            foreach (var c in BenchTargets.Evaluate(results))
            {
                json.WriteStartObject();
                json.WriteString("scenario", c.Scenario);
                json.WriteString("target", c.Target);
                json.WriteString("measured", c.Measured);
                json.WriteBoolean("met", c.Met);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>"gateway": the pipeline scenario's acknowledgments, null for the engine scenarios.</summary>
    private static void WriteGateway(Utf8JsonWriter json, AckFigures? g)
    {
        if (g is null)
        {
            json.WriteNull("gateway");
            return;
        }
        json.WriteStartObject("gateway");
        json.WriteNumber("acks", g.Acks);
        json.WriteNumber("unacknowledged", g.Unacknowledged);
        json.WriteNumber("latency_pass_acks", g.LatencyPassAcks);
        json.WriteNumber("messages_encoded", g.Messages);
        json.WriteNumber("bytes_encoded", g.Bytes);
        json.WriteNumber("durability_waits", g.DurabilityWaits);
        json.WriteString("journal_mode", g.JournalMode);
        json.WriteNumber("journal_records", g.JournalRecords);
        json.WriteEndObject();
    }
}
