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

    /// <summary>
    /// Weights-only snapshots every this many steps (at the first metric step at or after each multiple; 0 = none):
    /// the checkpoints landscape claims chain through (MC-4's every 100 epochs).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int WeightsEvery { get; set; }

    /// <summary>
    /// Record, after every step, the output layer's weight norm and the cosine similarity of the weights before and
    /// after the step (PG-3's slingshots, PG-5's lazy regime). Left out of the serialized options when false.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool StepTraces { get; set; }

    /// <summary>
    /// Record the model's learned representation (toy addition's E_i) in every metric row (<c>MetricRow.Representation</c>),
    /// for claims about how the representation evolves. Needs a model with one; out of the serialized options when false.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool RecordRepresentation { get; set; }

    /// <summary>Compute the mean stochastic gradient norm (one extra pass) at metric steps.</summary>
    public bool StochasticGradientNorm { get; set; }

    [Range(0.0, 1.0)]
    public double TrainAccuracyThreshold { get; set; } = 1.0;

    [Range(0.0, 1.0)]
    public double ValAccuracyThreshold { get; set; } = 1.0;

    /// <summary>Steps to keep training after every member reached both events; negative = always use the whole budget.</summary>
    [Range(-1, int.MaxValue)]
    public int StopMarginSteps { get; set; } = -1;

    /// <summary>
    /// Checkpoint when a member reaches an event, and again one metric interval later (the landscape claims start
    /// from those weights; the pair is the "two nearby checkpoints of one run" of GV's sanity check).
    /// </summary>
    public bool CheckpointAtEvents { get; set; } = true;

    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Epochs == 0 && Steps == 0)
        {
            yield return ("Steps", "set Train:Steps or Train:Epochs to a positive budget");
        }

        if (WeightsEvery > 0 && WeightsEvery < MetricsEvery)
        {
            yield return ("WeightsEvery", $"snapshots are taken at metric steps: use 0 or at least Train:MetricsEvery ({MetricsEvery})");
        }
    }
}
