namespace Grokking.Runtime;

/// <summary>
/// Independent, reproducible random streams per member and purpose, derived from the member's seed alone,
/// so a member behaves the same whether it trains alone or inside a population, and a resumed run needs
/// no generator state (the minibatch order of epoch e is a function of (seed, e)).
/// </summary>
public static class SeedStreams
{
    public const ulong Init = 1;
    public const ulong Split = 2;
    public const ulong Order = 3;
    public const ulong Inputs = 4;
    public const ulong Teacher = 5;
    public const ulong PathT = 6;
    public const ulong Templates = 7;
    public const ulong Representation = 8;

    public static long Derive(long seed, ulong purpose, long index = 0)
    {
        // SplitMix64 over the three words: cheap, well mixed, stable across platforms.
        ulong x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ (purpose * 0xBF58476D1CE4E5B9UL) ^ unchecked((ulong)index * 0x94D049BB133111EBUL);
        x ^= x >> 30;
        x = unchecked(x * 0xBF58476D1CE4E5B9UL);
        x ^= x >> 27;
        x = unchecked(x * 0x94D049BB133111EBUL);
        x ^= x >> 31;
        return (long)(x & 0x7FFF_FFFF_FFFF_FFFFUL);
    }

    public static TorchSharp.torch.Generator Generator(long seed, ulong purpose, long index = 0) =>
        new(unchecked((ulong)Derive(seed, purpose, index)));
}
