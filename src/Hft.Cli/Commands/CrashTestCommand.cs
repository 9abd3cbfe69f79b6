using Hft.Tools.CrashTest;

namespace Hft.Cli.Commands;

/// <summary><c>hft crashtest [--iterations N] [--seconds S] [--mode sync|async] [--seed X]</c>: kill -9 crash-recovery test of the real server.</summary>
public static class CrashTestCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => CrashTestRunner.Run(args, stdout, stderr);
}
