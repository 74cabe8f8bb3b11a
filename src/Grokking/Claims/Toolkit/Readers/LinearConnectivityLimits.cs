using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Data;
using Grokking.Landscape;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The linear-mode-connectivity thresholds of the GV claims: a train error barrier of at most
/// <c>maxErrorBarrier</c> (Frankle et al. 2020's 2%) and a train cross-entropy barrier of at most
/// <c>lossBarrierShareOfChance</c> times the loss of a uniform guess, ln(classes) — the same 2%, on the loss's
/// scale from perfect (0) to chance.
/// </summary>
public sealed record LinearConnectivityLimits(double MaxErrorBarrier, double MaxLossBarrier)
{
    public static readonly string[] Tolerances = ["maxErrorBarrier", "lossBarrierShareOfChance"];

    public static LinearConnectivityLimits Of(ClaimContext context)
    {
        int classes = PopulationDataFactory.Shape(context.RunOptions.Data).Outputs;
        return new LinearConnectivityLimits(context.Claim.ToleranceOf("maxErrorBarrier"), context.Claim.ToleranceOf("lossBarrierShareOfChance") * Math.Log(classes));
    }

    public bool Connected(PathEvaluation segment) =>
        segment.Barrier(PathMetric.TrainError) <= MaxErrorBarrier && segment.Barrier(PathMetric.TrainLoss) <= MaxLossBarrier;

    public static string Describe(PathEvaluation segment) =>
        $"error barrier {segment.Barrier(PathMetric.TrainError):P2}, loss barrier {segment.Barrier(PathMetric.TrainLoss):0.####}";
}
