using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Training;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-1: every LayerNorm arm of the claim (the 1-layer and the 2-layer model) groks. Per seed: CONFIRMED when
/// point 1 and the robust point 2 (validation accuracy at least <c>robustValAccuracy</c>) both come within the
/// run's budget; REFUTED when the budget ends before the robust point 2 (the claim is read as "groks within a run
/// of this length"); a seed that never memorizes, or diverges first, cannot decide. Arms combine by
/// <see cref="SeedVerdicts"/> each, and the claim holds when every arm holds.
/// </summary>
public sealed class LayerNormGroks : ClaimAnalysis<LayerNormGroks.Parameters>
{
    public override string Name => "layernorm-groks";

    public override SeedRule SeedRule => SeedRule.EveryGroup;

    /// <summary>PB-1's rule: the robust point 2 (block pb-robust-point-2).</summary>
    public sealed record Parameters([Within(0.5, 1)] double RobustValAccuracy);

    /// <summary>One arm's members with their points, and the arm's budget in epochs.</summary>
    private sealed record Arm(ClaimContext Context, IReadOnlyList<(MemberSpec Spec, GrokkingPoints Points)> Members, double BudgetEpochs)
    {
        public int Layers => Context.RunOptions.Model.Layers;
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        double robustVal = parameters.RobustValAccuracy;
        var (layerNorm, _) = PeriodicMember.Arms(context);
        var arms = layerNorm.Select(a => Measure(a, robustVal)).ToList();
        var verdicts = arms.Select(a => JudgeArm(a, robustVal)).ToList();
        var (overall, combined) = SeedVerdicts.CombineGroups(verdicts);
        var measured = arms.SelectMany(a => Values(a, robustVal)).ToList();
        var figures = arms.Select(a => Figure(context, a, robustVal)).ToList();
        return new AnalysisResult(overall, combined, measured, figures);
    }

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

    private static Arm Measure(ClaimContext arm, double robustVal) => new(
        arm,
        [.. arm.Members.Select(m => (m, GrokkingPoints.Of(arm.Result, m.Index, robustVal)))],
        arm.Result.EpochOf(arm.Result.StepsCompleted));

    private static (string Arm, Verdict Verdict, string Reason) JudgeArm(Arm arm, double robustVal)
    {
        var (verdict, reason) = SeedVerdicts.Combine([.. arm.Members.Select(m => Judge(m.Spec.Seed, m.Points, arm.BudgetEpochs, robustVal))]);
        return (arm.Context.Experiment, verdict, reason);
    }

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
