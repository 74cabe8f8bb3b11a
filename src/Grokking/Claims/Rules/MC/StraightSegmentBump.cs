using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-3: on the straight segment from point 1 (t = 0) to the robust point 2 (t = 1), train error shows a bump
/// (its barrier reaches <c>minBumpHeight</c>) peaking within <c>peakTolerance</c> of the paper's t, validation
/// error falls monotonically (never climbs more than <c>maxValErrorRise</c> above its running minimum), and the
/// stochastic gradient norm falls to ~0 (end / start at most <c>maxGradNormRatio</c>). Per seed; every part must hold.
/// </summary>
public sealed class StraightSegmentBump : ClaimAnalysis<StraightSegmentBump.Limits>
{
    public override string Name => "straight-segment-bump";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>MC-3's rule parameters and the paper's numbers it reports beside its measurements.</summary>
    public sealed record Limits(
        RobustPoint2Snapshot Point2,
        [Within(0, 1)][ParameterName("minBumpHeight")] double MinBump,
        [Within(0, 1)] double PeakTolerance,
        [Within(0, 1)][ParameterName("maxValErrorRise")] double MaxValRise,
        [Within(0, 1)][ParameterName("maxGradNormRatio")] double MaxGradRatio,
        [FromPaper("train-error peak t")] double PaperPeakT,
        [FromPaper("gradient norm at point 1")] double PaperGradNorm);

    public override AnalysisResult Analyze(ClaimContext context, Limits limits)
    {
        var land = new GrokkingLandscape(context, limits.Point2);
        var segments = land.SegmentsFromPoint1ToPoint2();
        var findings = land.FindingsOn(segments, (m, e) => Judge(m.Spec.Seed, e, limits));
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var paths = segments.Values.ToList();
        string title = $"{context.Claim.Id}: straight segment point 1 (t = 0) -> point 2 (t = 1)";
        var figure = context.Plot("segment", title, (dir, name) => PathFigure.Write(dir, name, title, paths));
        return new AnalysisResult(verdict, reason, Measure(paths, limits), [figure]);
    }

    /// <summary>The bump, the validation-error rise and the gradient norms at both ends, over the seeds' segments.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> paths, Limits limits)
    {
        var peakT = paths.Select(p => Barriers.At(p.T, p.Values(PathMetric.TrainError))).ToList();
        var height = paths.Select(p => p.Barrier(PathMetric.TrainError)).ToList();
        var valRise = paths.Select(p => CurveShape.MaxRise(p.Values(PathMetric.ValError))).ToList();
        var g1 = paths.Select(p => p.Points[0].GradNorm).ToList();
        var g2 = paths.Select(p => p.Points[^1].GradNorm).ToList();
        return
        [
            new("t of the train-error peak (t = 0: point 1), median", MemberSeries.Median(peakT), "", limits.PaperPeakT,
                $"within +-{limits.PeakTolerance}", peakT, Key: "peakT"),
            new("train-error bump height (barrier), min over seeds", MemberSeries.Min(height), "", null,
                $">= {limits.MinBump}", height, Key: "bumpHeight"),
            new("validation error: largest rise above its running minimum, max over seeds", MemberSeries.Max(valRise), "", null,
                $"<= {limits.MaxValRise}", valRise, Key: "valErrorRise"),
            new("stochastic gradient norm at point 1, median", MemberSeries.Median(g1), "", limits.PaperGradNorm,
                "reported", g1, Key: "gradNormPoint1"),
            new("stochastic gradient norm at point 2, median", MemberSeries.Median(g2), "", 0,
                $"<= {limits.MaxGradRatio} x point 1", g2, Key: "gradNormPoint2"),
        ];
    }

    public static SeedFinding Judge(long seed, PathEvaluation e, Limits l)
    {
        var trainError = e.Values(PathMetric.TrainError);
        double bump = e.Barrier(PathMetric.TrainError);
        double peak = Barriers.At(e.T, trainError);
        double rise = CurveShape.MaxRise(e.Values(PathMetric.ValError));
        double g1 = e.Points[0].GradNorm;
        double g2 = e.Points[^1].GradNorm;
        string numbers = $"train-error bump {bump:P1} at t = {peak:0.00}, validation-error rise {rise:P1}, gradient norm {g1:0.###} -> {g2:0.###}";
        var failures = new List<string>();
        if (bump < l.MinBump)
        {
            failures.Add($"no bump (< {l.MinBump:P0})");
        }
        else if (Math.Abs(peak - l.PaperPeakT) > l.PeakTolerance)
        {
            failures.Add($"peak not within {l.PeakTolerance} of t = {l.PaperPeakT}");
        }

        if (rise > l.MaxValRise)
        {
            failures.Add($"validation error not monotone (rise > {l.MaxValRise:P0})");
        }

        if (!(g2 <= l.MaxGradRatio * g1))
        {
            failures.Add($"gradient norm does not fall to ~0 (end > {l.MaxGradRatio} x start)");
        }

        return failures.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, numbers)
            : new SeedFinding(seed, Verdict.Refuted, $"{numbers}: {string.Join("; ", failures)}");
    }
}
