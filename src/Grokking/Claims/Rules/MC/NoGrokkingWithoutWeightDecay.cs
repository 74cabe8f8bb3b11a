using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-2: without weight decay validation accuracy stays low for the whole budget. Per seed (members with the
/// claim's weight decay, 0): the highest validation accuracy over the budget must stay below
/// <c>maxValAccuracy</c>. The budget must be long enough to tell: it must exceed <c>minBudgetOverGrokking</c>
/// times the latest robust point 2 (validation accuracy >= <c>robustValAccuracy</c>) of the run's completed
/// members with weight decay <c>referenceWeightDecay</c>; at least three of them must have grokked, otherwise
/// the claim is inconclusive. A member that passed <c>maxValAccuracy</c> before diverging refutes the claim.
/// </summary>
public sealed class NoGrokkingWithoutWeightDecay : LegacyClaimAnalysis
{
    public override string Name => "no-grokking-without-weight-decay";

    public override IReadOnlyList<string> RequiredTolerances => ["maxValAccuracy", "referenceWeightDecay", "minBudgetOverGrokking", "robustValAccuracy"];

    public override IReadOnlyList<string> RequiredPaperValues => ["point 2"];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        double maxVal = claim.ToleranceOf("maxValAccuracy");
        double referenceWd = claim.ToleranceOf("referenceWeightDecay");
        double factor = claim.ToleranceOf("minBudgetOverGrokking");
        double robustVal = claim.ToleranceOf("robustValAccuracy");
        double budget = result.EpochOf(result.StepsCompleted);

        var reference = result.Members.Where(m => Math.Abs(m.WeightDecay - referenceWd) < 1e-12 && claim.ReadsSeed(m.Seed)).ToList();
        var referencePoints = reference.Select(m => GrokkingPoints.Of(result, m.Index, robustVal)).ToList();
        var referencePoint2 = referencePoints.Select(p => p.RobustPoint2).ToList();
        var completedReference = referencePoints.Where(p => p.DivergedEpoch is null).ToList();
        bool referenceGrokked = completedReference.Count >= SeedVerdicts.MinimumSeeds && completedReference.All(p => double.IsFinite(p.RobustPoint2));
        double needed = referenceGrokked ? completedReference.Max(p => p.RobustPoint2) * factor : double.NaN;

        var maxValPerSeed = new List<double>();
        var findings = new List<SeedFinding>();
        foreach (var m in context.Members)
        {
            var points = GrokkingPoints.Of(result, m.Index, robustVal);
            maxValPerSeed.Add(points.MaxVal);
            bool diverged = points.DivergedEpoch is not null;
            findings.Add(points.MaxVal >= maxVal
                ? new(m.Seed, Verdict.Refuted, $"validation accuracy reached {points.MaxVal:P1} (>= {maxVal:P0}) without weight decay{(diverged ? $" before diverging at epoch {points.DivergedEpoch:0}" : "")}", diverged)
                : diverged
                    ? new(m.Seed, Verdict.Inconclusive, $"diverged at epoch {points.DivergedEpoch:0} (max validation accuracy {points.MaxVal:P1} before)", true)
                    : !referenceGrokked
                        ? new(m.Seed, Verdict.Inconclusive, $"validation stayed below {points.MaxVal:P1}, but fewer than {SeedVerdicts.MinimumSeeds} completed weight-decay {referenceWd} members reached {robustVal:P0} validation accuracy, so the budget of {budget:0} epochs cannot show that grokking was due")
                        : budget < needed
                            ? new(m.Seed, Verdict.Inconclusive, $"budget {budget:0} epochs is shorter than {factor}x the weight-decay members' robust point 2 ({needed:0} epochs)")
                            : new(m.Seed, Verdict.Confirmed, $"max validation accuracy {points.MaxVal:P1} over {budget:0} epochs"));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var measured = new List<MeasuredValue>
        {
            new("max validation accuracy without weight decay, max over seeds", MemberSeries.Max(maxValPerSeed), "", null, $"< {maxVal}", maxValPerSeed, Key: "maxValNoWd"),
            new("budget", budget, "epoch", null, $">= {factor} x reference robust point 2", Key: "budget"),
            new($"robust point 2 (validation >= {robustVal:P0}) with weight decay {referenceWd}, max over seeds", MemberSeries.Max(referencePoint2), "epoch", claim.PaperValueOf("point 2"), null, referencePoint2, Key: "referencePoint2"),
        };
        var members = context.Members.Concat(reference).ToList();
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", $"{claim.Id}: accuracy without weight decay vs with weight decay {referenceWd}", members);
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }
}
