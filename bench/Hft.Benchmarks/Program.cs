using BenchmarkDotNet.Running;

namespace Hft.Benchmarks;

/// <summary>
/// Micro-benchmarks of single engine operations. Run in Release, e.g.
/// <c>dotnet run -c Release --project bench/Hft.Benchmarks -- --filter '*' --job short</c>.
/// <c>--journal-latency [seconds] [dir]</c> instead runs the journal's throughput and append→durable latency loop
/// (<see cref="JournalLatency"/>). <c>--recovery [commands] [dir]</c> measures start-up recovery and backup (<see cref="RecoveryBench"/>).
/// <c>--fix [orders] [connections] [journal]</c> measures FIX order-entry throughput (<see cref="FixThroughput"/>).
/// <c>--ws-fanout [orders] [subscribers,...]</c> measures WebSocket market data fan-out (<see cref="WsFanout"/>).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--journal-latency")
        {
            JournalLatency.Run(args[1..]);
            return;
        }
        if (args.Length > 0 && args[0] == "--fix")
        {
            FixThroughput.Run(args[1..]);
            return;
        }
        if (args.Length > 0 && args[0] == "--ws-fanout")
        {
            WsFanout.Run(args[1..]);
            return;
        }
        if (args.Length > 0 && args[0] == "--recovery")
        {
            RecoveryBench.Run(args[1..]);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
