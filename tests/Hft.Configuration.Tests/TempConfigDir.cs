namespace Hft.Configuration.Tests;

/// <summary>A throw-away config directory under the temp folder, deleted on dispose.</summary>
internal sealed class TempConfigDir : IDisposable
{
    public TempConfigDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hft-config-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="profile"/>.toml and returns its path (the label used in messages).</summary>
    public string Write(string profile, string toml)
    {
        var file = System.IO.Path.Combine(Path, profile + ".toml");
        File.WriteAllText(file, toml);
        return file;
    }

    /// <summary>Copies a shipped profile from the repository's config/ and returns its path.</summary>
    public string CopyShipped(string profile) => Write(profile, File.ReadAllText(RepoConfig.File(profile)));

    /// <summary>Writes a shipped profile with <paramref name="edit"/> applied to its text.</summary>
    public string WriteEdited(string profile, Func<string, string> edit)
    {
        var original = File.ReadAllText(RepoConfig.File(profile));
        var edited = edit(original);
        Assert.NotEqual(original, edited); // the edit must have matched something
        return Write(profile, edited);
    }

    public HftConfig Load(string profile, Dictionary<string, string?>? env = null)
        => ConfigLoader.Load(profile, Path, env ?? []);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>The repository's config/ directory, found from the test binaries.</summary>
internal static class RepoConfig
{
    public static readonly string Dir = Find();

    public static string File(string profile) => System.IO.Path.Combine(Dir, profile + ".toml");

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = System.IO.Path.Combine(d.FullName, "config");
            if (System.IO.File.Exists(System.IO.Path.Combine(candidate, "production.toml"))) return candidate;
        }
        throw new InvalidOperationException("config/ not found above " + AppContext.BaseDirectory);
    }
}
