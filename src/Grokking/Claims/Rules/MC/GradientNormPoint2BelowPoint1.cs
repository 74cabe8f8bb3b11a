using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-8: the mean stochastic gradient norm (MC's sharpness proxy) at the robust point 2 is below the one at point
/// 1 — at most <c>maxRatio</c> times it — in every seed. Read from the ends of the point 1 -> point 2 segment
/// that MC-3 evaluates (one computation for both claims).
/// </summary>
public sealed class GradientNormPoint2BelowPoint1 : ClaimAnalysis<GradientNormPoint2BelowPoint1.Parameters>
{
    public override string Name => "gradient-norm-point2-below-point1";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// MC-8's rule parameters (a ratio above 1 would let point 2 be sharper, so at most 1) and the paper's gradient
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
        var findings = land.FindingsOn(segments, (m, e) => Judge(m.Spec.Seed, e.Points[0].GradNorm, e.Points[^1].GradNorm, p.MaxRatio));
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var seeds = land.Members.Where(m => segments.ContainsKey(m.Spec.Index)).Select(m => (double)m.Spec.Seed).ToArray();
        var g1 = segments.Values.Select(e => e.Points[0].GradNorm).ToList();
        var g2 = segments.Values.Select(e => e.Points[^1].GradNorm).ToList();
        return new AnalysisResult(verdict, reason, Measure(g1, g2, p), [Figure(context, seeds, g1, g2)]);
    }

    /// <summary>The gradient norms at both points of every seed that has both, and their ratio.</summary>
    private static List<MeasuredValue> Measure(List<double> g1, List<double> g2, Parameters p)
    {
        var ratios = g1.Zip(g2, (a, b) => b / a).ToList();
        return
        [
            new("stochastic gradient norm at point 1, median", MemberSeries.Median(g1), "", p.PaperGradNorm, "reported", g1, Key: "gradNormPoint1"),
            new("stochastic gradient norm at point 2, median", MemberSeries.Median(g2), "", null, "reported", g2, Key: "gradNormPoint2"),
            new("point 2 / point 1, max over seeds", MemberSeries.Max(ratios), "x", null, $"< {p.MaxRatio}", ratios, Key: "ratio"),
        ];
    }

    private static ClaimFigure Figure(ClaimContext context, double[] seeds, List<double> g1, List<double> g2)
    {
        string title = $"{context.Claim.Id}: mean stochastic gradient norm at point 1 and point 2 per seed";
        var series = new List<(string, double[], double[])> { ("point 1", seeds, g1.ToArray()), ("point 2", seeds, g2.ToArray()) };
        return context.Plot("gradient-norm", title, (dir, name) => LineChart.Write(dir, name, title, "seed", "gradient norm", series));
    }

    public static SeedFinding Judge(long seed, double atPoint1, double atPoint2, double maxRatio) =>
        atPoint2 < maxRatio * atPoint1
            ? new SeedFinding(seed, Verdict.Confirmed, $"gradient norm {atPoint1:0.####} at point 1 -> {atPoint2:0.####} at point 2")
            : new SeedFinding(seed, Verdict.Refuted,
                $"gradient norm {atPoint2:0.####} at point 2 is not below {maxRatio} x {atPoint1:0.####} at point 1");
}
