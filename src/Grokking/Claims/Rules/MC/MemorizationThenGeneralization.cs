using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-1: train accuracy reaches 100% (point 1) while validation accuracy is still near chance, and validation
/// accuracy reaches its end level (point 2) much later. Point 2 as the paper defines it (the first epoch with
/// exactly 100% validation accuracy) hangs on one or two pairs out of thousands, so the decision reads the robust
/// point 2 — the first epoch with validation accuracy at least <c>robustValAccuracy</c> — and the report shows
/// both. Per seed: point 1 and the robust point 2 must occur within the budget (else undecided), validation
/// accuracy at point 1 must not exceed <c>maxValAccuracyAtPoint1</c>, and robust point 2 / point 1 must be at
/// least <c>minDelayRatio</c>. Evidence from before a divergence counts: a seed that had already refuted the
/// claim refutes it.
/// </summary>
public sealed class MemorizationThenGeneralization : ClaimAnalysis<MemorizationThenGeneralization.Limits>
{
    public override string Name => "memorization-then-generalization";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// MC-1's rule parameters (the robust point 2 from the block robust-point-2: MC-1 reads metrics, not snapshots)
    /// and the paper's points, reported beside the measured ones.
    /// </summary>
    public sealed record Limits(
        [Within(0, 1)][ParameterName("maxValAccuracyAtPoint1")] double MaxValAtPoint1,
        [Within(1, 100)][ParameterName("minDelayRatio")] double MinRatio,
        [Within(0.5, 1)][ParameterName("robustValAccuracy")] double RobustVal,
        [FromPaper("point 1")] double PaperPoint1,
        [FromPaper("point 2")] double PaperPoint2);

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var result = context.Result;
        double budget = result.EpochOf(result.StepsCompleted);
        var members = context.Members;
        var pointsOf = members.ToDictionary(m => m.Index, m => GrokkingPoints.Of(result, m.Index, limits.RobustVal));
        var points = members.Select(m => pointsOf[m.Index]).ToList();
        var findings = members.Select(m => Judge(m.Seed, pointsOf[m.Index], limits, budget)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        string title = $"{context.Claim.Id}: train / validation accuracy per seed (dots: point 1, robust point 2)";
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", title, members, pointsOf, limits.RobustVal);
        return new AnalysisResult(verdict, reason, Measure(points, limits), [figure]);
    }

    /// <summary>The points of every member (in member order) beside the paper's.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<GrokkingPoints> points, Limits limits)
    {
        var point1 = points.Select(p => p.Point1).ToList();
        var point2 = points.Select(p => p.Point2).ToList();
        var robust2 = points.Select(p => p.RobustPoint2).ToList();
        var ratios = points.Select(p => p.RobustPoint2 / p.Point1).ToList();
        var valAtPoint1 = points.Select(p => p.ValAtPoint1).ToList();
        var (paper1, paper2) = (limits.PaperPoint1, limits.PaperPoint2);
        return
        [
            new("point 1 (first epoch with 100% train accuracy), median", MemberSeries.Median(point1), "epoch", paper1,
                PerSeed: point1, Key: "point1"),
            new($"point 2, robust (first epoch with validation accuracy >= {limits.RobustVal:P0}), median over the seeds that reach it",
                MemberSeries.Median(robust2), "epoch", paper2, $"decides; >= {limits.MinRatio} x point 1", robust2, Key: "point2Robust"),
            new("point 2 as the paper defines it (first epoch with 100% validation accuracy), median over the seeds that reach it",
                MemberSeries.Median(point2), "epoch", paper2, "reported, not decisive", point2, Key: "point2Exact"),
            new("delay robust point 2 / point 1, min over seeds", MemberSeries.Min(ratios), "x", paper2 / paper1,
                $">= {limits.MinRatio}", ratios, Key: "delayRatio"),
            new("validation accuracy at point 1, max over seeds", MemberSeries.Max(valAtPoint1), "", null,
                $"<= {limits.MaxValAtPoint1}", valAtPoint1, Key: "valAtPoint1"),
        ];
    }

    /// <summary>One seed: memorized near chance (point 1), then reached the robust point 2 at least MinRatio x later.</summary>
    private static SeedFinding Judge(long seed, GrokkingPoints p, Limits limits, double budgetEpochs)
    {
        bool diverged = p.DivergedEpoch is not null;
        string after = diverged ? $"; diverged at epoch {p.DivergedEpoch:0}" : "";
        if (!double.IsFinite(p.Point1))
        {
            return new(seed, Verdict.Inconclusive, diverged
                ? $"diverged at epoch {p.DivergedEpoch:0} before 100% train accuracy"
                : $"never reached 100% train accuracy within {budgetEpochs:0} epochs", diverged);
        }

        if (p.ValAtPoint1 > limits.MaxValAtPoint1)
        {
            return new(seed, Verdict.Refuted,
                $"validation accuracy {p.ValAtPoint1:P1} at point 1 (epoch {p.Point1:0}) is not near chance (> {limits.MaxValAtPoint1:P0}){after}",
                diverged);
        }

        if (!double.IsFinite(p.RobustPoint2))
        {
            return new(seed, Verdict.Inconclusive, diverged
                ? $"memorized at epoch {p.Point1:0}, diverged at epoch {p.DivergedEpoch:0} before {limits.RobustVal:P0} validation accuracy"
                : $"memorized at epoch {p.Point1:0} but the budget of {budgetEpochs:0} epochs ended before "
                  + $"{limits.RobustVal:P0} validation accuracy",
                diverged);
        }

        double ratio = p.RobustPoint2 / p.Point1;
        if (ratio < limits.MinRatio)
        {
            return new(seed, Verdict.Refuted,
                $"robust point 2 at epoch {p.RobustPoint2:0} is only {ratio:0.0}x point 1 (epoch {p.Point1:0}); "
                + $"required >= {limits.MinRatio}x{after}",
                diverged);
        }

        string exact = double.IsFinite(p.Point2) ? $"100% at epoch {p.Point2:0}" : "100% never reached";
        return diverged
            ? new(seed, Verdict.Inconclusive,
                $"point 1 epoch {p.Point1:0}, robust point 2 epoch {p.RobustPoint2:0} ({ratio:0.0}x){after}; not counted as completed", true)
            : new(seed, Verdict.Confirmed,
                $"point 1 epoch {p.Point1:0} (val {p.ValAtPoint1:P1}), robust point 2 epoch {p.RobustPoint2:0} ({ratio:0.0}x; {exact})");
    }
}
