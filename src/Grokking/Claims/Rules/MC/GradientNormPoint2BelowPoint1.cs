using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-8 (universal, issue 25): the mean stochastic gradient norm (MC's sharpness proxy) at the robust point 2 is at most
/// <c>maxRatio</c> times the one at point 1 in every seed; one seed past it by more than the float32 rounding of the two
/// means refutes. Read from the ends of the point 1 -> point 2 segment that MC-3 evaluates (one computation for both
/// claims). Control: the ends of MC-4's last chain segment, where the paper sees nothing change, so the later end is
/// not in a wider minimum.
/// </summary>
public sealed class GradientNormPoint2BelowPoint1 : ClaimAnalysis<GradientNormPoint2BelowPoint1.Parameters>
{
    public override string Name => "gradient-norm-point2-below-point1";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "last-chain-segment";

    /// <summary>
    /// MC-8's rule parameters (maxRatio: "close to zero", at most 1 since a ratio above 1 makes point 2 sharper) and the paper's gradient
    /// norm at point 1, reported beside the measured one.
    /// </summary>
    public sealed record Parameters(
        RobustPoint2Snapshot Point2,
        [Within(0, 1)] double MaxRatio,
        [FromPaper("gradient norm at point 1")] double PaperGradNorm);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        var segments = land.SegmentsFromPoint1ToPoint2();
        var decided = Decide(context, land, segments, p);
        var with = land.Members.Where(m => segments.ContainsKey(m.Spec.Index)).ToList();
        var seeds = with.Select(m => (double)m.Spec.Seed).ToArray();
        var g1 = with.Select(m => segments[m.Spec.Index].Points[0].GradNorm).ToList();
        var g2 = with.Select(m => segments[m.Spec.Index].Points[^1].GradNorm).ToList();
        return decided with { Figures = [Figure(context, seeds, g1, g2)] };
    }

    /// <summary>The rule on the ends of MC-4's last chain segment (its first end in place of point 1).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        return Decide(context, land, LastChainSegment.Of(land), p);
    }

    private static AnalysisResult Decide(ClaimContext context, GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> paths, Parameters p)
    {
        var ends = land.Members
            .Select(m => paths.TryGetValue(m.Spec.Index, out var e) ? (e.Points[0].GradNorm, e.Points[^1].GradNorm) : (double.NaN, double.NaN))
            .ToList();
        var events = land.FindingsOn(paths, (m, e) => AuditedVerdict.Came(m.Spec.Seed, Describe(e.Points[0].GradNorm, e.Points[^1].GradNorm)));
        return Decide(context.Claim.ScopeKind, ends, events, Resolution(context, p.MaxRatio), p);
    }

    /// <summary>
    /// The float32 rounding of the ratio near the threshold: each norm is a mean over the training minibatches, so each
    /// carries up to (minibatches) x 2^-24 relative rounding, and the ratio twice that.
    /// </summary>
    public static double Resolution(ClaimContext context, double threshold)
    {
        var o = context.RunOptions;
        int train = Data.PopulationDataFactory.TrainCount(o.Data);
        int batches = o.Train.BatchSize <= 0 ? 1 : (int)Math.Ceiling(train / (double)o.Train.BatchSize);
        return threshold * 2 * batches * Math.Pow(2, -24);
    }

    /// <summary>
    /// The rule on the seeds' gradient norms at their two ends (member order; NaN: the seed has no path) and their event
    /// findings: the universal comparison of point 2 / point 1, bounded by the seeds' events.
    /// </summary>
    public static AnalysisResult Decide(
        ClaimScope scope, IReadOnlyList<(double AtPoint1, double AtPoint2)> ends, IReadOnlyList<SeedFinding> events, double resolution, Parameters p)
    {
        var g1 = ends.Select(e => e.AtPoint1).ToList();
        var g2 = ends.Select(e => e.AtPoint2).ToList();
        var ratios = ends.Select(e => e.AtPoint2 / e.AtPoint1).ToList();
        var comparison = Thresholds.Judge(
            scope, new Quantity("ratio", "gradient norm point 2 / point 1", "x"), ratios, Relation.AtMost, p.MaxRatio, resolution);
        var (verdict, reason) = AuditedVerdict.Of(events, [comparison]);
        var measured = new List<MeasuredValue>
        {
            new("stochastic gradient norm at point 1, median", MemberSeries.Median(g1), "", p.PaperGradNorm, "reported", g1, Key: "gradNormPoint1"),
            new("stochastic gradient norm at point 2, median", MemberSeries.Median(g2), "", null, "reported", g2, Key: "gradNormPoint2"),
            new("point 2 / point 1, max over seeds", MemberSeries.Max(ratios), "x", null,
                $"<= {p.MaxRatio} in every seed (resolution {resolution:G3}: float32 rounding)", ratios, Key: "ratio"),
        };
        return new AnalysisResult(verdict, reason, measured, []) { Comparisons = [comparison] };
    }

    private static ClaimFigure Figure(ClaimContext context, double[] seeds, IReadOnlyList<double> g1, IReadOnlyList<double> g2)
    {
        string title = $"{context.Claim.Id}: mean stochastic gradient norm at point 1 and point 2 per seed";
        var series = new List<(string, double[], double[])> { ("point 1", seeds, g1.ToArray()), ("point 2", seeds, g2.ToArray()) };
        return context.Plot("gradient-norm", title, (dir, name) => LineChart.Write(dir, name, title, "seed", "gradient norm", series));
    }

    /// <summary>A seed's norms at the path's first and second end (point 1 and point 2; the control's ends are a chain segment's).</summary>
    private static string Describe(double atPoint1, double atPoint2) =>
        $"gradient norm {atPoint1:0.####} at the first end -> {atPoint2:0.####} at the second ({atPoint2 / atPoint1:0.###}x)";
}
