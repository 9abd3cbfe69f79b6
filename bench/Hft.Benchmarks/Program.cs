using BenchmarkDotNet.Running;

namespace Hft.Benchmarks;

/// <summary>
/// Micro-benchmarks of single engine operations. Run in Release, e.g.
/// <c>dotnet run -c Release --project bench/Hft.Benchmarks -- --filter '*' --job short</c>.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
