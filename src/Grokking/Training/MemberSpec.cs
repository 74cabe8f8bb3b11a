using System.Text.Json.Serialization;

namespace Grokking.Training;

/// <summary>
/// One member of a population: its seed and its own hyperparameters. <c>TrainFraction</c> is NaN unless the population
/// sweeps it (Population:TrainFractions); then it is the member's own share of the data in training. <c>TrainSamples</c>
/// is 0 unless the population sweeps training-set sizes (Population:TrainSamples); then it is the member's own number of
/// training examples (left out of the members file at 0, so files written before it read the same). <c>Messiness</c> is
/// null unless the population sweeps representation messiness (Population:Messiness); then it is the member's own m
/// (left out of the members file when null).
/// </summary>
public sealed record MemberSpec(
    int Index,
    long Seed,
    double LearningRate,
    double WeightDecay,
    double InitScale,
    double TrainFraction = double.NaN,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int TrainSamples = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Messiness = null)
{
    public string Label => $"seed {Seed}, wd {WeightDecay:G3}, alpha {InitScale:G3}, lr {LearningRate:G3}"
        + (double.IsNaN(TrainFraction) ? "" : $", fraction {TrainFraction:G3}")
        + (TrainSamples == 0 ? "" : $", N {TrainSamples}")
        + (Messiness is { } m ? $", m {m:G3}" : "");

    /// <summary>Per member its training-set size (Population:TrainSamples), or null when the population does not sweep it.</summary>
    public static IReadOnlyList<int>? SweptSamples(IReadOnlyList<MemberSpec> members) =>
        members.Any(m => m.TrainSamples > 0) ? [.. members.Select(m => m.TrainSamples)] : null;

    /// <summary>Per member its messiness (Population:Messiness), or null when the population does not sweep it.</summary>
    public static IReadOnlyList<double>? SweptMessiness(IReadOnlyList<MemberSpec> members) =>
        members.Any(m => m.Messiness is not null) ? [.. members.Select(m => m.Messiness ?? double.NaN)] : null;
}
