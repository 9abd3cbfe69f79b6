using Hft.Pipeline.Shards;

namespace Hft.Pipeline.Tests;

/// <summary>
/// [system] cpu_affinity picks CPUs inside the set the process may run on (its cpuset), never "shard s on CPU s mod
/// cores"; and what max_workers becomes (shards, the cores left to the other threads, the start-up warning).
/// </summary>
public sealed class CpuPinningTests
{
    [Fact]
    public void Shards_take_the_allowed_cpus_in_order_and_wrap_around()
    {
        IReadOnlyList<int> allowed = [4, 5, 10, 11]; // e.g. a pod's cpuset "4-5,10-11"
        Assert.Equal([4, 5, 10, 11, 4], Enumerable.Range(0, 5).Select(s => CpuAffinity.Choose(s, allowed)));
        Assert.Equal(-1, CpuAffinity.Choose(0, []));
    }

    [Fact]
    public void A_cpuset_outside_cpu_0_is_honoured()
    {
        // Two allowed CPUs far from 0: the old "s mod cores" mapping would pin shard 0 to CPU 0, outside the cpuset.
        IReadOnlyList<int> allowed = [6, 7];
        Assert.All(Enumerable.Range(0, 8), s => Assert.Contains(CpuAffinity.Choose(s, allowed), allowed));
    }

    [Theory]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("0-1,4,10-11\n", new[] { 0, 1, 4, 10, 11 })]
    [InlineData("7,3,3-4", new[] { 3, 4, 7 })]
    [InlineData("", new int[0])]
    public void Kernel_cpu_lists_parse(string text, int[] expected)
    {
        Assert.True(CpuAffinity.TryParseList(text, out var cpus));
        Assert.Equal(expected, cpus);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("3-1")]
    [InlineData("1-")]
    [InlineData("-2")]
    public void Malformed_cpu_lists_are_refused(string text) => Assert.False(CpuAffinity.TryParseList(text, out _));

    [Fact]
    public void The_allowed_cpus_are_the_process_affinity_and_pinning_stays_inside_them()
    {
        var allowed = CpuAffinity.AllowedCpus();
        Assert.NotEmpty(allowed);
        if (!OperatingSystem.IsLinux()) return;
        var pinning = new CpuPinning();
        string? failure = null;
        pinning.Failed = (_, _, e) => failure = e;
        var cpu = CpuAffinity.Choose(1, allowed);
        var thread = new Thread(() => pinning.PinCurrentThread(1, cpu));
        thread.Start();
        thread.Join();
        Assert.True(failure is null, failure);
        Assert.Equal(1, pinning.PinnedThreads);
        Assert.Equal(0, pinning.Failures);
    }

    [Fact]
    public void A_cpu_the_process_may_not_use_is_a_counted_failure_with_its_reason()
    {
        if (!OperatingSystem.IsLinux()) return;
        var pinning = new CpuPinning();
        string? failure = null;
        pinning.Failed = (shard, cpu, e) => failure = $"{shard}:{cpu}:{e}";
        var thread = new Thread(() => pinning.PinCurrentThread(3, 1023)); // no machine here has CPU 1023 in its set
        thread.Start();
        thread.Join();
        Assert.Equal(1, pinning.Failures);
        Assert.Equal(0, pinning.PinnedThreads);
        Assert.StartsWith("3:1023:sched_setaffinity", failure);
    }

    [Fact]
    public void Max_workers_beyond_the_instruments_leaves_cores_to_the_other_threads_and_warns_once()
    {
        var plan = new WorkerPlan(MaxWorkers: 8, Instruments: 2, AvailableCpus: 16);
        Assert.Equal(2, plan.Shards);
        Assert.Equal(6, plan.OtherCores);
        Assert.Equal(8, plan.ThreadPoolMinimum);
        Assert.Contains("max_workers = 8 but 2 instrument(s): 2 matching shard(s)", plan.Warning);
        Assert.DoesNotContain("\n", plan.Warning!, StringComparison.Ordinal);

        Assert.Null(new WorkerPlan(2, 2, 4).Warning);
        Assert.Contains("exceeds the 2 CPU(s)", new WorkerPlan(4, 8, 2).Warning);
        Assert.Equal(1, new WorkerPlan(4, 0, 2).Shards);
    }
}
