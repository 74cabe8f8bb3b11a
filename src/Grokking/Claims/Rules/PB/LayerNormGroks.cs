using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Training;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-1 (universal, issue 25): every LayerNorm arm of the claim (the 1-layer and the 2-layer model) groks: validation
/// accuracy reaches the robust point 2 (<c>robustValAccuracy</c>) within the run's budget, after point 1 (100% train
/// accuracy). Per depth, two comparisons over the seeds, each refuted by one seed past its threshold by more than one
/// validation pair: the highest validation accuracy within the budget is at least <c>robustValAccuracy</c> (it grokked),
/// and the validation accuracy at point 1 is at most <c>robustValAccuracy</c> (it had not generalized when it memorized:
/// point 2 comes after point 1). A seed that never memorizes, or diverges before point 2, cannot speak. Negative
/// control: the same rule with each member's validation curve replaced by its train curve (learning without delay).
/// </summary>
public sealed class LayerNormGroks : ClaimAnalysis<LayerNormGroks.Parameters>
{
    public override string Name => "layernorm-groks";

    public override SeedRule SeedRule => SeedRule.EveryGroup;

    /// <summary>PB-1's rule: the robust point 2 (block pb-robust-point-2).</summary>
    public sealed record Parameters([Within(0.5, 1)] double RobustValAccuracy);

    /// <summary>One arm's members with their points, the arm's budget in epochs and its validation set's size.</summary>
    private sealed record Arm(
        ClaimContext Context, IReadOnlyList<(MemberSpec Spec, GrokkingPoints Points)> Members, double BudgetEpochs, int ValidationPairs)
    {
        public int Layers => Context.RunOptions.Model.Layers;
    }

