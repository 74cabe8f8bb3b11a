using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-9 (universal): along the one-bend polyline fitted between point 1 and the robust point 2 (MC-5's curve, one fit for
/// both claims), the mean stochastic gradient norm passes from the narrow minimum to the wide one - it ends at most
/// <c>maxRatio</c> times its start ("close to zero", the reading MC-3 and MC-8 registered for the same words), and on
/// the way it never climbs back above its running minimum by more than <c>maxClimb</c> times its start (a passage, not a
/// crossing of a sharper ridge). One seed past either by more than the float32 rounding of the norms refutes. Control:
/// the same polyline read backwards, from point 2 to point 1, which goes from the wide minimum into the narrow one.
/// </summary>
public sealed class GradientNormPassage : ClaimAnalysis<GradientNormPassage.Parameters>
{
    public override string Name => "gradient-norm-passage";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "reversed-polyline";

    /// <summary>MC-9's rule: the end's share of the start, and the largest climb back as a share of the start.</summary>
    public sealed record Parameters(RobustPoint2Snapshot Point2, [Within(0, 1)] double MaxRatio, [Within(0, 1)] double MaxClimb);

    /// <summary>One seed's gradient norms along the curve, in t order.</summary>
    public sealed record Passage(long Seed, IReadOnlyList<double> GradNorms)
    {
        public double Ratio => GradNorms[^1] / GradNorms[0];

        public double Climb => CurveShape.MaxRise(GradNorms) / GradNorms[0];

        public Passage Reversed => this with { GradNorms = [.. GradNorms.Reverse()] };
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var (land, curves) = Curves(context, p);
        var decided = Decide(context, land, curves, reversed: false, p);
        string title = $"{context.Claim.Id}: gradient norm along the fitted polyline, point 1 (t = 0) -> point 2 (t = 1)";
        var shown = curves.Values.ToList();
        var figure = context.Plot("gradient-norm-polyline", title, (dir, name) => PathFigure.Write(dir, name, title, shown));
        return decided with { Figures = [figure] };
    }

    /// <summary>The rule on the same polylines read from point 2 to point 1.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p)
    {
        var (land, curves) = Curves(context, p);
        return Decide(context, land, curves, reversed: true, p);
    }

    private static (GrokkingLandscape Land, IReadOnlyDictionary<int, PathEvaluation> Curves) Curves(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        return (land, land.PolylinesFromPoint1ToPoint2());
    }

    private static AnalysisResult Decide(
        ClaimContext context, GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> curves, bool reversed, Parameters p)
    {
        Passage Of(GrokkingMember m, PathEvaluation e)
        {
            var passage = new Passage(m.Spec.Seed, e.Values(PathMetric.GradNorm));
            return reversed ? passage.Reversed : passage;
        }

        var passages = land.Members.Select(m => curves.TryGetValue(m.Spec.Index, out var e) ? Of(m, e) : null).ToList();
        var events = land.FindingsOn(curves, (m, e) => AuditedVerdict.Came(m.Spec.Seed, Describe(Of(m, e))));
        double resolution = GradientNormPoint2BelowPoint1.Resolution(context, p.MaxRatio);
        return Decide(context.Claim.ScopeKind, passages, events, resolution, p);
    }

    /// <summary>The two universal comparisons over the seeds' passages (null: the seed has no curve), bounded by their events.</summary>
    public static AnalysisResult Decide(
        ClaimScope scope, IReadOnlyList<Passage?> passages, IReadOnlyList<SeedFinding> events, double resolution, Parameters p)
    {
        var ratios = passages.Select(x => x?.Ratio ?? double.NaN).ToList();
        var climbs = passages.Select(x => x?.Climb ?? double.NaN).ToList();
        List<Comparison> comparisons =
        [
            Thresholds.Judge(scope, new Quantity("ratio", "gradient norm at t = 1 / at t = 0", "x"), ratios, Relation.AtMost, p.MaxRatio, resolution),
            Thresholds.Judge(scope, new Quantity("climb", "largest climb back along t / gradient norm at t = 0", "x"),
                climbs, Relation.AtMost, p.MaxClimb, resolution),
        ];
        var (verdict, reason) = AuditedVerdict.Of(events, comparisons);
        var measured = new List<MeasuredValue>
        {
            new("gradient norm end / start, max over seeds", MemberSeries.Max(ratios), "x", null,
                $"<= {p.MaxRatio} in every seed", ratios, Key: "ratio"),
            new("largest climb back / start, max over seeds", MemberSeries.Max(climbs), "x", null,
                $"<= {p.MaxClimb} in every seed", climbs, Key: "climb"),
        };
        return new AnalysisResult(verdict, reason, measured, []) { Comparisons = comparisons };
    }

    private static string Describe(Passage passage) =>
        $"gradient norm {passage.GradNorms[0]:0.####} -> {passage.GradNorms[^1]:0.####} ({passage.Ratio:0.###}x), "
        + $"largest climb back {passage.Climb:0.###}x the start";
}
