namespace Hft.Cli.Commands;

public static class BenchCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        stderr.WriteLine("hft bench: not built yet");
        return 1;
    }
}
