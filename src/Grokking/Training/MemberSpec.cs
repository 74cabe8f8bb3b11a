using System.Text.Json.Serialization;

namespace Grokking.Training;

/// <summary>
/// One member of a population: its seed and its own hyperparameters. <c>TrainFraction</c> is NaN unless the population
/// sweeps it (Population:TrainFractions); then it is the member's own share of the data in training. <c>TrainSamples</c>
/// is 0 unless the population sweeps training-set sizes (Population:TrainSamples); then it is the member's own number of
/// training examples (left out of the members file at 0, so files written before it read the same).
/// </summary>
public sealed record MemberSpec(
    int Index,
    long Seed,
    double LearningRate,
    double WeightDecay,
    double InitScale,
    double TrainFraction = double.NaN,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int TrainSamples = 0)
{
    public string Label => $"seed {Seed}, wd {WeightDecay:G3}, alpha {InitScale:G3}, lr {LearningRate:G3}"
        + (double.IsNaN(TrainFraction) ? "" : $", fraction {TrainFraction:G3}")
        + (TrainSamples == 0 ? "" : $", N {TrainSamples}");

    /// <summary>Per member its training-set size (Population:TrainSamples), or null when the population does not sweep it.</summary>
    public static IReadOnlyList<int>? SweptSamples(IReadOnlyList<MemberSpec> members) =>
        members.Any(m => m.TrainSamples > 0) ? [.. members.Select(m => m.TrainSamples)] : null;
}