    public override string? ControlName => "no-delay";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        double robustVal = parameters.RobustValAccuracy;
        var (layerNorm, _) = PeriodicMember.Arms(context);
        var arms = layerNorm.Select(a => Measure(a, robustVal, m => GrokkingPoints.Of(a.Result, m.Index, robustVal))).ToList();
        var result = Decide(context.Claim.ScopeKind, arms, robustVal);
        return result with { Figures = [.. arms.Select(a => Figure(context, a, robustVal))] };
    }

    /// <summary>The same rule on each member's train curve read as its validation curve: no memorization stage, no delay.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        double robustVal = parameters.RobustValAccuracy;
        var (layerNorm, _) = PeriodicMember.Arms(context);
        var arms = layerNorm.Select(a => Measure(a, robustVal, m => TrainAsValidation(a.Result, m.Index, robustVal))).ToList();
        return Decide(context.Claim.ScopeKind, arms, robustVal);
    }

    /// <summary>A member's points with its validation accuracy replaced by its train accuracy, for the control.</summary>
    public static GrokkingPoints TrainAsValidation(TrainingResult result, int member, double robustVal)
    {
        var p = GrokkingPoints.Of(result, member, robustVal);
        var rows = MemberSeries.RowsBeforeDivergence(result, member);
        var robust = rows.FirstOrDefault(r => r.TrainAccuracy >= robustVal - 1e-9);
        double max = rows.Length == 0 ? double.NaN : rows.Max(r => r.TrainAccuracy);
        double atPoint1 = double.IsFinite(p.Point1) ? rows.First(r => r.Epoch == p.Point1).TrainAccuracy : double.NaN;
        return p with { ValAtPoint1 = atPoint1, Point2 = p.Point1, RobustPoint2 = robust?.Epoch ?? double.NaN, MaxVal = max };
    }

    /// <summary>
    /// PB-1's rule on the arms: per depth the highest validation accuracy within the budget (at least the robust level)
    /// and the validation accuracy at point 1 (at most it), by the claim's scope, with one validation pair as resolution.
    /// </summary>
    private static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<Arm> arms, double robustVal)
    {
        var comparisons = new List<Comparison>();
        var preconditions = new List<SeedFinding>();
        foreach (var arm in arms)
        {
            comparisons.AddRange(Compare(scope, arm.Layers, [.. arm.Members.Select(m => m.Points)], arm.ValidationPairs, robustVal));
            preconditions.AddRange(arm.Members.Select(m => PbDecision.Precondition(
                m.Spec.Seed, $"{arm.Context.Experiment}, seed {m.Spec.Seed}", CanSpeak(m.Points), m.Points.DivergedEpoch is not null)));
        }

        string readings = string.Join(" | ", arms.Select(a => $"{a.Context.Experiment}: " + string.Join("; ",
            a.Members.Select(m => $"seed {m.Spec.Seed}: {Judge(m.Spec.Seed, m.Points, a.BudgetEpochs, robustVal).Reason}"))));
        return PbDecision.Decide(preconditions, comparisons, [.. arms.SelectMany(a => Values(a, robustVal))], [], readings);
    }

    /// <summary>
    /// One depth's two comparisons over its seeds' points: the highest validation accuracy within the budget at least
    /// <paramref name="robustVal"/>, the validation accuracy at point 1 at most it; a seed that cannot speak has no value.
    /// The resolution is one validation pair.
    /// </summary>
    public static IReadOnlyList<Comparison> Compare(
        ClaimScope scope, int layers, IReadOnlyList<GrokkingPoints> points, int validationPairs, double robustVal)
    {
        double pair = 1.0 / validationPairs;
        var reached = points.Select(p => CanSpeak(p) is null ? p.MaxVal : double.NaN).ToList();
        var atPoint1 = points.Select(p => CanSpeak(p) is null ? p.ValAtPoint1 : double.NaN).ToList();
        return
        [
            Thresholds.Judge(scope, new Quantity($"maxValL{layers}", $"{layers}-layer: highest validation accuracy within the budget"),
                reached, Relation.AtLeast, robustVal, pair),
            Thresholds.Judge(scope, new Quantity($"valAtPoint1L{layers}", $"{layers}-layer: validation accuracy at point 1"),
                atPoint1, Relation.AtMost, robustVal, pair),
        ];
    }

    /// <summary>Why a seed cannot speak: no point 1, or a divergence before the robust point 2; null when it can.</summary>
    private static string? CanSpeak(GrokkingPoints p) =>
        !double.IsFinite(p.Point1) ? "never reached 100% train accuracy"
        : p.DivergedEpoch is not null && !double.IsFinite(p.RobustPoint2) ? $"diverged at epoch {p.DivergedEpoch:0} before point 2"
        : null;

    /// <summary>One seed's reading, shown in the reason (the verdict comes from the comparisons).</summary>
    public static SeedFinding Judge(long seed, GrokkingPoints p, double budgetEpochs, double robustVal)
    {
        bool diverged = p.DivergedEpoch is not null;
        if (!double.IsFinite(p.Point1))
        {
            string never = diverged
                ? $"diverged at epoch {p.DivergedEpoch:0} before 100% train accuracy"
                : $"never reached 100% train accuracy within {budgetEpochs:0} epochs";
            return new(seed, Verdict.Inconclusive, never, diverged);
        }

        if (double.IsFinite(p.RobustPoint2))
        {
            string exact = double.IsFinite(p.Point2) ? $"100% at epoch {p.Point2:0}" : "100% never reached";
            string after = diverged ? $"; diverged at epoch {p.DivergedEpoch:0}" : "";
            return new(seed, diverged ? Verdict.Inconclusive : Verdict.Confirmed,
                $"point 1 epoch {p.Point1:0}, robust point 2 epoch {p.RobustPoint2:0} ({exact}){after}", diverged);
        }

        return diverged
            ? new(seed, Verdict.Inconclusive,
                $"memorized at epoch {p.Point1:0}, diverged at epoch {p.DivergedEpoch:0} before {robustVal:P0} validation accuracy", true)
            : new(seed, Verdict.Refuted,
                $"memorized at epoch {p.Point1:0} but validation accuracy stayed below {robustVal:P0} (max {p.MaxVal:P1}) "
                + $"for the whole budget of {budgetEpochs:0} epochs");
    }

    private static Arm Measure(ClaimContext arm, double robustVal, Func<MemberSpec, GrokkingPoints> pointsOf) => new(
        arm,
        [.. arm.Members.Select(m => (m, pointsOf(m)))],
        arm.Result.EpochOf(arm.Result.StepsCompleted),
        ValidationPairs(arm.RunOptions.Data));

    /// <summary>The validation set's size (every pair not in the train split): one pair is the accuracies' resolution.</summary>
    public static int ValidationPairs(DataOptions data) =>
        ModularArithmeticDataset.Create(data.Operation, data.Modulus, data.Format).Count - PopulationDataFactory.TrainCount(data);

    private static IEnumerable<MeasuredValue> Values(Arm arm, double robustVal)
    {
        int layers = arm.Layers;
        var p1 = arm.Members.Select(m => m.Points.Point1).ToList();
        var p2 = arm.Members.Select(m => m.Points.RobustPoint2).ToList();
        var exact = arm.Members.Select(m => m.Points.Point2).ToList();
        return
        [
            new($"{layers}-layer: point 1, median", MemberSeries.Median(p1), "epoch", null, "reported", p1, Key: $"point1L{layers}"),
            new($"{layers}-layer: robust point 2 (validation >= {robustVal:P0}), median over the seeds that reach it", MemberSeries.Median(p2),
                "epoch", null, $"decides: reached within {arm.BudgetEpochs:0} epochs", p2, Key: $"point2L{layers}"),
            new($"{layers}-layer: point 2 at exactly 100% validation accuracy, median over the seeds that reach it", MemberSeries.Median(exact),
                "epoch", null, "reported", exact, Key: $"point2ExactL{layers}"),
        ];
    }

    private static ClaimFigure Figure(ClaimContext context, Arm arm, double robustVal) =>
        MemberSeries.AccuracyFigure(arm.Context, $"accuracy-{arm.Layers}-layer",
            $"{context.Claim.Id} (PB Fig. 4): {arm.Layers}-layer LayerNorm, accuracy (dots: points 1, 2)", arm.Context.Members,
            arm.Members.ToDictionary(m => m.Spec.Index, m => m.Points), robustVal);
}
