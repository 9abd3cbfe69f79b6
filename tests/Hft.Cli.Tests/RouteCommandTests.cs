using Hft.Cli.Commands;

namespace Hft.Cli.Tests;

/// <summary><c>hft route</c>: a bad routing file or argument is one line naming the problem and exit code 2.</summary>
public class RouteCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CommandDispatcher.Run(["route", .. args], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Help_names_the_config_file()
    {
        var (code, output, _) = Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("config/routing.toml", output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_in_the_routing_file_is_exit_2_naming_it()
    {
        string path = Path.Combine(Path.GetTempPath(), "hft-route-" + Guid.NewGuid().ToString("N") + ".toml");
        File.WriteAllText(path, "[routing]\nlisten = \"127.0.0.1:0\"\nleader_pol_ms = 5\n");
        try
        {
            var (code, _, err) = Run("--config", path);
            Assert.Equal(2, code);
            Assert.StartsWith($"{path}: routing.leader_pol_ms: unknown key", err, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_and_an_unknown_argument_are_exit_2()
    {
        var (code, _, err) = Run("--config", "/nonexistent/routing.toml");
        Assert.Equal(2, code);
        Assert.Contains("cannot read file", err, StringComparison.Ordinal);
        Assert.Contains("routing.example.toml", err, StringComparison.Ordinal);
        Assert.Equal(2, Run("--listen", "x").Code);
    }
}
