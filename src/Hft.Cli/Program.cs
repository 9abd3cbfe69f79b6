using Hft.Cli.Commands;

namespace Hft.Cli;

public static class Program
{
    public static int Main(string[] args) => CommandDispatcher.Run(args, Console.Out, Console.Error);
}
