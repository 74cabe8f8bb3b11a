using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Minibatches for members whose training sets differ in size (Population:TrainSamples), as a data loader with
/// shuffling and without drop_last gives each member alone: member k with n_k rows takes batches of b_k = min(B, n_k)
/// rows, ceil(n_k / b_k) steps an epoch, the last batch of an epoch the remainder, in the order
/// <see cref="MinibatchOrder"/> draws for (seed_k, epoch) over its own n_k rows. One step's rows of every member are
/// one [K, W] index tensor, W = the widest member's batch; a member with fewer rows that step repeats its first row in
/// the rest, with weight 0.
/// </summary>
public sealed class MemberBatchOrder
{
    private readonly IReadOnlyList<long> seeds;
    private readonly IReadOnlyList<int> counts;
    private readonly int batchSize;
    private readonly long[] epochs;
    private readonly long[][] orders;

    public MemberBatchOrder(IReadOnlyList<long> seeds, IReadOnlyList<int> counts, int batchSize)
    {
        if (seeds.Count != counts.Count || counts.Any(n => n < 1) || batchSize < 1)
        {
            throw new ArgumentException("one training-set size (>= 1) per member seed and a batch size >= 1 are needed");
        }

        this.seeds = seeds;
        this.counts = counts;
        this.batchSize = batchSize;
        epochs = [.. Enumerable.Repeat(-1L, counts.Count)];
        orders = new long[counts.Count][];
        Width = counts.Max(n => Math.Min(batchSize, n));
    }

    /// <summary>Columns of a step's index tensor: the widest member's batch.</summary>
    public int Width { get; }

    /// <summary>Member k's batch size and steps per epoch.</summary>
    public (int Batch, long StepsPerEpoch) Shape(int k)
    {
        int b = Math.Min(batchSize, counts[k]);
        return (b, (counts[k] + b - 1) / b);
    }

    /// <summary>
    /// Step <paramref name="step"/>'s rows, [K, Width] indices into each member's own rows, and [K, Width] weights (1 a
    /// real row, 0 a repeat), null when every member fills the width; both on <paramref name="device"/>.
    /// </summary>
    public (Tensor Indices, Tensor? Weights) Batch(long step, Device device)
    {
        int k = counts.Count;
        var idx = new long[k * Width];
        var w = new float[k * Width];
        bool ragged = false;
        for (int m = 0; m < k; m++)
        {
            var (b, perEpoch) = Shape(m);
            long epoch = step / perEpoch;
            if (epochs[m] != epoch)
            {
                orders[m] = Order(seeds[m], counts[m], epoch);
                epochs[m] = epoch;
            }

            int first = (int)(step % perEpoch) * b;
            int real = Math.Min(b, counts[m] - first);
            ragged |= real < Width;
            for (int i = 0; i < Width; i++)
            {
                idx[(m * Width) + i] = orders[m][first + (i < real ? i : 0)];
                w[(m * Width) + i] = i < real ? 1f : 0f;
            }
        }

        var indices = tensor(idx, [k, Width]).to(device);
        return (indices, ragged ? tensor(w, [k, Width]).to(device) : null);
    }

    /// <summary>Member order of one epoch: the same stream as <see cref="MinibatchOrder.ForEpoch"/> over n rows.</summary>
    private static long[] Order(long seed, int n, long epoch)
    {
        using var g = SeedStreams.Generator(seed, SeedStreams.Order, epoch);
        using var perm = randperm(n, generator: g);
        return perm.data<long>().ToArray();
    }
}
