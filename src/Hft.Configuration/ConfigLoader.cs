using System.Collections;
using System.Globalization;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;

namespace Hft.Configuration;

/// <summary>
/// Loads a TOML profile (development, staging, production) from the config directory, applies
/// <c>HFT_&lt;SECTION&gt;__&lt;KEY&gt;</c> environment overrides and validates the result. Any problem throws a
/// <see cref="ConfigException"/> whose message is one line naming file, key and problem; callers print it and exit
/// with <see cref="ConfigException.ExitCode"/> (2).
/// </summary>
public static class ConfigLoader
{
    public const string DefaultProfile = "development";

    /// <summary>Environment variable selecting the profile when no <c>--profile</c> is given.</summary>
    public const string ProfileVariable = "HFT_PROFILE";

    /// <summary>Environment variable naming the directory holding the profile files.</summary>
    public const string ConfigDirVariable = "HFT_CONFIG_DIR";

    /// <summary>Label of the development profile compiled into this assembly (used when no file is found).</summary>
    public const string EmbeddedDevelopmentLabel = "embedded:development.toml";

    public static IReadOnlyList<string> Profiles { get; } = ["development", "staging", "production"];

    private const string EmbeddedResourceName = "Hft.Configuration.development.toml";

    /// <summary>
    /// Loads and validates a profile. <paramref name="profile"/> wins over <c>HFT_PROFILE</c>, else development.
    /// The file is <c>configDir/&lt;profile&gt;.toml</c>; when it does not exist (or <paramref name="configDir"/> is
    /// null) only development can load, from the embedded copy of config/development.toml.
    /// </summary>
    /// <exception cref="ConfigException">Unknown profile, missing or unreadable file, invalid TOML, unknown key,
    /// wrong type, out-of-range value, bad decimal, bad environment override, or a rule of the profile broken.</exception>
    public static HftConfig Load(string? profile, string? configDir, IDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var name = SelectProfile(profile, environment);

        string label;
        string? sourceFile = null;
        string text;
        var path = configDir is null ? null : Path.Combine(configDir, name + ".toml");
        if (path is not null && File.Exists(path))
        {
            label = path;
            sourceFile = path;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException(path, null, null, "cannot read file: " + e.Message);
            }
        }
        else if (name == DefaultProfile)
        {
            label = EmbeddedDevelopmentLabel;
            text = EmbeddedDevelopmentToml();
        }
        else
        {
            var hint = configDir is null
                ? $"no config directory found: set {ConfigDirVariable} or run from the directory holding config/"
                : $"profile {name} needs its file (set {ConfigDirVariable} to the directory holding it)";
            throw new ConfigException(path ?? name + ".toml", null, null, $"file not found ({hint})");
        }

