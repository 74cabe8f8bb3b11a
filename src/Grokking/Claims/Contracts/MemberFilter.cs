using Grokking.Training;

namespace Grokking.Claims.Contracts;

/// <summary>Which members of the experiment's population a claim reads (null = any).</summary>
public sealed record MemberFilter(double? WeightDecay = null, double? InitScale = null, double? LearningRate = null, double? TrainFraction = null)
{
    public bool Matches(MemberSpec m) =>
        (WeightDecay is null || Math.Abs(m.WeightDecay - WeightDecay.Value) < 1e-12)
        && (InitScale is null || Math.Abs(m.InitScale - InitScale.Value) < 1e-12)
        && (LearningRate is null || Math.Abs(m.LearningRate - LearningRate.Value) < 1e-12)
        && (TrainFraction is null || Math.Abs(m.TrainFraction - TrainFraction.Value) < 1e-12);
}
