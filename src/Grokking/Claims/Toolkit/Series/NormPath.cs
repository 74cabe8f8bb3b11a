using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One member's weight-norm path read at OG-4's landmarks (see OG-4's rule, <c>WeightNormPath</c>); NaN where a landmark
/// never came.
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
    double Final)
{
    public static NormPath Of(IReadOnlyList<MetricRow> rows, double initial, double level, double robust)
    {
        var fit = rows.FirstOrDefault(r => r.TrainAccuracy >= level);
        var gen = rows.FirstOrDefault(r => r.ValAccuracy >= level);
        var done = rows.FirstOrDefault(r => r.ValAccuracy >= robust);
        var beforeFit = rows.Where(r => fit is null || r.Step <= fit.Step).ToList();
        var overfitting = fit is null ? [] : rows.Where(r => r.Step >= fit.Step && (gen is null || r.Step <= gen.Step)).ToList();
        var peak = overfitting.MaxBy(r => r.WeightNorm);
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
            rows.Count == 0 ? double.NaN : rows[^1].WeightNorm);
    }

    public SeedFinding Finding(long seed, double minRise, bool diverged)
    {
        string shape = $"w0 {Initial:0.##}; min before the fit {MinBeforeFit / Initial:0.###} w0, "
            + $"at the fit (step {FitStep:0}) {AtFit / Initial:0.###} w0, "
            + $"peak {Peak / Initial:0.###} w0 at step {PeakStep:0}, "
            + $"at generalization (step {GeneralizationStep:0}) {AtGeneralization / Initial:0.###} w0, "
            + $"when generalization completes (step {RobustStep:0}) {AtRobust / Initial:0.###} w0, final {Final / Initial:0.###} w0"
            + (MinBeforeFit < Initial * (1 - minRise) ? " (the norm first falls, then rises on the plateau)" : "");
        if (!double.IsFinite(FitStep) || !double.IsFinite(RobustStep))
        {
            string never = double.IsFinite(FitStep) ? "never completed generalization" : "never fitted the training set";
            return new SeedFinding(seed, Verdict.Inconclusive, $"{never} within the budget{(diverged ? " (diverged)" : "")}: {shape}", diverged);
        }

        bool rises = Peak >= Initial * (1 + minRise);
        bool falls = AtRobust < Initial;
        string verdictText = (rises ? "rises" : $"does not rise by {minRise:P0} during overfitting") + " and "
            + (falls ? "falls below w0" : "does not fall below w0") + " when the model generalizes";
        return new SeedFinding(seed, rises && falls ? Verdict.Confirmed : Verdict.Refuted, $"{verdictText}: {shape}", diverged);
    }
}