        return LoadText(text, name, label, sourceFile, environment);
    }

    /// <summary>
    /// Loads with the profile taken from <c>--profile NAME</c> (or <c>--profile=NAME</c>) in <paramref name="args"/>
    /// and the config directory from <see cref="ResolveConfigDir"/>.
    /// </summary>
    public static HftConfig Load(IReadOnlyList<string> args, IDictionary<string, string?> environment)
        => Load(ProfileFromArgs(args), ResolveConfigDir(environment), environment);

    /// <summary>
    /// The directory holding the profiles: <c>HFT_CONFIG_DIR</c> when set (it must exist); else the first
    /// <c>config/</c> holding a profile file found in <paramref name="startDirectory"/> (default: the current
    /// directory) or its parents, then in the application's base directory or its parents (the repository root
    /// when running from bin/); else null, meaning the embedded development profile only.
    /// </summary>
    public static string? ResolveConfigDir(IDictionary<string, string?> environment, string? startDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment.TryGetValue(ConfigDirVariable, out var explicitDir) && !string.IsNullOrWhiteSpace(explicitDir))
        {
            if (!Directory.Exists(explicitDir))
                throw new ConfigException(ConfigDirVariable, null, null, $"directory not found: {explicitDir}");
            return explicitDir;
        }

        var start = Path.GetFullPath(startDirectory ?? Directory.GetCurrentDirectory());
        foreach (var origin in new[] { start, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(origin); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "config");
                if (!Profiles.Any(p => File.Exists(Path.Combine(candidate, p + ".toml")))) continue;
                // Short relative path for the common case so that messages read "config/production.toml: ...".
                return startDirectory is null && dir.FullName == Path.GetFullPath(Directory.GetCurrentDirectory())
                    ? "config"
                    : candidate;
            }
        }
        return null;
    }

    /// <summary>The value of <c>--profile NAME</c> or <c>--profile=NAME</c>, or null when absent.</summary>
    public static string? ProfileFromArgs(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? found = null;
        for (int i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--profile")
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                    throw new ConfigException("--profile", null, null, "missing profile name (expected development, staging or production)");
                found = args[++i];
            }
            else if (a.StartsWith("--profile=", StringComparison.Ordinal))
            {
                found = a["--profile=".Length..];
            }
        }
        return found;
    }

    /// <summary>A snapshot of the process environment in the shape <see cref="Load(string?, string?, IDictionary{string, string?})"/> takes.</summary>
    public static IDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            result[(string)e.Key] = e.Value as string;
        return result;
    }

    /// <summary>One line for the start-up log (no secrets).</summary>
    public static string Describe(HftConfig c)
    {
        var auth = !c.Auth.Enabled ? "DISABLED"
            : c.Auth.IsDevelopmentSecret ? "on, DEVELOPMENT SECRET (not for production)"
            : c.Auth.KeyFile is not null ? "on, RS256 key file"
            : "on, HS256 secret";
        return string.Create(CultureInfo.InvariantCulture,
            $"profile={c.Profile} source={c.SourceFile ?? EmbeddedDevelopmentLabel} workers={c.System.MaxWorkers} " +
            $"queue={c.System.WorkerQueueSize} symbols={string.Join(',', c.Trading.EnabledSymbols)} accounts={c.Accounts.Count} " +
            $"api_keys={c.Auth.ApiKeys.Count} auth=[{auth}] bind={c.Server.Bind} api_port={ApiPort(c)} ops_port={c.Monitoring.MetricsPort} " +
            $"journal={c.Journal.Mode}:{c.Journal.Dir} redis={c.Redis.Connection ?? "none"}");
    }

    private static string ApiPort(HftConfig c)
        => c.Server.SharesOperationsPort(c.Monitoring) ? "shared" : c.Server.HttpPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>The development profile compiled into the assembly (a copy of config/development.toml).</summary>
    public static string EmbeddedDevelopmentToml()
    {
        using var stream = typeof(ConfigLoader).Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"resource {EmbeddedResourceName} missing from {typeof(ConfigLoader).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses, binds and validates TOML text as <paramref name="profile"/>; <paramref name="label"/> names it in messages.</summary>
    internal static HftConfig LoadText(string text, string profile, string label, string? sourceFile, IDictionary<string, string?> environment)
    {
        var document = Parse(text, label);
        var ctx = new BindContext(label, new EnvironmentOverrides(environment));
        var config = TomlBinder.Bind(document, ctx, profile, sourceFile);
        ConfigValidator.Validate(config, ctx);
        return config;
    }

    private static string SelectProfile(string? profile, IDictionary<string, string?> environment)
    {
        string source = "--profile";
        if (string.IsNullOrWhiteSpace(profile))
        {
            profile = environment.TryGetValue(ProfileVariable, out var fromEnv) ? fromEnv : null;
            source = ProfileVariable;
        }
        if (string.IsNullOrWhiteSpace(profile)) return DefaultProfile;
        var name = profile.Trim().ToLowerInvariant();
        if (!Profiles.Contains(name))
            throw new ConfigException(source, null, null, $"unknown profile \"{profile}\" (expected development, staging or production)");
        return name;
    }

    private static TomlTable Parse(string text, string label)
    {
        try
        {
            // The syntax parser validates the whole document (duplicate keys and tables included); see TomlDocumentModel.
            return TomlDocumentModel.Build(SyntaxParser.ParseStrict(text, label, true));
        }
        catch (TomlException e)
        {
            var first = e.Message.Split('\n', 2)[0].Trim();
            int at = first.IndexOf(" : error : ", StringComparison.Ordinal);
            var problem = at >= 0 ? first[(at + " : error : ".Length)..] : first;
            throw new ConfigException(label, null, $"line {e.Line}, column {e.Column}", "invalid TOML: " + problem.Trim());
        }
    }
}
