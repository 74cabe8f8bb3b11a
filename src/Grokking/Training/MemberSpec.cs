namespace Grokking.Training;

/// <summary>
/// One member of a population: its seed and its own hyperparameters. <c>TrainFraction</c> is NaN unless the population
/// sweeps it (Population:TrainFractions); then it is the member's own share of the data in training.
/// </summary>
public sealed record MemberSpec(
    int Index, long Seed, double LearningRate, double WeightDecay, double InitScale, double TrainFraction = double.NaN)
{
    public string Label => $"seed {Seed}, wd {WeightDecay:G3}, alpha {InitScale:G3}, lr {LearningRate:G3}"
        + (double.IsNaN(TrainFraction) ? "" : $", fraction {TrainFraction:G3}");
}
