namespace Hft.Pipeline.Durability;

/// <summary>A thread that may block (an operator action, a test) waiting in the outbox for one sequence.</summary>
public sealed class DurableSignal : IDurableWaiter
{
    private readonly ManualResetEventSlim _done = new(false);
    private volatile bool _failed;

    public void OnDurable(bool failed)
    {
        _failed = failed;
        _done.Set();
    }

    /// <summary>Waits for <paramref name="sequence"/> to be durable: true when it is, false on timeout or a failed journal.</summary>
    public static bool Wait(DurableOutbox outbox, long sequence, TimeSpan timeout)
    {
        var signal = new DurableSignal();
        outbox.WhenDurable(sequence, signal);
        return signal._done.Wait(timeout) && !signal._failed;
    }
}
