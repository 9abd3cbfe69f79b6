using System.Diagnostics;

namespace Hft.Replication.Tests;

/// <summary>Bounded waits for state that other threads change.</summary>
internal static class Until
{
    /// <summary>Polls <paramref name="condition"/> until true; throws after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Fails if <paramref name="condition"/> becomes true within <paramref name="window"/>. A slow machine can only
    /// hide a failure here, never invent one.
    /// </summary>
    public static async Task NeverAsync(Func<bool> condition, TimeSpan window, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < window)
        {
            Assert.False(condition(), what);
            await Task.Delay(25);
        }
    }
}
