using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One member's weight-norm path read at OG-4's landmarks (see OG-4's rule, <c>WeightNormPath</c>); NaN where a landmark
/// never came. The generalization phase runs from the first step with test accuracy at the level (where overfitting
/// ends) to the end of the run; <see cref="PhaseMinimum"/> is the least norm in it and <see cref="BelowFromStep"/> the
/// first step from which the norm stays below w₀ to the end (NaN when it ends at or above w₀).
/// </summary>
public sealed record NormPath(
    double Initial,
    double FitStep,
    double GeneralizationStep,
    double RobustStep,
    double MinBeforeFit,
    double AtFit,
    double Peak,
    double PeakStep,
    double AtGeneralization,
    double AtRobust,
    double Final,
    double PhaseMinimum,
    double BelowFromStep)
{
    public static NormPath Of(IReadOnlyList<MetricRow> rows, double initial, double level, double robust)
    {
        var fit = rows.FirstOrDefault(r => r.TrainAccuracy >= level);
        var gen = rows.FirstOrDefault(r => r.ValAccuracy >= level);
        var done = rows.FirstOrDefault(r => r.ValAccuracy >= robust);
        var beforeFit = rows.Where(r => fit is null || r.Step <= fit.Step).ToList();
        var overfitting = fit is null ? [] : rows.Where(r => r.Step >= fit.Step && (gen is null || r.Step <= gen.Step)).ToList();
        // The overfitting period always holds the fit row, even when test accuracy reached the level first.
        var peak = overfitting.Count > 0 ? overfitting.MaxBy(r => r.WeightNorm) : fit;
        var phase = gen is null ? [] : rows.Where(r => r.Step >= gen.Step).ToList();
        int lastAbove = Array.FindLastIndex(rows.ToArray(), r => r.WeightNorm >= initial);
        return new NormPath(
            initial,
            fit?.Step ?? double.NaN,
            gen?.Step ?? double.NaN,
            done?.Step ?? double.NaN,
            beforeFit.Count == 0 ? double.NaN : beforeFit.Min(r => r.WeightNorm),
            fit?.WeightNorm ?? double.NaN,
            peak?.WeightNorm ?? double.NaN,
            peak?.Step ?? double.NaN,
            gen?.WeightNorm ?? double.NaN,
            done?.WeightNorm ?? double.NaN,
            rows.Count == 0 ? double.NaN : rows[^1].WeightNorm,
            phase.Count == 0 ? double.NaN : phase.Min(r => r.WeightNorm),
            lastAbove == rows.Count - 1 || rows.Count == 0 ? double.NaN : rows[lastAbove + 1].Step);
    }

    /// <summary>The path in words, over w0.</summary>
    public string Describe(double minRise) =>
        $"w0 {Initial:0.##}; min before the fit {MinBeforeFit / Initial:0.###} w0, "
        + $"at the fit (step {FitStep:0}) {AtFit / Initial:0.###} w0, "
        + $"peak {Peak / Initial:0.###} w0 at step {PeakStep:0}, "
        + $"at generalization (step {GeneralizationStep:0}) {AtGeneralization / Initial:0.###} w0, "
        + $"when generalization completes (step {RobustStep:0}) {AtRobust / Initial:0.###} w0, "
        + $"least in the generalization phase {PhaseMinimum / Initial:0.###} w0, below w0 for good from step {BelowFromStep:0}, "
        + $"final {Final / Initial:0.###} w0"
        + (MinBeforeFit < Initial * (1 - minRise) ? " (the norm first falls, then rises on the plateau)" : "");
}
