namespace Hft.Cli.Bench;

/// <summary>
/// Seeded pseudo-random source for the order flow (xoshiro256**, seeded by SplitMix64). A plain struct
/// with no dependence on the runtime's <see cref="Random"/> algorithm, so a seed means the same stream
/// on every machine and .NET version.
/// </summary>
internal struct BenchRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public BenchRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform integer in [0, <paramref name="bound"/>), bound &gt; 0 (multiply-shift, negligible bias).</summary>
    public int Next(int bound) => (int)((NextULong() >> 32) * (ulong)(uint)bound >> 32);

    /// <summary>Uniform integer in [<paramref name="min"/>, <paramref name="max"/>] inclusive.</summary>
    public int Between(int min, int max) => min + Next(max - min + 1);

    public bool Coin() => (NextULong() >> 63) != 0;
}
