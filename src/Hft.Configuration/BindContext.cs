namespace Hft.Configuration;

/// <summary>What binding and validation share: the file label for messages, the env overrides, and which keys came from the environment.</summary>
internal sealed class BindContext(string file, EnvironmentOverrides environment)
{
    private readonly Dictionary<(string Section, string Key), string> _origins = [];

    /// <summary>Label used in messages: the path of the TOML file, or "embedded:development.toml".</summary>
    public string File { get; } = file;

    public EnvironmentOverrides Environment { get; } = environment;

    public void RecordOrigin(string section, string key, string envName) => _origins[(section, key)] = envName;

    /// <summary>The env variable that set <paramref name="key"/> of <paramref name="section"/>, or null when it came from the file.</summary>
    public string? OriginOf(string section, string key) => _origins.GetValueOrDefault((section, key));

    /// <summary>The one-line error for <paramref name="key"/> of <paramref name="section"/> ("" = top level), naming its env variable if it came from one.</summary>
    public ConfigException Error(string section, string? key, string problem)
    {
        if (key is not null && OriginOf(section, key) is { } env) key = $"{key} (from env {env})";
        return new ConfigException(File, section.Length == 0 ? null : section, key, problem);
    }
}
