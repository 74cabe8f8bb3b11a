namespace Grokking.Training;

/// <summary>One member of a population: its seed and its own hyperparameters.</summary>
public sealed record MemberSpec(int Index, long Seed, double LearningRate, double WeightDecay, double InitScale)
{
    public string Label => $"seed {Seed}, wd {WeightDecay:G3}, alpha {InitScale:G3}, lr {LearningRate:G3}";
}
