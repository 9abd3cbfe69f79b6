namespace Hft.Cli.Tests;

/// <summary>
/// Tests whose figures another test's work would disturb (the bench's allocation count: a garbage collection started by
/// another test's allocations moves this thread's allocation counter) run in this collection: xunit runs it on its own,
/// after the parallel collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}
