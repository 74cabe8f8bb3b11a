using System.ComponentModel.DataAnnotations;

namespace Grokking.Configuration;

public sealed class TrainOptions : ICrossValidated
{
    /// <summary>Minibatch size; 0 = full batch.</summary>
    [Range(0, 100_000_000)]
    public int BatchSize { get; set; } = 512;

    /// <summary>Budget in epochs (passes over the train set). Either Epochs or Steps is set; Steps wins when both are.</summary>
    [Range(0, int.MaxValue)]
    public int Epochs { get; set; } = 3000;

    [Range(0, int.MaxValue)]
    public int Steps { get; set; }

    /// <summary>Metrics are read every this many optimizer steps (the only device sync of the loop).</summary>
    [Range(1, int.MaxValue)]
    public int MetricsEvery { get; set; } = 8;

    /// <summary>Checkpoint interval in steps; 0 = only at events and at the end.</summary>
    [Range(0, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 2000;

    /// <summary>Compute the mean stochastic gradient norm (one extra pass) at metric steps.</summary>
    public bool StochasticGradientNorm { get; set; }

    [Range(0.0, 1.0)]
    public double TrainAccuracyThreshold { get; set; } = 1.0;

    [Range(0.0, 1.0)]
    public double ValAccuracyThreshold { get; set; } = 1.0;

    /// <summary>Steps to keep training after every member reached both events; negative = always use the whole budget.</summary>
    [Range(-1, int.MaxValue)]
    public int StopMarginSteps { get; set; } = -1;

    /// <summary>Checkpoint when a member reaches an event (the landscape claims start from those weights).</summary>
    public bool CheckpointAtEvents { get; set; } = true;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Epochs == 0 && Steps == 0)
        {
            yield return ("Steps", "set Train:Steps or Train:Epochs to a positive budget");
        }
    }
}

/// <summary>
/// The members of a population: the cartesian product Seeds x WeightDecays x InitScales x LearningRates.
/// An empty list means "the single value from Optimizer / Model".
/// </summary>
public sealed class PopulationOptions : ICrossValidated
{
    public int[] Seeds { get; set; } = [0];

    public double[] WeightDecays { get; set; } = [];

    public double[] InitScales { get; set; } = [];

    public double[] LearningRates { get; set; } = [];

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Seeds.Length == 0)
        {
            yield return ("Seeds", "at least one seed is required");
        }

        if (WeightDecays.Any(w => w < 0 || !double.IsFinite(w)))
        {
            yield return ("WeightDecays", "weight decays must be finite and >= 0");
        }

        if (InitScales.Any(a => a <= 0 || !double.IsFinite(a)))
        {
            yield return ("InitScales", "init scales must be finite and > 0");
        }

        if (LearningRates.Any(a => a < 0 || !double.IsFinite(a)))
        {
            yield return ("LearningRates", "learning rates must be finite and >= 0");
        }
    }
}
