namespace Hft.Gateways.Tests.Support;

/// <summary>
/// Tests that measure the whole process (allocated bytes) run in this collection: xunit runs it on its own, after the
/// parallel collections, so no other test's allocations are counted.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "runs alone";
}
