using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Landscape;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The linear-mode-connectivity thresholds of the GV claims, as the claim file states them (a group of their
/// parameters records): a train error barrier of at most <c>maxErrorBarrier</c> (Frankle et al. 2020's 2%) and a
/// train cross-entropy barrier of at most <c>lossBarrierShareOfChance</c> times the loss of a uniform guess,
/// ln(classes) — the same 2%, on the loss's scale from perfect (0) to chance. The number of classes is the run's, so
/// the loss threshold in nats is resolved per run (<see cref="For(GrokkingOptions)"/>).
/// </summary>
public sealed record LinearConnectivityLimits(
    [Within(0, 1)] double MaxErrorBarrier,
    [Within(0, 1)] double LossBarrierShareOfChance)
{
    /// <summary>The thresholds for a run of these options (its data decide the classes).</summary>
    public LinearConnectivityThresholds For(GrokkingOptions options) => For(PopulationDataFactory.Shape(options.Data).Outputs);

    /// <summary>The thresholds for a model with <paramref name="classes"/> outputs: chance loss is ln(classes).</summary>
    public LinearConnectivityThresholds For(int classes) => new(MaxErrorBarrier, LossBarrierShareOfChance * Math.Log(classes));
}

/// <summary>
/// <see cref="LinearConnectivityLimits"/> resolved for one run: the train error barrier (a share) and the train loss
/// barrier (nats) within which a segment counts as linearly connected.
/// </summary>
public sealed record LinearConnectivityThresholds(double MaxErrorBarrier, double MaxLossBarrier)
{
    public bool Connected(PathEvaluation segment) =>
        segment.Barrier(PathMetric.TrainError) <= MaxErrorBarrier && segment.Barrier(PathMetric.TrainLoss) <= MaxLossBarrier;

    public static string Describe(PathEvaluation segment) =>
        $"error barrier {segment.Barrier(PathMetric.TrainError):P2}, loss barrier {segment.Barrier(PathMetric.TrainLoss):0.####}";
}
