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
public sealed class GradientNormPoint2BelowPoint1 : LegacyClaimAnalysis
{
    public override string Name => "gradient-norm-point2-below-point1";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy", "maxRatio"];

    public override IReadOnlyList<string> RequiredPaperValues => ["gradient norm at point 1"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double maxRatio = claim.ToleranceOf("maxRatio");
        var land = new GrokkingLandscape(context, claim.ToleranceOf("robustValAccuracy"));
        var segments = land.SegmentsFromPoint1ToPoint2();
        var findings = land.Members.Select(m => segments.TryGetValue(m.Spec.Index, out var e)
            ? Judge(m.Spec.Seed, e.Points[0].GradNorm, e.Points[^1].GradNorm, maxRatio) with { Diverged = m.Diverged }
            : land.Missing(m)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var seeds = land.Members.Where(m => segments.ContainsKey(m.Spec.Index)).Select(m => (double)m.Spec.Seed).ToArray();
        var g1 = segments.Values.Select(e => e.Points[0].GradNorm).ToList();
        var g2 = segments.Values.Select(e => e.Points[^1].GradNorm).ToList();
        var ratios = g1.Zip(g2, (a, b) => b / a).ToList();
        var measured = new List<MeasuredValue>
        {
            new("stochastic gradient norm at point 1, median", MemberSeries.Median(g1), "", claim.PaperValueOf("gradient norm at point 1"), "reported", g1, Key: "gradNormPoint1"),
            new("stochastic gradient norm at point 2, median", MemberSeries.Median(g2), "", null, "reported", g2, Key: "gradNormPoint2"),
            new("point 2 / point 1, max over seeds", MemberSeries.Max(ratios), "x", null, $"< {maxRatio}", ratios, Key: "ratio"),
        };
        var (dir, name) = context.Figure("gradient-norm");
        string title = $"{claim.Id}: mean stochastic gradient norm at point 1 and point 2 per seed";
        var series = new List<(string, double[], double[])> { ("point 1", seeds, g1.ToArray()), ("point 2", seeds, g2.ToArray()) };
        return new AnalysisResult(verdict, reason, measured, [context.FigureOf(title, LineChart.Write(dir, name, title, "seed", "gradient norm", series))]);
    }

    public static SeedFinding Judge(long seed, double atPoint1, double atPoint2, double maxRatio) =>
        atPoint2 < maxRatio * atPoint1
            ? new SeedFinding(seed, Verdict.Confirmed, $"gradient norm {atPoint1:0.####} at point 1 -> {atPoint2:0.####} at point 2")
            : new SeedFinding(seed, Verdict.Refuted, $"gradient norm {atPoint2:0.####} at point 2 is not below {maxRatio} x {atPoint1:0.####} at point 1");
}
