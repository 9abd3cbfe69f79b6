using Hft.Node;
using Hft.Pipeline;

namespace Hft.Cli.Bench;

/// <summary>
/// The trading node of the <c>pipeline</c> scenario: built by the composition root without listeners
/// (<see cref="TradingNode.Create"/>, <c>listen: false</c>) from <see cref="PipelineBenchConfig"/>, journaling into a fresh
/// temporary directory that <see cref="Dispose"/> deletes after the node has stopped. Also resolves the workload's
/// accounts and instruments to the node's ids.
/// </summary>
internal sealed class PipelineBenchNode : IDisposable
{
    private readonly string _dir;
    private readonly TradingNode _node;

    private PipelineBenchNode(string dir, TradingNode node, int[] accountIds, int[] instrumentIds)
    {
        _dir = dir;
        _node = node;
        AccountIds = accountIds;
        InstrumentIds = instrumentIds;
    }

    public TradingPipeline Pipeline => _node.Pipeline;

    /// <summary>Workload account -> the node's account id.</summary>
    public int[] AccountIds { get; }

    /// <summary>Workload instrument -> the node's instrument index.</summary>
    public int[] InstrumentIds { get; }

    public static PipelineBenchNode Start(BenchWorkload w)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"hft-bench-pipeline-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var node = TradingNode.Create(PipelineBenchConfig.Create(dir, w.Instruments, w.Accounts), logging: _ => { }, listen: false);
            var pipeline = node.Pipeline;
            var accounts = new int[w.Accounts];
            for (int a = 0; a < accounts.Length; a++)
                accounts[a] = pipeline.Accounts.TryGet(PipelineBenchConfig.AccountName(a), out int id) ? id : throw new InvalidOperationException($"account {a} not declared");
            var instruments = new int[w.Instruments.Count];
            foreach (var instrument in w.Instruments.All)
                instruments[instrument.Index] = pipeline.Instruments.TryGet(instrument.Symbol, out var own) ? own.Index : throw new InvalidOperationException($"{instrument.Symbol} not configured");
            node.StartAsync().GetAwaiter().GetResult();
            return new PipelineBenchNode(dir, node, accounts, instruments);
        }
        catch
        {
            Directory.Delete(dir, recursive: true);
            throw;
        }
    }

    /// <summary>Stops the node (the pipeline drains, the journal is closed) and deletes its directory.</summary>
    public void Dispose()
    {
        try
        {
            _node.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
