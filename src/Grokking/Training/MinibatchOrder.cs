using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>Each member's visiting order of the training set: member k's order in epoch e depends only on (seed_k, e).</summary>
internal static class MinibatchOrder
{
    /// <returns>[K, n] indices on the device.</returns>
    public static Tensor ForEpoch(IReadOnlyList<long> seeds, int n, long epoch, Device device)
    {
        var perms = seeds.Select(s => randperm(n, generator: SeedStreams.Generator(s, SeedStreams.Order, epoch))).ToArray();
        try
        {
            return stack(perms).to(device);
        }
        finally
        {
            foreach (var p in perms)
            {
                p.Dispose();
            }
        }
    }
}
