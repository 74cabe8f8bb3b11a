namespace Grokking.Training;

/// <summary>
/// Metrics of one member at one metric step. Losses "with L2" add (wd/2)·||theta||² to the data loss (the
/// objective whose gradient SGD's weight decay follows). Effective learning rate = lr / ||theta||² and effective
/// gradient norm = ||g||·||theta||, both over the scale-invariant parameters when the model has any, else over
/// all (Lobacheva et al.). The learning rate is the nominal one (before warmup). With Train:StochasticGradientNorm,
/// ||g|| is the reference's: the mean over all training minibatches of each minibatch's gradient norm, at the weights
/// after the step, like every other metric; without it (the cheap default) g is the data-loss gradient of the last
/// step's minibatch, paired with the weights it was taken at (before that step). <c>DivergedAtStep</c> is the step
/// whose non-finite loss or gradient froze the member (its weights are those from before that step), or -1. The weight
/// norm leaves out a learned representation (a toy-addition model's: the norm is its decoder's, Omnigrok's w).
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
    long DivergedAtStep = MemberEvents.Never)
{
    /// <summary>
    /// The member's learned representation at this step, row by row (toy addition's E_0 ... E_{p-1}, each Model:Embedding
    /// wide), when the run records it (Train:RecordRepresentation); else null, and out of metrics.jsonl, so the files of
    /// every other run read and write as before.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public float[]? Representation { get; init; }
}
