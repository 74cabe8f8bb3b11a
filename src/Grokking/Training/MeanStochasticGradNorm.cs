using Grokking.Runtime;
using Grokking.Data;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// MC's "stochastic gradient norm": the mean, over all minibatches of the training set (in index order), of the
/// norm of each minibatch's data-loss gradient, at fixed weights. A flat (wide) minimum has a small value. Overwrites
/// .grad.
/// </summary>
public static class MeanStochasticGradNorm
{
    /// <returns>[K] on the device.</returns>
    public static Tensor Compute(PopulationModel model, PopulationData data, int batchSize)
    {
        using var scope = NewDisposeScope();
        return Compute(model, data, batchSize, [_ => true])[0].MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same mean, for several parameter selections from one pass (e.g. all parameters and the scale-invariant
    /// ones, which Lobacheva et al.'s effective gradient norm reads).
    /// </summary>
    /// <returns>[S, K] on the device: row s is the mean over minibatches of the gradient norm over selection s.</returns>
    public static Tensor Compute(PopulationModel model, PopulationData data, int batchSize, IReadOnlyList<Func<PopulationParameter, bool>> selections)
    {
        int n = data.TrainCount;
        int batch = batchSize <= 0 ? n : Math.Min(batchSize, n);
        if (data.IsPadded && batch != n)
        {
            throw new ArgumentException("members with training sets of different sizes are measured full batch only", nameof(batchSize));
        }

        Tensor? sum = null;
        int batches = 0;
        for (int start = 0; start < n; start += batch)
        {
            int size = Math.Min(batch, n - start);
            using var scope = NewDisposeScope();
            ZeroGrad(model);
            var y = data.TrainY.narrow(1, start, size);
            var x = data.Represent(data.TrainX.narrow(1, start, size), y);
            var perExample = LossFunctions.PerExample(model.forward(x), y, data.Task);
            (batch == n ? data.TrainMean(perExample) : perExample.mean([1])).sum().backward();
            var norms = stack(selections.Select(s => model.SquaredGradNorm(s).sqrt()).ToArray());
            sum = sum is null ? norms.MoveToOuterDisposeScope() : sum.PlusInPlace(norms);
            batches++;
        }

        ZeroGrad(model);
        return sum!.DivideInPlace(batches);
    }

    private static void ZeroGrad(PopulationModel model)
    {
        using var scope = NewDisposeScope();
        foreach (var p in model.Parameters)
        {
            p.Value.grad?.zero_();
        }
    }
}
