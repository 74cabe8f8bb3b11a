namespace Grokking.Training;

/// <summary>One member of a population: its seed and its own hyperparameters.</summary>
public sealed record MemberSpec(int Index, long Seed, double LearningRate, double WeightDecay, double InitScale)
{
    public string Label => $"seed {Seed}, wd {WeightDecay:G3}, alpha {InitScale:G3}, lr {LearningRate:G3}";
}

/// <summary>
/// Metrics of one member at one metric step. Losses "with L2" add (wd/2)·||theta||² to the data loss (the
/// objective whose gradient SGD's weight decay follows). Effective learning rate = lr / ||theta||² and effective
/// gradient norm = ||g||·||theta||, both over the scale-invariant parameters when the model has any, else over
/// all (Lobacheva et al.); g is the data-loss gradient of the step's minibatch. <c>DivergedAtStep</c> is the step
/// whose non-finite loss or gradient froze the member (its weights are those from before that step), or -1.
/// </summary>
public sealed record MetricRow(
    long Step,
    double Epoch,
    int Member,
    double TrainLoss,
    double TrainLossL2,
    double TrainAccuracy,
    double ValLoss,
    double ValLossL2,
    double ValAccuracy,
    double WeightNorm,
    double EffectiveLearningRate,
    double EffectiveGradNorm,
    double GradNorm,
    double? MeanStochasticGradNorm,
    long DivergedAtStep = MemberEvents.Never);

/// <summary>The first step at which a member crossed a threshold; <see cref="Never"/> when it did not within the budget.</summary>
public sealed record MemberEvents(int Member, long TrainThresholdStep, long ValThresholdStep, long DivergedStep)
{
    public const long Never = -1;

    public bool ReachedTrain => TrainThresholdStep != Never;

    public bool ReachedVal => ValThresholdStep != Never;

    public bool Diverged => DivergedStep != Never;

    public static MemberEvents None(int member) => new(member, Never, Never, Never);
}

public sealed record TrainingProgress(long Step, long TotalSteps, double StepsPerSecond, TimeSpan Eta, double MeanTrainAccuracy, double MeanValAccuracy, int MembersDone);

/// <summary>Everything a finished (or interrupted) run produced, in memory.</summary>
public sealed class TrainingResult
{
    public required IReadOnlyList<MemberSpec> Members { get; init; }

    public required IReadOnlyList<MetricRow> Metrics { get; init; }

    public required IReadOnlyList<MemberEvents> Events { get; init; }

    /// <summary>Per member, the minibatch training loss of every optimizer step (for spectral analyses).</summary>
    public required IReadOnlyList<float[]> StepLosses { get; init; }

    public required long StepsPerEpoch { get; init; }

    public required long StepsCompleted { get; init; }

    public required bool Interrupted { get; init; }

    public double EpochOf(long step) => (double)step / StepsPerEpoch;

    public IEnumerable<MetricRow> MetricsOf(int member) => Metrics.Where(m => m.Member == member);
}
