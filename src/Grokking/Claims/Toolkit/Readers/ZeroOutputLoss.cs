using Grokking.Claims.Analyses;
using Grokking.Data;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The train and test loss of the zero network on one seed's data: every weight 0, so the output is 0 for every input
/// whatever its representation. It is the weight-norm landscape's alpha = 0 column (Omnigrok's MNIST messiness notebook
/// trains it: its grid starts at alpha = 0, and holding the norm at 0 keeps the network at zero) and the top of that
/// notebook's colour scale (vmax = 1, the summed MSE of a zero output on one-hot targets). Computed from the run's own
/// data, so any task reads the same way: the one-hot MSE of images gives 1 / 10 on every split.
/// </summary>
public sealed record ZeroOutputLoss(double Train, double Test)
{
    /// <summary>The zero network's losses on the data of <paramref name="member"/>'s seed in <paramref name="arm"/>'s run.</summary>
    public static ZeroOutputLoss Of(ClaimContext arm, MemberSpec member)
    {
        var options = arm.RunOptions;
        IReadOnlyList<double>? messiness = PopulationDataFactory.InterpolatesRepresentations(options.Data.Kind) ? [member.Messiness ?? 1] : null;
        IReadOnlyList<int>? size = member.TrainSamples > 0 ? [member.TrainSamples] : null;
        using var scope = NewDisposeScope();
        using var data = PopulationDataFactory.Create(
            options.Data, [member.Seed], arm.Device ?? CPU, options.Model.DType, [member.TrainFraction], size, messiness);
        double Mean(Tensor labels, Tensor? weights, long rows)
        {
            // Class labels ([1, rows]) score one logit per class; vector targets (regression, toy addition's templates) one per component.
            long width = labels.dim() == 3 ? labels.shape[2] : data.Classes;
            var output = zeros([1, rows, width], dtype: options.Model.DType, device: labels.device);
            var perExample = LossFunctions.PerExample(output, labels, data.Task);
            var mean = weights is null ? perExample.mean() : perExample.mul(weights).sum().div(weights.sum());
            return mean.to_type(ScalarType.Float64).cpu().item<double>();
        }

        return new ZeroOutputLoss(Mean(data.TrainY, data.TrainWeights, data.TrainCount), Mean(data.ValY, data.ValWeights, data.ValCount));
    }
}
