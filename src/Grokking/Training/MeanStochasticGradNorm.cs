using Grokking.Data;
using Grokking.Models;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// MC's "stochastic gradient norm": the mean, over all minibatches of the training set (in index order), of the
/// norm of each minibatch's data-loss gradient. A flat (wide) minimum has a small value. Overwrites .grad.
/// </summary>
public static class MeanStochasticGradNorm
{
    /// <returns>[K] on the device.</returns>
    public static Tensor Compute(PopulationModel model, PopulationData data, int batchSize)
    {
        int n = data.TrainCount;
        int batch = batchSize <= 0 ? n : Math.Min(batchSize, n);
        Tensor? sum = null;
        int batches = 0;
        for (int start = 0; start < n; start += batch)
        {
            int size = Math.Min(batch, n - start);
            using var scope = NewDisposeScope();
            foreach (var p in model.Parameters)
            {
                p.Value.grad?.zero_();
            }

            var x = data.TrainX.narrow(1, start, size);
            var y = data.TrainY.narrow(1, start, size);
            LossFunctions.PerExample(model.forward(x), y, data.Task).mean([1]).sum().backward();
            var norm = model.SquaredGradNorm().sqrt();
            sum = sum is null ? norm.MoveToOuterDisposeScope() : sum.add_(norm);
            batches++;
        }

        using (NewDisposeScope())
        {
            foreach (var p in model.Parameters)
            {
                p.Value.grad?.zero_();
            }
        }

        return sum!.div_(batches);
    }
}
