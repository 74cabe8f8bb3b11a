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
public sealed class ChainZeroTrainError : LegacyClaimAnalysis
{
    public override string Name => "chain-zero-train-error";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy", "maxTrainMistakes", "minFirstOverLast"];

    public override IReadOnlyList<string> RequiredPaperValues => ["first segment start", "first segment end", "last segment start", "last segment end"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        int maxMistakes = (int)claim.ToleranceOf("maxTrainMistakes");
        double minRatio = claim.ToleranceOf("minFirstOverLast");
        var land = new GrokkingLandscape(context, claim.ToleranceOf("robustValAccuracy"));
        var chains = land.ChainsFromPoint1ToPoint2();
        var findings = land.Members.Select(m => chains.TryGetValue(m.Spec.Index, out var e) ? Judge(m.Spec.Seed, e, maxMistakes, minRatio) with { Diverged = m.Diverged } : land.Missing(m)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);

        var paths = chains.Values.ToList();
        var mistakes = paths.Select(p => (double)p.Points.Max(x => x.TrainMistakes)).ToList();
        var lossRatio = paths.Select(p => Ratio(p, PathMetric.TrainLossL2)).ToList();
        var gradRatio = paths.Select(p => Ratio(p, PathMetric.GradNorm)).ToList();
        var segments = paths.Select(p => (double)(p.Joins.Count - 1)).ToList();
        var firstLength = land.Members.Where(m => chains.ContainsKey(m.Spec.Index)).Select(m => land.EpochOf(land.Chain(m)[1].Step) - land.EpochOf(m.AtPoint1.Step)).ToList();
        var measured = new List<MeasuredValue>
        {
            new("most misclassified training pairs at any evaluated t, max over seeds", MemberSeries.Max(mistakes), "pairs", 0, $"<= {maxMistakes}", mistakes, Key: "maxTrainMistakes"),
            new("loss (cross-entropy + L2) range: first segment / last segment, min over seeds", MemberSeries.Min(lossRatio), "x", null, $">= {minRatio}", lossRatio, Key: "lossRangeRatio"),
            new("gradient-norm range: first segment / last segment, min over seeds", MemberSeries.Min(gradRatio), "x", null, $">= {minRatio}", gradRatio, Key: "gradRangeRatio"),
            new("segments in the chain, median", MemberSeries.Median(segments), "", null, "reported", segments, Key: "segments"),
            new("first segment length, median", MemberSeries.Median(firstLength), "epochs", claim.PaperValueOf("first segment end") - claim.PaperValueOf("first segment start"), "reported", firstLength, Key: "firstSegmentEpochs"),
        };
        var (dir, name) = context.Figure("chain");
        string title = $"{claim.Id}: chain point 1 -> snapshots every 100 epochs -> point 2 (joins of the first seed dotted)";
        return new AnalysisResult(verdict, reason, measured, [context.FigureOf(title, PathFigure.Write(dir, name, title, paths))]);
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
        string numbers = $"{chain.Joins.Count - 1} segments, at most {worst} misclassified training pair(s) (t = {worstT:0.00}), first/last range: loss {loss:0.0}x, gradient norm {grad:0.0}x";
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
