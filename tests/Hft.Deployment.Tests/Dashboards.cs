using System.Text.Json;

namespace Hft.Deployment.Tests;

/// <summary>One panel query of a Grafana dashboard.</summary>
public sealed record PanelQuery(string Dashboard, string Panel, string PanelType, string Expr, string DatasourceUid);

/// <summary>A dashboard of deployment/monitoring/grafana/dashboards/*.json with its panel queries and variables.</summary>
public sealed record Dashboard(string Uid, string Title, List<PanelQuery> Queries, List<(string Name, string Query)> Variables)
{
    public static List<Dashboard> Load()
    {
        var result = new List<Dashboard>();
        foreach (var file in Directory.GetFiles(Repo.Deployment("monitoring", "grafana", "dashboards"), "*.json").Order())
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            string uid = root.GetProperty("uid").GetString()!;
            var queries = new List<PanelQuery>();
            foreach (var panel in root.GetProperty("panels").EnumerateArray())
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                    queries.Add(new PanelQuery(uid, panel.GetProperty("title").GetString()!, panel.GetProperty("type").GetString()!,
                        target.GetProperty("expr").GetString()!, target.GetProperty("datasource").GetProperty("uid").GetString()!));
            var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray()
                .Select(v => (v.GetProperty("name").GetString()!, v.GetProperty("query").GetProperty("query").GetString()!)).ToList();
            result.Add(new Dashboard(uid, root.GetProperty("title").GetString()!, queries, variables));
        }
        return result;
    }

    /// <summary>
    /// A panel query as Prometheus can run it: Grafana's variables set to one real value each (the scraped instance,
    /// BTCUSD, account A1: a concrete value, unlike "All" = ".*", also catches a misspelt label name) and
    /// $__rate_interval to 1m (several scrape intervals of the test's Prometheus).
    /// </summary>
    public static string Substitute(string expr, string instance)
    {
        var s = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$__interval", "1m", StringComparison.Ordinal);
        s = s.Replace("$instance", instance, StringComparison.Ordinal).Replace("$symbol", "BTCUSD", StringComparison.Ordinal)
            .Replace("$account", "A1", StringComparison.Ordinal);
        Assert.DoesNotContain("$", s.Replace("$labels", "", StringComparison.Ordinal));
        return s;
    }
}
