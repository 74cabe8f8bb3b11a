using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>Each member's visiting order of the training set: member k's order in epoch e depends only on (seed_k, e).</summary>
public static class MinibatchOrder
{
    /// <returns>[K, n] indices on the device.</returns>
    public static Tensor ForEpoch(IReadOnlyList<long> seeds, int n, long epoch, Device device)
    {
        using var scope = NewDisposeScope();
        var perms = new List<Tensor>(seeds.Count);
        foreach (long seed in seeds)
        {
            using var g = SeedStreams.Generator(seed, SeedStreams.Order, epoch);
            perms.Add(randperm(n, generator: g));
        }

        return stack(perms).to(device).MoveToOuterDisposeScope();
    }
}
