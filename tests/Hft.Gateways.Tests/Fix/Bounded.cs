using System.Diagnostics;

namespace Hft.Gateways.Tests.Fix;

/// <summary>Waiting on a condition with a generous bound instead of a fixed delay (the test machine is busy).</summary>
internal static class Bounded
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test naming <paramref name="what"/> after <paramref name="bound"/>.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? Generous;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < limit, $"{what}: not within {limit.TotalSeconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>As <see cref="UntilAsync(Func{bool}, string, TimeSpan?)"/> for an asynchronous condition.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? bound = null)
    {
        var limit = bound ?? Generous;
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < limit, $"{what}: not within {limit.TotalSeconds} s");
            await Task.Delay(50);
        }
    }
}
