namespace Hft.Pipeline.Shards;

/// <summary>
/// How a pipeline thread with nothing to do waits for work - one named choice (as Agrona's idle strategies), set by
/// <c>[system] idle_strategy</c>: <c>backoff</c> spins briefly, yields, then parks until woken (the default: a parked
/// thread leaves its core to the gateways, which matters on a small machine); <c>busy_spin</c> never parks (lowest
/// wake-up latency, one core per shard: for dedicated, pinned cores).
/// </summary>
public sealed class IdleStrategy
{
    private readonly bool _busySpin;
    private readonly int _spins;
    private readonly int _yields;

    private IdleStrategy(bool busySpin, int spins, int yields)
    {
        _busySpin = busySpin;
        _spins = spins;
        _yields = yields;
    }

    /// <summary>
    /// Spin, then yield, then park: long where cores are plenty, barely on a small machine (there every spinning thread
    /// takes the core a gateway or the load needs, and a run-to-completion shard thread is only a fallback).
    /// </summary>
    public static IdleStrategy Backoff { get; } = Environment.ProcessorCount > 4 ? new(false, 2_000, 10) : new(false, 20, 2);

    public static IdleStrategy BusySpin { get; } = new(true, 0, 0);

    /// <summary>The strategy named in <c>[system] idle_strategy</c>.</summary>
    public static IdleStrategy Named(string name) => name == "busy_spin" ? BusySpin : Backoff;

    public bool Parks => !_busySpin;

    /// <summary>
    /// One idle round: spins or yields and returns false, or returns true when the caller should park now.
    /// <paramref name="rounds"/> counts the rounds since the last work (reset it to 0 on work).
    /// </summary>
    public bool Idle(ref int rounds)
    {
        int n = rounds++;
        if (_busySpin || n < _spins)
        {
            Thread.SpinWait(8);
            return false;
        }
        if (n < _spins + _yields)
        {
            Thread.Yield();
            return false;
        }
        return true;
    }
}
