using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Runtime;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// Claim PG-6's measurement: the extreme eigenvalues of each member's train-loss Hessian at given weights, every
/// member one population (one Lanczos run for all of them; <see cref="LanczosExtremes"/>). Members may train at
/// different fractions of the data: each reads its own training rows (padded sets weigh the padding 0), as in training.
/// <para>
/// The loss is the data loss alone, the mean cross-entropy over the member's training rows, without the weight-decay
/// term: the paper's code (hess_vec_prod.py) differentiates the train loader's loss, and AdamW's decoupled decay is
/// not part of any loss. The model is built in the run's precision (Model:Precision), as it trained.
/// </para>
/// <para>
/// Each Hessian-vector product is a sum over chunks of the training rows (the loss is a sum over rows, so its Hessian
/// is too), each chunk's gradient graph built, used once and freed. That recomputes the forward and backward passes at
/// every Lanczos step instead of keeping one graph of the whole set (<see cref="HessianVectorProduct"/>'s reuse), and
/// on a CPU it is still the faster way: measured on PG's 2-layer d_model 32 transformer, 3 members × 7,527 rows, 6
/// steps took 34 s with one graph and 12 s in chunks of 1,024 rows per member (the big graph's tensors leave the
/// caches), with the same extremes. Memory is one chunk's graph, whatever the training set.
/// </para>
/// </summary>
public static class TrainLossHessian
{
    /// <summary>Rows of all members together per chunk by default (4,096: about 1,400 per member for 3 members).</summary>
    public const int RowsPerChunk = 4096;

    /// <param name="members">Per member: its seed (its data split and the Lanczos start vector) and train fraction (NaN: Data:TrainFraction).</param>
    /// <param name="state">The weights, name -> [K, ...], member k at row k.</param>
    /// <param name="rowsPerChunk">Rows of all members together per chunk of the products.</param>
    /// <returns>Per member: the train loss the Hessian is taken of, and the extremes of its Hessian.</returns>
    public static IReadOnlyList<(double TrainLoss, HessianExtremes Extremes)> Measure(
        ModelOptions model,
        DataOptions data,
        IReadOnlyList<(long Seed, double Fraction)> members,
        IReadOnlyDictionary<string, Tensor> state,
        Device device,
        int iterations,
        int rowsPerChunk = RowsPerChunk)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(state);
        int k = members.Count;
        var seeds = members.Select(m => m.Seed).ToArray();
        using var population = PopulationModelFactory.Create(k, model, data, device);
        using var set = PopulationDataFactory.Create(data, seeds, device, population.DType, [.. members.Select(m => m.Fraction)]);
        population.Load(state);
        long rows = set.TrainCount;
        long chunk = Math.Max(1, rowsPerChunk / k);

        Tensor Apply(Tensor directions)
        {
            using var scope = NewDisposeScope();
            Tensor? total = null;
            for (long start = 0; start < rows; start += chunk)
            {
                long length = Math.Min(chunk, rows - start);
                using var hessian = new HessianVectorProduct(population, () => ShareOfLoss(population, set, start, length));
                var product = hessian.Apply(directions);
                total = total is null ? product : total.PlusInPlace(product);
            }

            return total!.MoveToOuterDisposeScope();
        }

        long dimension = population.Parameters.Sum(p => p.Value.numel() / k);
        var extremes = LanczosExtremes.Compute(Apply, k, dimension, population.DType, device, seeds, iterations);
        using var lossScope = NewDisposeScope();
        var losses = PopulationEvaluator.Evaluate(population, set.TrainX, set.TrainY, set, set.TrainWeights, set.TrainSizes).Loss
            .to(ScalarType.Float64).cpu().data<double>().ToArray();
        return [.. extremes.Select((e, m) => (losses[m], e))];
    }

    /// <summary>
    /// Each member's share [K] of its train loss from the rows [start, start + length): their (weighted) losses summed
    /// over its number of rows, so that the shares of all chunks add up to the mean over its rows.
    /// </summary>
    private static Tensor ShareOfLoss(PopulationModel model, PopulationData set, long start, long length)
    {
        var y = set.TrainY.narrow(1, start, length);
        var perExample = LossFunctions.PerExample(model.forward(set.Represent(set.TrainX.narrow(1, start, length), y)), y, set.Task);
        return set.TrainWeights is null
            ? perExample.sum(1).div(set.TrainCount)
            : perExample.mul(set.TrainWeights.narrow(1, start, length)).sum(1).div(set.TrainSizes!);
    }
}
