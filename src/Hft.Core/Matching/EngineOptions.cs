namespace Hft.Core.Matching;

/// <summary>Sizes of the engine's pre-allocated storage. Sized right, nothing grows in steady state.</summary>
public sealed record EngineOptions
{
    /// <summary>Resting order slots across all books of the engine.</summary>
    public int OrderCapacity { get; init; } = 1 << 16;

    /// <summary>Order ids remembered (live and finished) before the id index doubles.</summary>
    public int OrderIdCapacity { get; init; } = 1 << 18;

    /// <summary>Price levels per book side before its arrays double.</summary>
    public int LevelCapacity { get; init; } = 1024;

    /// <summary>Events of one command before the event buffer doubles.</summary>
    public int EventCapacity { get; init; } = 1024;

    /// <summary>Account ids (dense, from 0) the per-account order lists hold before they double.</summary>
    public int AccountCapacity { get; init; } = 64;

    /// <summary>Pending stops per instrument and direction, stops fired in one command, and good-till-date entries, before their arrays double.</summary>
    public int StopCapacity { get; init; } = 1024;
}
