using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-3 (typical, issue 25): on the straight segment from point 1 (t = 0) to the robust point 2 (t = 1), train error
/// shows a bump (its barrier at least <c>minBumpHeight</c>) peaking within <c>peakTolerance</c> of the paper's t,
/// validation error falls monotonically (never climbs more than <c>maxValErrorRise</c> above its running minimum), and
/// the stochastic gradient norm falls to ~0 (end / start at most <c>maxGradNormRatio</c>). Each quantity is judged on
/// the 95 % interval of the seed mean; every one must hold. Control: the last segment of MC-4's chain, where the paper
/// sees nothing change.
/// </summary>
public sealed class StraightSegmentBump : ClaimAnalysis<StraightSegmentBump.Limits>
{
    public override string Name => "straight-segment-bump";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "last-chain-segment";

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
        var decided = Decide(context.Claim.ScopeKind, land, segments, limits);
        var paths = segments.Values.ToList();
        string title = $"{context.Claim.Id}: straight segment point 1 (t = 0) -> point 2 (t = 1)";
        var figure = context.Plot("segment", title, (dir, name) => PathFigure.Write(dir, name, title, paths));
        return decided with { Figures = [figure] };
    }

    /// <summary>The rule on the last segment of MC-4's chain (t = 0 at its first end), where nothing narrow is left behind.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Limits limits)
    {
        var land = new GrokkingLandscape(context, limits.Point2);
        return Decide(context.Claim.ScopeKind, land, LastChainSegment.Of(land), limits);
    }

    private static AnalysisResult Decide(ClaimScope scope, GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> segments, Limits l)
    {
        var paths = land.Members.Select(m => segments.GetValueOrDefault(m.Spec.Index)).ToList();
        var events = land.FindingsOn(segments, (m, e) => AuditedVerdict.Came(m.Spec.Seed, Describe(e)));
        return Decide(scope, paths, events, l);
    }

    /// <summary>
    /// The rule on the seeds' segments in member order (null: the seed has none) and their event findings: four
    /// comparisons by the claim's scope, bounded by the seeds' events.
    /// </summary>
    public static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<PathEvaluation?> segments, IReadOnlyList<SeedFinding> events, Limits l)
    {
        List<double> Each(Func<PathEvaluation, double> value) => segments.Select(e => e is null ? double.NaN : value(e)).ToList();
        var height = Each(e => e.Barrier(PathMetric.TrainError));
        var peakT = Each(e => Barriers.At(e.T, e.Values(PathMetric.TrainError)));
        // A seed without a bump has no peak to place: its distance is missing, not far.
        var distance = peakT.Select((t, i) => height[i] >= l.MinBump ? Math.Abs(t - l.PaperPeakT) : double.NaN).ToList();
        var valRise = Each(e => CurveShape.MaxRise(e.Values(PathMetric.ValError)));
        var g1 = Each(e => e.Points[0].GradNorm);
        var g2 = Each(e => e.Points[^1].GradNorm);
        var gradRatio = g1.Select((a, i) => g2[i] / a).ToList();
        var comparisons = new List<Comparison>
        {
            Thresholds.Judge(scope, new Quantity("bumpHeight", "train-error barrier"), height, Relation.AtLeast, l.MinBump),
            Thresholds.Judge(scope, new Quantity("peakDistance", $"distance of the train-error peak from t = {l.PaperPeakT}"),
                distance, Relation.AtMost, l.PeakTolerance),
            Thresholds.Judge(scope, new Quantity("valErrorRise", "validation-error rise above its running minimum"), valRise,
                Relation.AtMost, l.MaxValRise),
            Thresholds.Judge(scope, new Quantity("gradNormRatio", "gradient norm point 2 / point 1", "x"), gradRatio,
                Relation.AtMost, l.MaxGradRatio),
        };
        var (verdict, reason) = AuditedVerdict.Of(events, comparisons);
        var measured = new List<MeasuredValue>
        {
            new("t of the train-error peak (t = 0: point 1), median", MemberSeries.Median(peakT), "", l.PaperPeakT,
                $"within +-{l.PeakTolerance} (seeds with a bump; seed mean's interval)", peakT, Key: "peakT"),
            new("train-error bump height (barrier), min over seeds", MemberSeries.Min(height), "", null,
                $">= {l.MinBump} (seed mean's interval)", height, Key: "bumpHeight"),
            new("validation error: largest rise above its running minimum, max over seeds", MemberSeries.Max(valRise), "", null,
                $"<= {l.MaxValRise} (seed mean's interval)", valRise, Key: "valErrorRise"),
            new("stochastic gradient norm at point 1, median", MemberSeries.Median(g1), "", l.PaperGradNorm, "reported", g1, Key: "gradNormPoint1"),
            new("stochastic gradient norm at point 2, median", MemberSeries.Median(g2), "", 0, "reported", g2, Key: "gradNormPoint2"),
            new("stochastic gradient norm point 2 / point 1, max over seeds", MemberSeries.Max(gradRatio), "x", null,
                $"<= {l.MaxGradRatio} (seed mean's interval)", gradRatio, Key: "gradNormRatio"),
        };
        return new AnalysisResult(verdict, reason, measured, []) { Comparisons = comparisons };
    }

    /// <summary>What one seed's segment shows, for the reason text.</summary>
    public static string Describe(PathEvaluation e)
    {
        var trainError = e.Values(PathMetric.TrainError);
        return $"train-error bump {e.Barrier(PathMetric.TrainError):P1} at t = {Barriers.At(e.T, trainError):0.00}, validation-error rise "
            + $"{CurveShape.MaxRise(e.Values(PathMetric.ValError)):P1}, gradient norm {e.Points[0].GradNorm:0.###} -> {e.Points[^1].GradNorm:0.###}";
    }
}
