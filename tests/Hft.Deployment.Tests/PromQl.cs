using System.Text;
using System.Text.RegularExpressions;

namespace Hft.Deployment.Tests;

/// <summary>
/// Just enough PromQL text handling to take an alert expression apart: its top-level set operands
/// (<c>and</c>/<c>or</c>/<c>unless</c>), each without its threshold comparison, and the metric selectors it uses.
/// Parsing proper is left to Prometheus (every expression is also sent whole).
/// </summary>
public static partial class PromQl
{
    /// <summary>The operands of top-level and/or/unless, each with vector matching, outer parentheses and a trailing
    /// "op number" comparison removed: what the alert compares, evaluated without its threshold.</summary>
    public static List<string> Conditions(string expr)
    {
        var operands = new List<string>();
        var current = new StringBuilder();
        int depth = 0;
        bool quoted = false;
        for (int i = 0; i < expr.Length; i++)
        {
            char c = expr[i];
            if (c == '"' && (i == 0 || expr[i - 1] != '\\')) quoted = !quoted;
            if (!quoted)
            {
                if (c is '(' or '[' or '{') depth++;
                else if (c is ')' or ']' or '}') depth--;
                else if (depth == 0 && SetOperatorAt(expr, i) is { } op)
                {
                    operands.Add(current.ToString());
                    current.Clear();
                    i += op.Length - 1;
                    continue;
                }
            }
            current.Append(c);
        }
        operands.Add(current.ToString());
        return operands.Select(Condition).ToList();
    }

    /// <summary>Metric selectors (name plus optional label matchers) of an expression: hft_* families and up.</summary>
    public static List<string> Selectors(string expr)
        => SelectorRegex().Matches(expr).Select(m => m.Value).Distinct().ToList();

    /// <summary>The metric family names an expression uses (hft_* and up), without _bucket/_sum/_count suffixes.</summary>
    public static IEnumerable<string> Families(string expr)
        => SelectorRegex().Matches(expr).Select(m => Regex.Replace(m.Groups[1].Value, "_(bucket|sum|count)$", "")).Distinct();

    private static string Condition(string operand)
    {
        var s = operand.Trim();
        s = MatchingRegex().Replace(s, "");
        while (s.StartsWith('(') && Closing(s, 0) == s.Length - 1) s = s[1..^1].Trim();
        s = ComparisonRegex().Replace(s, "");
        while (s.StartsWith('(') && Closing(s, 0) == s.Length - 1) s = s[1..^1].Trim();
        return s;
    }

    private static int Closing(string s, int open)
    {
        int depth = 0;
        for (int i = open; i < s.Length; i++)
        {
            if (s[i] == '(') depth++;
            else if (s[i] == ')' && --depth == 0) return i;
        }
        return -1;
    }

    private static string? SetOperatorAt(string s, int i)
    {
        foreach (var op in new[] { "and", "or", "unless" })
            if (string.CompareOrdinal(s, i, op, 0, op.Length) == 0
                && (i == 0 || char.IsWhiteSpace(s[i - 1]) || s[i - 1] == ')')
                && i + op.Length < s.Length && (char.IsWhiteSpace(s[i + op.Length]) || s[i + op.Length] == '('))
                return op;
        return null;
    }

    [GeneratedRegex(@"^(on|ignoring)\s*\([^)]*\)\s*((group_left|group_right)\s*(\([^)]*\))?\s*)?")]
    private static partial Regex MatchingRegex();

    [GeneratedRegex(@"\s*(==|!=|>=|<=|>|<)\s*(bool\s+)?[-+]?[0-9][0-9.eE+-]*\s*$")]
    private static partial Regex ComparisonRegex();

    [GeneratedRegex(@"\b(hft_[a-z0-9_]+|up)\b(\{[^}]*\})?")]
    private static partial Regex SelectorRegex();
}
