using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Training;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-2: without weight decay validation accuracy stays low for the whole budget. Per seed (members with the
/// claim's weight decay, 0): the highest validation accuracy over the budget must stay below
/// <c>maxValAccuracy</c>. The budget must be long enough to tell: it must exceed <c>minBudgetOverGrokking</c>
/// times the latest robust point 2 (validation accuracy >= <c>robustValAccuracy</c>) of the run's completed
/// members with weight decay <c>referenceWeightDecay</c>; at least three of them must have grokked, otherwise
/// the claim is inconclusive. A member that passed <c>maxValAccuracy</c> before diverging refutes the claim.
/// </summary>
public sealed class NoGrokkingWithoutWeightDecay : ClaimAnalysis<NoGrokkingWithoutWeightDecay.Parameters>
{
    public override string Name => "no-grokking-without-weight-decay";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// MC-2's rule parameters (the robust point 2 from the block robust-point-2) and the paper's point 2, reported
    /// beside the reference members' robust point 2.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double MaxValAccuracy,
        [Within(0, 10)] double ReferenceWeightDecay,
        [Within(1, 100)] double MinBudgetOverGrokking,
        [Within(0.5, 1)] double RobustValAccuracy,
        [FromPaper("point 2")] double PaperPoint2);

    /// <summary>
    /// The members with the reference weight decay, their robust points 2, whether enough of them grokked to show how
    /// long grokking takes, and the budget that would then be long enough (NaN when they did not).
    /// </summary>
    private sealed record Reference(IReadOnlyList<MemberSpec> Members, List<double> Point2, bool Grokked, double Needed);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var result = context.Result;
        double budget = result.EpochOf(result.StepsCompleted);
        var reference = ReferenceOf(context, p);
        var points = context.Members.Select(m => GrokkingPoints.Of(result, m.Index, p.RobustValAccuracy)).ToList();
        var findings = context.Members.Select((m, i) => Judge(m.Seed, points[i], p, reference, budget)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var maxValPerSeed = points.Select(x => x.MaxVal).ToList();
        var measured = new List<MeasuredValue>
        {
            new("max validation accuracy without weight decay, max over seeds", MemberSeries.Max(maxValPerSeed), "", null,
                $"< {p.MaxValAccuracy}", maxValPerSeed, Key: "maxValNoWd"),
            new("budget", budget, "epoch", null, $">= {p.MinBudgetOverGrokking} x reference robust point 2", Key: "budget"),
            new($"robust point 2 (validation >= {p.RobustValAccuracy:P0}) with weight decay {p.ReferenceWeightDecay}, max over seeds",
                MemberSeries.Max(reference.Point2), "epoch", p.PaperPoint2, null, reference.Point2, Key: "referencePoint2"),
        };
        string title = $"{context.Claim.Id}: accuracy without weight decay vs with weight decay {p.ReferenceWeightDecay}";
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", title, context.Members.Concat(reference.Members).ToList());
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }

    /// <summary>The run's members with the reference weight decay among the claim's seeds (the member filter selects the controls).</summary>
    private static Reference ReferenceOf(ClaimContext context, Parameters p)
    {
        var result = context.Result;
        var members = result.Members
            .Where(m => Math.Abs(m.WeightDecay - p.ReferenceWeightDecay) < 1e-12 && context.Claim.ReadsSeed(m.Seed))
            .ToList();
        var points = members.Select(m => GrokkingPoints.Of(result, m.Index, p.RobustValAccuracy)).ToList();
        var completed = points.Where(x => x.DivergedEpoch is null).ToList();
        bool grokked = completed.Count >= SeedVerdicts.MinimumSeeds && completed.All(x => double.IsFinite(x.RobustPoint2));
        double needed = grokked ? completed.Max(x => x.RobustPoint2) * p.MinBudgetOverGrokking : double.NaN;
        return new Reference(members, points.Select(x => x.RobustPoint2).ToList(), grokked, needed);
    }

    /// <summary>
    /// One control: refuted once its validation accuracy reached the limit (before a divergence too); otherwise
    /// confirmed only when it completed a budget long enough for grokking to have happened.
    /// </summary>
    private static SeedFinding Judge(long seed, GrokkingPoints points, Parameters p, Reference reference, double budget)
    {
        bool diverged = points.DivergedEpoch is not null;
        if (points.MaxVal >= p.MaxValAccuracy)
        {
            string before = diverged ? $" before diverging at epoch {points.DivergedEpoch:0}" : "";
            return new(seed, Verdict.Refuted,
                $"validation accuracy reached {points.MaxVal:P1} (>= {p.MaxValAccuracy:P0}) without weight decay{before}", diverged);
        }

        if (diverged)
        {
            return new(seed, Verdict.Inconclusive,
                $"diverged at epoch {points.DivergedEpoch:0} (max validation accuracy {points.MaxVal:P1} before)", true);
        }

        if (!reference.Grokked)
        {
            return new(seed, Verdict.Inconclusive,
                $"validation stayed below {points.MaxVal:P1}, but fewer than {SeedVerdicts.MinimumSeeds} completed weight-decay "
                + $"{p.ReferenceWeightDecay} members reached {p.RobustValAccuracy:P0} validation accuracy, so the budget of "
                + $"{budget:0} epochs cannot show that grokking was due");
        }

        return budget < reference.Needed
            ? new(seed, Verdict.Inconclusive,
                $"budget {budget:0} epochs is shorter than {p.MinBudgetOverGrokking}x the weight-decay members' robust point 2 "
                + $"({reference.Needed:0} epochs)")
            : new(seed, Verdict.Confirmed, $"max validation accuracy {points.MaxVal:P1} over {budget:0} epochs");
    }
}
