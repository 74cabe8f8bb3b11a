using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-1: every LayerNorm arm of the claim (the 1-layer and the 2-layer model) groks. Per seed: CONFIRMED when
/// point 1 and the robust point 2 (validation accuracy at least <c>robustValAccuracy</c>) both come within the
/// run's budget; REFUTED when the budget ends before the robust point 2 (the claim is read as "groks within a run
/// of this length"); a seed that never memorizes, or diverges first, cannot decide. Arms combine by
/// <see cref="SeedVerdicts"/> each, and the claim holds when every arm holds.
/// </summary>
public sealed class LayerNormGroks : LegacyClaimAnalysis
{
    public override string Name => "layernorm-groks";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        double robustVal = context.Claim.ToleranceOf("robustValAccuracy");
        var (arms, _) = PeriodicMember.Arms(context);
        var measured = new List<MeasuredValue>();
        var figures = new List<ClaimFigure>();
        var verdicts = new List<(string Arm, Verdict Verdict, string Reason)>();
        foreach (var arm in arms)
        {
            var members = arm.Members.Select(m => (Spec: m, Points: GrokkingPoints.Of(arm.Result, m.Index, robustVal))).ToList();
            double budget = arm.Result.EpochOf(arm.Result.StepsCompleted);
            var (verdict, reason) = SeedVerdicts.Combine([.. members.Select(m => Judge(m.Spec.Seed, m.Points, budget, robustVal))]);
            verdicts.Add((arm.Experiment, verdict, reason));
            int layers = arm.RunOptions.Model.Layers;
            var p1 = members.Select(m => m.Points.Point1).ToList();
            var p2 = members.Select(m => m.Points.RobustPoint2).ToList();
            var exact = members.Select(m => m.Points.Point2).ToList();
            measured.Add(new($"{layers}-layer: point 1, median", MemberSeries.Median(p1), "epoch", null, "reported", p1, Key: $"point1L{layers}"));
            measured.Add(new($"{layers}-layer: robust point 2 (validation >= {robustVal:P0}), median over the seeds that reach it", MemberSeries.Median(p2), "epoch", null, $"decides: reached within {budget:0} epochs", p2, Key: $"point2L{layers}"));
            measured.Add(new($"{layers}-layer: point 2 at exactly 100% validation accuracy, median over the seeds that reach it", MemberSeries.Median(exact), "epoch", null, "reported", exact, Key: $"point2ExactL{layers}"));
            figures.Add(MemberSeries.AccuracyFigure(arm, $"accuracy-{layers}-layer", $"{context.Claim.Id} (PB Fig. 4): {layers}-layer LayerNorm, accuracy (dots: points 1, 2)", arm.Members, members.ToDictionary(m => m.Spec.Index, m => m.Points), robustVal));
        }

        var (overall, combined) = SeedVerdicts.CombineGroups(verdicts);
        return new AnalysisResult(overall, combined, measured, figures);
    }

    public static SeedFinding Judge(long seed, GrokkingPoints p, double budgetEpochs, double robustVal)
    {
        bool diverged = p.DivergedEpoch is not null;
        if (!double.IsFinite(p.Point1))
        {
            return new(seed, Verdict.Inconclusive, diverged ? $"diverged at epoch {p.DivergedEpoch:0} before 100% train accuracy" : $"never reached 100% train accuracy within {budgetEpochs:0} epochs", diverged);
        }

        if (double.IsFinite(p.RobustPoint2))
        {
            string exact = double.IsFinite(p.Point2) ? $"100% at epoch {p.Point2:0}" : "100% never reached";
            return new(seed, diverged ? Verdict.Inconclusive : Verdict.Confirmed, $"point 1 epoch {p.Point1:0}, robust point 2 epoch {p.RobustPoint2:0} ({exact}){(diverged ? $"; diverged at epoch {p.DivergedEpoch:0}" : "")}", diverged);
        }

        return diverged
            ? new(seed, Verdict.Inconclusive, $"memorized at epoch {p.Point1:0}, diverged at epoch {p.DivergedEpoch:0} before {robustVal:P0} validation accuracy", true)
            : new(seed, Verdict.Refuted, $"memorized at epoch {p.Point1:0} but validation accuracy stayed below {robustVal:P0} (max {p.MaxVal:P1}) for the whole budget of {budgetEpochs:0} epochs");
    }
}
