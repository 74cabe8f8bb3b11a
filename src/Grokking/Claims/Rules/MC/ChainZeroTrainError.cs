using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-4: the chain of straight segments from point 1 through the periodic snapshots (every 100 epochs) to the
/// robust point 2 keeps train error at zero at every evaluated t (at most <c>maxTrainMistakes</c> misclassified
/// training pairs), and the first segment changes the loss and the gradient norm a lot, the last one barely:
/// the range (max - min) of cross-entropy + L2 and of the gradient norm along the first segment is at least
/// <c>minFirstOverLast</c> times the range along the last. Per seed; every part must hold.
/// </summary>
public sealed class ChainZeroTrainError : ClaimAnalysis<ChainZeroTrainError.Parameters>
{
    public override string Name => "chain-zero-train-error";

    public override SeedRule SeedRule => SeedRule.EverySeed;

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
        var chains = land.ChainsFromPoint1ToPoint2();
        var findings = land.FindingsOn(chains, (m, e) => Judge(m.Spec.Seed, e, p.MaxTrainMistakes, p.MinFirstOverLast));
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var paths = chains.Values.ToList();
        string title = $"{context.Claim.Id}: chain point 1 -> snapshots every 100 epochs -> point 2 (joins of the first seed dotted)";
        var figure = context.Plot("chain", title, (dir, name) => PathFigure.Write(dir, name, title, paths));
        return new AnalysisResult(verdict, reason, Measure(land, chains, p), [figure]);
    }

    /// <summary>Mistakes along the chains, the first/last range ratios, and the chains' shape (segments, first length).</summary>
    private static List<MeasuredValue> Measure(GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> chains, Parameters p)
    {
        var paths = chains.Values.ToList();
        var mistakes = paths.Select(c => (double)c.Points.Max(x => x.TrainMistakes)).ToList();
        var lossRatio = paths.Select(c => Ratio(c, PathMetric.TrainLossL2)).ToList();
        var gradRatio = paths.Select(c => Ratio(c, PathMetric.GradNorm)).ToList();
        var segments = paths.Select(c => (double)(c.Joins.Count - 1)).ToList();
        var firstLength = land.Members
            .Where(m => chains.ContainsKey(m.Spec.Index))
            .Select(m => land.EpochOf(land.Chain(m)[1].Step) - land.EpochOf(m.AtPoint1.Step))
            .ToList();
        return
        [
            new("most misclassified training pairs at any evaluated t, max over seeds", MemberSeries.Max(mistakes), "pairs", 0,
                $"<= {p.MaxTrainMistakes}", mistakes, Key: "maxTrainMistakes"),
            new("loss (cross-entropy + L2) range: first segment / last segment, min over seeds", MemberSeries.Min(lossRatio), "x", null,
                $">= {p.MinFirstOverLast}", lossRatio, Key: "lossRangeRatio"),
            new("gradient-norm range: first segment / last segment, min over seeds", MemberSeries.Min(gradRatio), "x", null,
                $">= {p.MinFirstOverLast}", gradRatio, Key: "gradRangeRatio"),
            new("segments in the chain, median", MemberSeries.Median(segments), "", null, "reported", segments, Key: "segments"),
            new("first segment length, median", MemberSeries.Median(firstLength), "epochs", p.PaperFirstEnd - p.PaperFirstStart,
                "reported", firstLength, Key: "firstSegmentEpochs"),
        ];
    }

    /// <summary>Range of a metric along the first segment over its range along the last.</summary>
    public static double Ratio(PathEvaluation chain, PathMetric metric)
    {
        var segments = chain.Segments();
        return CurveShape.Range(segments[0].Values(metric)) / CurveShape.Range(segments[^1].Values(metric));
    }

    public static SeedFinding Judge(long seed, PathEvaluation chain, int maxMistakes, double minRatio)
    {
        int worst = chain.Points.Max(p => p.TrainMistakes);
        double worstT = chain.Points.First(p => p.TrainMistakes == worst).T;
        double loss = Ratio(chain, PathMetric.TrainLossL2);
        double grad = Ratio(chain, PathMetric.GradNorm);
        string numbers = $"{chain.Joins.Count - 1} segments, at most {worst} misclassified training pair(s) (t = {worstT:0.00}), "
            + $"first/last range: loss {loss:0.0}x, gradient norm {grad:0.0}x";
        var failures = new List<string>();
        if (worst > maxMistakes)
        {
            failures.Add($"train error not zero (> {maxMistakes} pair(s))");
        }

        if (!(loss >= minRatio) || !(grad >= minRatio))
        {
            failures.Add($"first segment does not change loss and gradient norm >= {minRatio}x the last");
        }

        return failures.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, numbers)
            : new SeedFinding(seed, Verdict.Refuted, $"{numbers}: {string.Join("; ", failures)}");
    }
}
