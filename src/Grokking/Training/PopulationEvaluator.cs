using Grokking.Runtime;
using Grokking.Data;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>Loss and accuracy per member on a whole split: [K] tensors, kept on the device.</summary>
public readonly record struct SplitMetrics(Tensor Loss, Tensor Accuracy);

/// <summary>
/// Evaluates every member on its full train and validation sets. Two sizes, kept apart so that speed never moves a
/// result: the rows of one forward pass (measured per model shape and device by <see cref="EvaluationRowsCalibration"/>)
/// and the blocks the sums run over (<see cref="SumRows"/>, fixed by the member count alone, as before layouts were
/// measured), so a split's loss and accuracy are the same bits whatever rows a forward pass takes.
/// </summary>
public static class PopulationEvaluator
{
    /// <summary>Examples per sum block over all members (and, before measured layouts, per forward pass).</summary>
    public const int RowsPerChunk = 32768;

    /// <summary>Rows of one sum block for a population of <paramref name="members"/>: the engine's chunk before layouts.</summary>
    public static long SumRows(int members) => Math.Max(32, RowsPerChunk / members);

    /// <param name="weights">
    /// [K, N] row weights of padded sets (a fraction sweep: <see cref="PopulationData.TrainWeights"/>), with
    /// <paramref name="sizes"/> [K] their sums; null: every row counts.
    /// </param>
    /// <remarks>
    /// Only a transformer's passes are measured. An MLP's forward pass rounds differently with its row count (a cold ci
    /// run with measured passes moved og-images' validation loss in its last bit in 48 of 600 metric rows), so an MLP
    /// evaluates each sum block in one pass, as before layouts were measured.
    /// </remarks>
    public static SplitMetrics Evaluate(
        PopulationModel model, Tensor inputs, Tensor labels, PopulationData data, Tensor? weights = null, Tensor? sizes = null) =>
        Evaluate(model, inputs, labels, data, weights, sizes, SumRows(model.Members), model is PopulationTransformer ? 0 : SumRows(model.Members));

    /// <param name="sumRows">Rows per sum block: the numerics (a path's points keep those of its default chunk).</param>
    /// <param name="rowsPerPass">Rows per forward pass, 0 = measured: speed only, never the result.</param>
    public static SplitMetrics Evaluate(
        PopulationModel model, Tensor inputs, Tensor labels, PopulationData data, Tensor? weights, Tensor? sizes, long sumRows, long rowsPerPass)
    {
        using var noGrad = no_grad();
        long n = inputs.shape[1];
        long rows = rowsPerPass > 0 ? rowsPerPass : EvaluationRowsCalibration.RowsPerPass(model, inputs, labels, data);
        Tensor? lossSum = null;
        Tensor? correctSum = null;
        for (long start = 0; start < n; start += sumRows)
        {
            long end = Math.Min(n, start + sumRows);
            var (perExample, correct) = PerExample(model, inputs, labels, data, start, end - start, rows);
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

    /// <summary>
    /// Per-example loss and correctness [K, count] of one sum block, in forward passes of at least
    /// <paramref name="rows"/> rows (a short tail joins the pass before it: BLAS rounds a very short matrix its own way).
    /// </summary>
    private static (Tensor Loss, Tensor Correct) PerExample(
        PopulationModel model, Tensor inputs, Tensor labels, PopulationData data, long start, long count, long rows)
    {
        long passes = Math.Max(1, count / rows);
        var losses = new List<Tensor>();
        var corrects = new List<Tensor>();
        for (long i = 0; i < passes; i++)
        {
            long from = start + (i * rows);
            long size = i == passes - 1 ? start + count - from : rows;
            using var scope = NewDisposeScope(); // a pass's activations go before the next pass: they stay in the cache
            var y = labels.narrow(1, from, size);
            var output = model.forward(data.Represent(inputs.narrow(1, from, size), y));
            var perExample = LossFunctions.PerExample(output, y, data.Task);
            corrects.Add(LossFunctions.Correct(output, y, perExample, data.Task, data.CorrectThreshold, data.Templates).MoveToOuterDisposeScope());
            losses.Add(perExample.MoveToOuterDisposeScope());
        }

        return passes == 1 ? (losses[0], corrects[0]) : (cat(losses, 1), cat(corrects, 1));
    }
}
