using Grokking.Runtime;
using Grokking.Data;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>Loss and accuracy per member on a whole split: [K] tensors, kept on the device.</summary>
public readonly record struct SplitMetrics(Tensor Loss, Tensor Accuracy);

/// <summary>Evaluates every member on its full train and validation sets, in chunks to bound memory.</summary>
public static class PopulationEvaluator
{
    /// <summary>Examples per forward pass over all members: bounds activation memory whatever the population size.</summary>
    public const int RowsPerChunk = 32768;

    /// <param name="weights">
    /// [K, N] row weights of padded sets (a fraction sweep: <see cref="PopulationData.TrainWeights"/>), with
    /// <paramref name="sizes"/> [K] their sums; null: every row counts.
    /// </param>
    public static SplitMetrics Evaluate(
        PopulationModel model, Tensor inputs, Tensor labels, PopulationData data, Tensor? weights = null, Tensor? sizes = null)
    {
        using var noGrad = no_grad();
        long n = inputs.shape[1];
        long chunk = Math.Max(32, RowsPerChunk / model.Members);
        Tensor? lossSum = null;
        Tensor? correctSum = null;
        for (long start = 0; start < n; start += chunk)
        {
            long end = Math.Min(n, start + chunk);
            var x = inputs.narrow(1, start, end - start);
            var y = labels.narrow(1, start, end - start);
            var output = model.forward(x);
            var perExample = LossFunctions.PerExample(output, y, data.Task);
            var correct = LossFunctions.Correct(output, y, perExample, data.Task, data.CorrectThreshold);
            if (weights is not null)
            {
                var w = weights.narrow(1, start, end - start);
                perExample = perExample.mul(w);
                correct = correct.mul(w);
            }

            lossSum = lossSum is null ? perExample.sum(1) : lossSum.PlusInPlace(perExample.sum(1));
            correctSum = correctSum is null ? correct.sum(1) : correctSum.PlusInPlace(correct.sum(1));
        }

        return sizes is null
            ? new SplitMetrics(lossSum!.DivideInPlace(n), correctSum!.DivideInPlace(n))
            : new SplitMetrics(lossSum!.div_(sizes), correctSum!.div_(sizes));
    }
}
