namespace Hft.Deployment.Tests;

/// <summary>One alert of deployment/monitoring/alert-rules.yml.</summary>
public sealed record AlertRule(string Group, string Name, string Expr, string Severity, string Summary, string Runbook, string? For)
{
    public static List<AlertRule> Load(string? path = null)
    {
        var root = Yaml.Load(path ?? Repo.Deployment("monitoring", "alert-rules.yml"));
        var rules = new List<AlertRule>();
        foreach (var group in root.Seq("groups"))
            foreach (var rule in group.Seq("rules"))
                rules.Add(new AlertRule(group.Req("name"), rule.Req("alert"), rule.Req("expr"), rule.Req("labels.severity"),
                    rule.Req("annotations.summary"), rule.Req("annotations.runbook_url"), rule.Str("for")));
        return rules;
    }
}
