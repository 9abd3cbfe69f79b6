using System.Globalization;
using System.Text;

namespace Hft.Gateways.Tests.Fix.Conformance;

/// <summary>
/// One session-level conformance scenario, parsed from a script (see <c>fix44-session.txt</c> for the format): a name,
/// the test case it comes from, and its steps in order. A step is for connection 1 unless prefixed <c>2:</c>.
/// </summary>
public sealed record SessionScript(string Id, string Title, IReadOnlyList<ScriptStep> Steps)
{
    public override string ToString() => Id;

    /// <summary>Reads every scenario of a script file: <c>## id title</c> starts one, <c>#</c> starts a comment.</summary>
    public static IReadOnlyList<SessionScript> ParseFile(string path) => Parse(File.ReadLines(path), path);

    /// <summary>Reads the scenarios of script lines; <paramref name="source"/> names them in errors.</summary>
    public static IReadOnlyList<SessionScript> Parse(IEnumerable<string> lines, string source)
    {
        var scripts = new List<SessionScript>();
        string? id = null;
        string title = "";
        var steps = new List<ScriptStep>();
        int lineNumber = 0;
        foreach (var rawLine in lines)
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                if (id is not null) scripts.Add(new SessionScript(id, title, steps));
                var head = line[3..].Trim();
                int space = head.IndexOf(' ', StringComparison.Ordinal);
                id = space < 0 ? head : head[..space];
                title = space < 0 ? "" : head[(space + 1)..].Trim();
                steps = new List<ScriptStep>();
                continue;
            }
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (id is null) throw new FormatException($"{source}:{lineNumber}: a step outside a scenario");
            int connection = 1;
            if (line.Length > 2 && char.IsAsciiDigit(line[0]) && line[1] == ':')
            {
                connection = line[0] - '0';
                line = line[2..].TrimStart();
            }
            int sp = line.IndexOf(' ', StringComparison.Ordinal);
            var verb = sp < 0 ? line : line[..sp];
            var args = sp < 0 ? "" : line[(sp + 1)..].Trim();
            if (verb is not ("connect" or "logon" or "send" or "raw" or "expect" or "disconnect"))
                throw new FormatException($"{source}:{lineNumber}: unknown step '{verb}'");
            steps.Add(new ScriptStep(lineNumber, connection, verb, args));
        }
        if (id is not null) scripts.Add(new SessionScript(id, title, steps));
        return scripts;
    }
}

/// <summary>One line of a scenario: <paramref name="Verb"/> with its arguments as written.</summary>
public sealed record ScriptStep(int Line, int Connection, string Verb, string Args)
{
    public override string ToString() => $"line {Line}: {(Connection == 1 ? "" : Connection + ": ")}{Verb} {Args}";
}

/// <summary>
/// Expands a script's placeholders: <c>{ids}</c> (our CompIDs as the counterparty, 49 and 56), <c>{pw}</c> (the
/// Password field), <c>{now}</c> / <c>{now+N}</c> / <c>{now-N}</c> (the acceptor's clock, N seconds on or back, as a
/// UTCTimestamp with milliseconds).
/// </summary>
public sealed class ScriptValues(string sender, string target, string password, Func<DateTime> now)
{
    public string Expand(string text)
    {
        var sb = new StringBuilder(text.Length + 64);
        int i = 0;
        while (i < text.Length)
        {
            int open = text.IndexOf('{', i);
            if (open < 0)
            {
                sb.Append(text, i, text.Length - i);
                break;
            }
            int close = text.IndexOf('}', open);
            if (close < 0) throw new FormatException("unclosed placeholder in " + text);
            sb.Append(text, i, open - i);
            var name = text[(open + 1)..close];
            sb.Append(name switch
            {
                "ids" => $"49={sender}|56={target}",
                "pw" => $"554={password}",
                "sum" or "badsum" or "len" => "{" + name + "}", // computed over the finished bytes
                _ when name.StartsWith("now", StringComparison.Ordinal) => Time(name),
                _ => throw new FormatException($"unknown placeholder {{{name}}}"),
            });
            i = close + 1;
        }
        return sb.ToString();
    }

    private string Time(string name)
    {
        var t = now();
        if (name.Length > 3) t = t.AddSeconds(int.Parse(name[3..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        return t.ToString("yyyyMMdd-HH:mm:ss.fff", CultureInfo.InvariantCulture);
    }
}
