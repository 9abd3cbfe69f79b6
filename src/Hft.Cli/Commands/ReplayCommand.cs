namespace Hft.Cli.Commands;

public static class ReplayCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("hft replay: not built yet");
        return 1;
    }
}
