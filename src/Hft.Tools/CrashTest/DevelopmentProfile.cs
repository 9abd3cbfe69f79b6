using Hft.Configuration;

namespace Hft.Tools.CrashTest;

/// <summary>The development profile the crash tests' servers run, loaded the way they load it.</summary>
internal static class DevelopmentProfile
{
    /// <summary>
    /// The configuration directory this process resolves (absolute: the servers run in other directories), null when
    /// none; false with the reason printed when it cannot be resolved.
    /// </summary>
    public static bool TryConfigDir(TextWriter stderr, out string? configDir)
    {
        configDir = null;
        try
        {
            if (ConfigLoader.ResolveConfigDir(ConfigLoader.ProcessEnvironment()) is { } dir) configDir = Path.GetFullPath(dir);
            return true;
        }
        catch (ConfigException e)
        {
            stderr.WriteLine(e.Message);
            return false;
        }
    }

    /// <summary>The profile with <paramref name="environment"/>'s overrides; false with the reason printed when it does not load.</summary>
    public static bool TryLoad(IDictionary<string, string?> environment, TextWriter stderr, out HftConfig config)
    {
        try
        {
            config = ConfigLoader.Load(["--profile", "development"], environment);
            return true;
        }
        catch (ConfigException e)
        {
            stderr.WriteLine(e.Message);
            config = null!;
            return false;
        }
    }
}
