using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-1 (typical, issue 25): train accuracy reaches 100% (point 1) while validation accuracy is still near chance, and
/// validation accuracy reaches its end level (point 2) much later. Point 2 as the paper defines it (the first epoch with
/// exactly 100% validation accuracy) hangs on one or two pairs out of thousands, so the decision reads the robust point
/// 2 - the first epoch with validation accuracy at least <c>robustValAccuracy</c> - and the report shows both. Two
/// comparisons on the 95 % interval of the seed mean: validation accuracy at point 1 at most
/// <c>maxValAccuracyAtPoint1</c>, robust point 2 / point 1 at least <c>minDelayRatio</c>; values measured before a
/// divergence count. Every completed seed must reach both points (else undecided). Control: the train curve used as the
/// validation curve (no delay), which must refute.
/// </summary>
public sealed class MemorizationThenGeneralization : ClaimAnalysis<MemorizationThenGeneralization.Limits>
{
    public override string Name => "memorization-then-generalization";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "validation-as-train";

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
        var members = context.Members;
        var pointsOf = members.ToDictionary(m => m.Index, m => GrokkingPoints.Of(result, m.Index, limits.RobustVal));
        var seeds = members.Select(m => (m.Seed, pointsOf[m.Index])).ToList();
        var decided = Decide(context.Claim.ScopeKind, seeds, limits, result.EpochOf(result.StepsCompleted));
        string title = $"{context.Claim.Id}: train / validation accuracy per seed (dots: point 1, robust point 2)";
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", title, members, pointsOf, limits.RobustVal);
        return decided with { Figures = [figure] };
    }

    /// <summary>The rule on the members' points read from their train curve in place of the validation curve.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Limits limits)
    {
        var result = context.Result;
        var seeds = context.Members.Select(m => (m.Seed, ValidationAsTrain(result, m.Index, limits.RobustVal))).ToList();
        return Decide(context.Claim.ScopeKind, seeds, limits, result.EpochOf(result.StepsCompleted));
    }

    /// <summary>A member's points when its validation accuracy is replaced by its train accuracy: memorizing is generalizing.</summary>
    public static GrokkingPoints ValidationAsTrain(Training.TrainingResult result, int member, double robustVal)
    {
        var e = result.Events[member];
        var rows = MemberSeries.RowsBeforeDivergence(result, member).Select(r => r with { ValAccuracy = r.TrainAccuracy }).ToList();
        return GrokkingPoints.OfRows(rows, robustVal, e.Diverged ? result.EpochOf(e.DivergedStep) : null);
    }

    /// <summary>
    /// The rule on the seeds' points (member order): both comparisons by the claim's scope, bounded by whether each seed
    /// reached both points (a value measured before a divergence counts; a seed without it is left out).
    /// </summary>
    public static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<(long Seed, GrokkingPoints Points)> seeds, Limits limits, double budget)
    {
        var valAtPoint1 = seeds.Select(s => s.Points.ValAtPoint1).ToList();
        var ratios = seeds.Select(s => s.Points.RobustPoint2 / s.Points.Point1).ToList();
        // A typical claim is read through the seed interval, so the metric cadence and one validation pair (both far
        // below the seeds' spread) set no resolution here; a universal reading would need them.
        var comparisons = new List<Comparison>
        {
            Thresholds.Judge(scope, new Quantity("valAtPoint1", "validation accuracy at point 1"), valAtPoint1, Relation.AtMost,
                limits.MaxValAtPoint1),
            Thresholds.Judge(scope, new Quantity("delayRatio", "robust point 2 / point 1", "x"), ratios, Relation.AtLeast, limits.MinRatio),
        };
        var events = seeds.Select(s => Events(s.Seed, s.Points, limits, budget)).ToList();
        var (verdict, reason) = AuditedVerdict.Of(events, comparisons);
        return new AnalysisResult(verdict, reason, Measure(seeds.Select(s => s.Points).ToList(), limits), []) { Comparisons = comparisons };
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
                MemberSeries.Median(robust2), "epoch", paper2, $"decides through the ratio to point 1", robust2, Key: "point2Robust"),
            new("point 2 as the paper defines it (first epoch with 100% validation accuracy), median over the seeds that reach it",
                MemberSeries.Median(point2), "epoch", paper2, "reported, not decisive", point2, Key: "point2Exact"),
            new("delay robust point 2 / point 1, min over seeds", MemberSeries.Min(ratios), "x", paper2 / paper1,
                $">= {limits.MinRatio} (seed mean's interval)", ratios, Key: "delayRatio"),
            new("validation accuracy at point 1, max over seeds", MemberSeries.Max(valAtPoint1), "", null,
                $"<= {limits.MaxValAtPoint1} (seed mean's interval)", valAtPoint1, Key: "valAtPoint1"),
        ];
    }

    /// <summary>Whether one seed reached both points within the budget (before a divergence, if any).</summary>
    private static SeedFinding Events(long seed, GrokkingPoints p, Limits limits, double budgetEpochs)
    {
        bool diverged = p.DivergedEpoch is not null;
        string end = diverged ? $"diverged at epoch {p.DivergedEpoch:0}" : $"the budget of {budgetEpochs:0} epochs ended";
        if (!double.IsFinite(p.Point1))
        {
            return new(seed, Verdict.Inconclusive, $"{end} before 100% train accuracy", diverged);
        }

        if (!double.IsFinite(p.RobustPoint2))
        {
            return new(seed, Verdict.Inconclusive,
                $"memorized at epoch {p.Point1:0} (val {p.ValAtPoint1:P1}); {end} before {limits.RobustVal:P0} validation accuracy", diverged);
        }

        string exact = double.IsFinite(p.Point2) ? $"100% at epoch {p.Point2:0}" : "100% never reached";
        string numbers = $"point 1 epoch {p.Point1:0} (val {p.ValAtPoint1:P1}), robust point 2 epoch {p.RobustPoint2:0} "
            + $"({p.RobustPoint2 / p.Point1:0.0}x; {exact})";
        return diverged
            ? new(seed, Verdict.Inconclusive, $"{numbers}; {end}, not counted as completed", true)
            : AuditedVerdict.Came(seed, numbers);
    }
}
