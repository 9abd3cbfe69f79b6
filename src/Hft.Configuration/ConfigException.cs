namespace Hft.Configuration;

/// <summary>
/// A configuration problem that stops start-up. <see cref="Exception.Message"/> is one line naming the file, the key
/// and the problem, e.g. <c>config/production.toml: [system] max_workers: must be between 1 and 64, got 0</c>.
/// The caller prints it and exits with <see cref="ExitCode"/>.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Process exit code for any configuration error.</summary>
    public const int ExitCode = 2;

    public ConfigException(string file, string? section, string? key, string problem)
        : base(Format(file, section, key, problem))
    {
        File = file;
        Section = section;
        Key = key;
        Problem = problem;
    }

    /// <summary>File (or source such as "HFT_CONFIG_DIR") the problem is in.</summary>
    public string File { get; }

    /// <summary>TOML section such as "system" or "accounts[1]"; null for file-level problems.</summary>
    public string? Section { get; }

    /// <summary>Key inside <see cref="Section"/> (may carry "(from env HFT_...)"); null for section- or file-level problems.</summary>
    public string? Key { get; }

    public string Problem { get; }

    private static string Format(string file, string? section, string? key, string problem)
    {
        var where = (section, key) switch
        {
            (null, null) => "",
            (null, _) => key + ": ",
            (_, null) => "[" + section + "]: ",
            _ => "[" + section + "] " + key + ": ",
        };
        return OneLine(file + ": " + where + problem);
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
