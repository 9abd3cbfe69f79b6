using Hft.Configuration;

namespace Hft.Cli.Commands;

/// <summary>Loads the server configuration for a CLI command; a bad configuration is one line on stderr and exit code 2.</summary>
public static class ProfileConfig
{
    public static bool TryLoad(IReadOnlyList<string> profileArgs, TextWriter stderr, out HftConfig config)
    {
        try
        {
            config = ConfigLoader.Load(profileArgs, ConfigLoader.ProcessEnvironment());
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
