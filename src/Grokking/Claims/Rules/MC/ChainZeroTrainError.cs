using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-4 (typical, issue 25): the chain of straight segments from point 1 through the periodic snapshots to the robust
/// point 2 keeps train error at zero (the seeds' most misclassified training pairs at any evaluated t at most
/// <c>maxTrainMistakes</c>), and the first segment changes the loss and the gradient norm a lot, the last one barely:
/// the range (max - min) of cross-entropy + L2 and of the gradient norm along the first segment over the range along
/// the last is at least <c>minFirstOverLast</c>. Each quantity is judged on the 95 % interval of the seed mean. The
/// chain joins the snapshots at least one grid interval from either point, as MC's Fig. 4 (585 -> 700, 2300 -> 2402):
/// <see cref="GrokkingLandscape.WholeIntervalChain"/>. Control: the same chains walked from point 2 back to point 1.
/// </summary>
public sealed class ChainZeroTrainError : ClaimAnalysis<ChainZeroTrainError.Parameters>
{
    public override string Name => "chain-zero-train-error";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "reversed-chain";

    /// <summary>
    /// MC-4's rule parameters and the paper's first segment (epochs 585 -> 700), whose length is reported beside the
    /// measured one.
    /// </summary>
    public sealed record Parameters(
        RobustPoint2Snapshot Point2,
        [Within(0, 1_000_000)] int MaxTrainMistakes,
        [Within(1, 1_000_000)] double MinFirstOverLast,
        [FromPaper("first segment start")] double PaperFirstStart,
        [FromPaper("first segment end")] double PaperFirstEnd);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        var chains = land.WholeIntervalChainsFromPoint1ToPoint2();
        var result = Decide(context.Claim.ScopeKind, land, chains, p);
        var paths = chains.Values.ToList();
        string title = $"{context.Claim.Id}: chain point 1 -> snapshots every 100 epochs -> point 2 (joins of the first seed dotted)";
        var figure = context.Plot("chain", title, (dir, name) => PathFigure.Write(dir, name, title, paths));
        var measured = result.Measured.Append(FirstSegmentLength(land, chains, p)).ToList();
        return result with { Measured = measured, Figures = [figure] };
    }

    /// <summary>The rule on the same chains walked backwards (t = 0 at the robust point 2): the first segment is the quiet one.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        var reversed = land.WholeIntervalChainsFromPoint1ToPoint2().ToDictionary(c => c.Key, c => Reversed(c.Value));
        return Decide(context.Claim.ScopeKind, land, reversed, p);
    }

    /// <summary>A chain walked from its end to its start: t becomes 1 - t, the points and joins in the new t order.</summary>
    public static PathEvaluation Reversed(PathEvaluation chain) => chain with
    {
        Label = chain.Label + " (reversed)",
        Joins = chain.Joins.Reverse().Select(t => 1 - t).ToList(),
        Points = chain.Points.Reverse().Select(x => x with { T = 1 - x.T }).ToList(),
    };

    /// <summary>The rule on one set of chains (the claim's, or the control's): comparisons by scope, bounded by the seeds' events.</summary>
    private static AnalysisResult Decide(
        ClaimScope scope, GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> chains, Parameters p)
    {
        var paths = land.Members.Select(m => chains.GetValueOrDefault(m.Spec.Index)).ToList();
        var events = land.FindingsOn(chains, (m, c) => AuditedVerdict.Came(m.Spec.Seed, Describe(c)));
        return Decide(scope, paths, events, p);
    }

    /// <summary>
    /// The rule on the seeds' chains in member order (null: the seed has none) and their event findings (did the seed
    /// reach both points; did it diverge).
    /// </summary>
    public static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<PathEvaluation?> chains, IReadOnlyList<SeedFinding> events, Parameters p)
    {
        List<double> Each(Func<PathEvaluation, double> value) => chains.Select(c => c is null ? double.NaN : value(c)).ToList();
        var mistakes = Each(c => c.Points.Max(x => x.TrainMistakes));
        var loss = Each(c => Ratio(c, PathMetric.TrainLossL2));
        var grad = Each(c => Ratio(c, PathMetric.GradNorm));
        var comparisons = new List<Comparison>
        {
            // Counts of whole pairs: the threshold itself allows the one borderline pair, so no further resolution.
            Thresholds.Judge(scope, new Quantity("maxTrainMistakes", "most misclassified training pairs along the chain", "pairs"),
                mistakes, Relation.AtMost, p.MaxTrainMistakes),
            Thresholds.Judge(scope, new Quantity("lossRangeRatio", "loss range first / last segment", "x"),
                loss, Relation.AtLeast, p.MinFirstOverLast),
            Thresholds.Judge(scope, new Quantity("gradRangeRatio", "gradient-norm range first / last segment", "x"),
                grad, Relation.AtLeast, p.MinFirstOverLast),
        };
        var (verdict, reason) = AuditedVerdict.Of(events, comparisons);
        var segments = chains.OfType<PathEvaluation>().Select(c => (double)(c.Joins.Count - 1)).ToList();
        return new AnalysisResult(verdict, reason, Measure(segments, mistakes, loss, grad, p), []) { Comparisons = comparisons };
    }

    /// <summary>Mistakes along the chains, the first/last range ratios (per seed in member order) and the chains' segments.</summary>
    private static List<MeasuredValue> Measure(List<double> segments, List<double> mistakes, List<double> loss, List<double> grad, Parameters p) =>
        [
            new("most misclassified training pairs at any evaluated t, max over seeds", MemberSeries.Max(mistakes), "pairs", 0,
                $"<= {p.MaxTrainMistakes} (seed mean's interval)", mistakes, Key: "maxTrainMistakes"),
            new("loss (cross-entropy + L2) range: first segment / last segment, min over seeds", MemberSeries.Min(loss), "x", null,
                $">= {p.MinFirstOverLast} (seed mean's interval)", loss, Key: "lossRangeRatio"),
            new("gradient-norm range: first segment / last segment, min over seeds", MemberSeries.Min(grad), "x", null,
                $">= {p.MinFirstOverLast} (seed mean's interval)", grad, Key: "gradRangeRatio"),
            new("segments in the chain, median", MemberSeries.Median(segments), "", null, "reported", segments, Key: "segments"),
        ];

    /// <summary>The first segment's length in epochs per seed, beside the paper's 585 -> 700.</summary>
    private static MeasuredValue FirstSegmentLength(GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> chains, Parameters p)
    {
        var firstLength = land.Members
            .Where(m => chains.ContainsKey(m.Spec.Index))
            .Select(m => land.EpochOf(land.WholeIntervalChain(m)[1].Step) - land.EpochOf(m.AtPoint1.Step))
            .ToList();
        return new("first segment length, median", MemberSeries.Median(firstLength), "epochs", p.PaperFirstEnd - p.PaperFirstStart,
            "reported", firstLength, Key: "firstSegmentEpochs");
    }

    /// <summary>Range of a metric along the first segment over its range along the last; NaN for a chain of one segment.</summary>
    public static double Ratio(PathEvaluation chain, PathMetric metric)
    {
        var segments = chain.Segments();
        return segments.Count < 2
            ? double.NaN
            : CurveShape.Range(segments[0].Values(metric)) / CurveShape.Range(segments[^1].Values(metric));
    }

    /// <summary>What one seed's chain shows, for the reason text.</summary>
    public static string Describe(PathEvaluation chain)
    {
        int worst = chain.Points.Max(p => p.TrainMistakes);
        double worstT = chain.Points.First(p => p.TrainMistakes == worst).T;
        return $"{chain.Joins.Count - 1} segments, at most {worst} misclassified training pair(s) (t = {worstT:0.00}), first/last range: "
            + $"loss {Ratio(chain, PathMetric.TrainLossL2):0.0}x, gradient norm {Ratio(chain, PathMetric.GradNorm):0.0}x";
    }
}
