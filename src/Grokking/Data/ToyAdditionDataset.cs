using Grokking.Configuration;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Data;

/// <summary>
/// Liu et al.'s (2022) toy addition as Omnigrok's notebook mod-addition/landscape/addition-landscape.ipynb builds it: the
/// p (p + 1) / 2 unordered digit pairs (i, j), i &lt;= j &lt; p, in the notebook's order (i outer), the pair's label the
/// template Y_k of k = (i + j) mod p (Data:ToyLabels = summodulo; = sum: k = i + j, the paper's text and Liu et al.'s code),
/// templates one vector of Data:TemplateDimension entries per label drawn from N(0, 1). Inputs are
/// the two digits [K, N, 2] (int64); the model embeds them. Member k draws its templates and a permutation of the pairs from
/// its seed (Data:SplitSeed, when set, for every member) and trains on the permutation's first n_k pairs: n_k is
/// Data:TrainSamples, or its own size in a Population:TrainSamples sweep (one seed's sets are then nested). The rest are its
/// test pairs. Sets of different sizes are padded with weight-0 rows, and a member that trains on every pair (n = 55 at p =
/// 10: Omnigrok's largest size) has only padding as its test set, so its test loss and accuracy are NaN (no test pair).
/// </summary>
public static class ToyAdditionDataset
{
    /// <summary>The pairs (i, j), i &lt;= j, in the notebook's order: [P, 2].</summary>
    public static long[,] Pairs(int modulus)
    {
        var pairs = new long[DataOptions.ToyAdditionPairs(modulus), 2];
        int row = 0;
        for (int i = 0; i < modulus; i++)
        {
            for (int j = i; j < modulus; j++)
            {
                pairs[row, 0] = i;
                pairs[row, 1] = j;
                row++;
            }
        }

        return pairs;
    }

    /// <param name="trainSamples">Per member its training-set size (Population:TrainSamples), or null for Data:TrainSamples.</param>
    public static PopulationData Create(DataOptions options, IReadOnlyList<long> seeds, Device device, IReadOnlyList<int>? trainSamples = null)
    {
        // Everything built here but the returned tensors is disposed with this scope.
        using var scope = NewDisposeScope();
        int p = options.Modulus;
        var pairs = Pairs(p);
        int total = pairs.GetLength(0);
        var sizes = seeds.Select((_, k) => trainSamples?[k] ?? options.TrainSamples).ToArray();
        if (sizes.Any(n => n < 1 || n > total))
        {
            int bad = sizes.First(n => n < 1 || n > total);
            throw OptionsException.InvalidValue("Data:TrainSamples", $"{bad}; toy addition mod {p} has {total} pairs");
        }

        // Padding when sizes differ or a member has no test pair (a split needs at least one column).
        bool padded = sizes.Distinct().Count() > 1 || sizes.Max() == total;
        int maxTrain = sizes.Max();
        int maxTest = Math.Max(1, total - sizes.Min());
        var inputs = tensor(pairs);
        var labelClass = options.ToyLabels == ToyLabels.Sum ? inputs.sum(1) : inputs.sum(1).remainder(p);
        List<Tensor> trainIdx = [], testIdx = [], trainW = [], testW = [], templates = [];
        for (int k = 0; k < seeds.Count; k++)
        {
            long seed = options.SplitSeed >= 0 ? options.SplitSeed : seeds[k];
            using (var g = SeedStreams.Generator(seed, SeedStreams.Templates))
            {
                templates.Add(randn([options.ToyClasses, options.TemplateDimension], generator: g));
            }

            using var split = SeedStreams.Generator(seed, SeedStreams.Split);
            var perm = randperm(total, generator: split);
            Pad(perm[..sizes[k]], maxTrain, trainIdx, trainW, perm);
            Pad(perm[sizes[k]..], maxTest, testIdx, testW, perm);
        }

        var stackedTemplates = stack(templates);
        Tensor Rows(List<Tensor> idx) => stack(idx);
        Tensor Labels(Tensor idx, int k) => templates[k].index_select(0, labelClass.index_select(0, idx));
        Tensor Keep(Tensor t) => t.to(device).MoveToOuterDisposeScope();
        var train = Rows(trainIdx);
        var test = Rows(testIdx);
        return new PopulationData(
            TaskKind.NearestTemplate,
            Keep(inputs.index_select(0, train.reshape(-1)).reshape(seeds.Count, maxTrain, 2)),
            Keep(stack(trainIdx.Select((idx, k) => Labels(idx, k)).ToArray())),
            Keep(inputs.index_select(0, test.reshape(-1)).reshape(seeds.Count, maxTest, 2)),
            Keep(stack(testIdx.Select((idx, k) => Labels(idx, k)).ToArray())),
            options.ToyClasses,
            0,
            padded ? Keep(stack(trainW)) : null,
            padded ? Keep(stack(testW)) : null,
            Keep(stackedTemplates));
    }

    /// <summary>
    /// Adds <paramref name="rows"/> padded to <paramref name="length"/> with copies of the permutation's first pair (a real
    /// pair, so padded rows compute finite values) and their weights (1 real, 0 padding).
    /// </summary>
    private static void Pad(Tensor rows, int length, List<Tensor> idx, List<Tensor> weights, Tensor perm)
    {
        long real = rows.shape[0];
        idx.Add(cat([rows, perm[..1].expand(length - real)]));
        weights.Add(cat([ones(real), zeros(length - real)]));
    }
}
