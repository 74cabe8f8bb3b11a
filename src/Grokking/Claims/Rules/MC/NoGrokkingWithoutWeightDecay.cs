using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Training;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// MC-2 (universal, issue 25): without weight decay validation accuracy stays low for the whole budget. Per seed
/// (members with the claim's weight decay, 0): the highest validation accuracy over the budget must stay at most
/// <c>maxValAccuracy</c>; one seed past it by more than one validation pair refutes. The budget must be long enough to
/// tell: at least <c>minBudgetOverGrokking</c> times the latest robust point 2 (validation accuracy &gt;=
/// <c>robustValAccuracy</c>) of the run's completed members with weight decay <c>referenceWeightDecay</c>, at least
/// three of which must have grokked, otherwise the claim is inconclusive. A member that passed the bound before
/// diverging refutes. Control: the same rule on the reference (weight-decay) members, which grok.
/// </summary>
public sealed class NoGrokkingWithoutWeightDecay : ClaimAnalysis<NoGrokkingWithoutWeightDecay.Parameters>
{
    public override string Name => "no-grokking-without-weight-decay";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "weight-decay-members";

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
    /// The robust points 2 of the members with the reference weight decay, whether enough of them completed and grokked to
    /// show how long grokking takes, and the budget that would then be long enough (NaN when they did not).
    /// </summary>
    public sealed record Reference(IReadOnlyList<double> Point2, bool Grokked, double Needed);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var (decided, reference) = DecideOn(context, context.Members, p);
        string title = $"{context.Claim.Id}: accuracy without weight decay vs with weight decay {p.ReferenceWeightDecay}";
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", title, context.Members.Concat(reference).ToList());
        return decided with { Figures = [figure] };
    }

    /// <summary>The rule applied to the weight-decay members themselves (they grok, so it must refute).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p) => DecideOn(context, ReferenceMembers(context, p), p).Result;

    private static (AnalysisResult Result, IReadOnlyList<MemberSpec> Reference) DecideOn(
        ClaimContext context, IReadOnlyList<MemberSpec> judged, Parameters p)
    {
        var result = context.Result;
        var reference = ReferenceMembers(context, p);
        var referencePoints = reference.Select(m => GrokkingPoints.Of(result, m.Index, p.RobustValAccuracy)).ToList();
        var seeds = judged.Select(m => (m.Seed, GrokkingPoints.Of(result, m.Index, p.RobustValAccuracy))).ToList();
        double budget = result.EpochOf(result.StepsCompleted);
        return (Decide(context.Claim.ScopeKind, seeds, ReferenceOf(referencePoints, p), budget, ValidationPair(context), p), reference);
    }

    /// <summary>One validation pair, the resolution of an accuracy: 1 / validation-set size (the run's table minus its train split).</summary>
    public static double ValidationPair(ClaimContext context)
    {
        var data = context.RunOptions.Data;
        int total = Data.ModularArithmeticDataset.Create(data.Operation, data.Modulus, data.Format).Count;
        return 1.0 / Math.Max(1, total - Data.PopulationDataFactory.TrainCount(data));
    }

    /// <summary>The run's members with the reference weight decay among the claim's seeds (the member filter selects the others).</summary>
    private static List<MemberSpec> ReferenceMembers(ClaimContext context, Parameters p) =>
        context.Result.Members
            .Where(m => Math.Abs(m.WeightDecay - p.ReferenceWeightDecay) < 1e-12 && context.Claim.ReadsSeed(m.Seed))
            .ToList();

    /// <summary>The reference members' robust points 2, whether at least three completed and all of those grokked, and the budget needed.</summary>
    public static Reference ReferenceOf(IReadOnlyList<GrokkingPoints> points, Parameters p)
    {
        var completed = points.Where(x => x.DivergedEpoch is null).ToList();
        bool grokked = completed.Count >= SeedVerdicts.MinimumSeeds && completed.All(x => double.IsFinite(x.RobustPoint2));
        double needed = grokked ? completed.Max(x => x.RobustPoint2) * p.MinBudgetOverGrokking : double.NaN;
        return new Reference(points.Select(x => x.RobustPoint2).ToList(), grokked, needed);
    }

    /// <summary>
    /// The rule on the judged seeds' points (member order): the universal comparison of their highest validation accuracy,
    /// bounded by the preconditions (reference grokked, budget long enough, seeds completed).
    /// </summary>
    public static AnalysisResult Decide(
        ClaimScope scope,
        IReadOnlyList<(long Seed, GrokkingPoints Points)> seeds,
        Reference reference,
        double budget,
        double resolution,
        Parameters p)
    {
        var maxVal = seeds.Select(s => s.Points.MaxVal).ToList();
        var comparison = Thresholds.Judge(
            scope, new Quantity("maxValNoWd", "highest validation accuracy over the budget"), maxVal, Relation.AtMost, p.MaxValAccuracy, resolution);
        var events = seeds.Select(s => Events(s.Seed, s.Points, p, reference, budget)).ToList();
        var (verdict, reason) = AuditedVerdict.Of(events, [comparison]);
        var measured = new List<MeasuredValue>
        {
            new("max validation accuracy without weight decay, max over seeds", MemberSeries.Max(maxVal), "", null,
                $"<= {p.MaxValAccuracy} in every seed (resolution {resolution:G3}: one validation pair)", maxVal, Key: "maxValNoWd"),
            new("budget", budget, "epoch", null, $">= {p.MinBudgetOverGrokking} x reference robust point 2", Key: "budget"),
            new($"robust point 2 (validation >= {p.RobustValAccuracy:P0}) with weight decay {p.ReferenceWeightDecay}, max over seeds",
                MemberSeries.Max(reference.Point2), "epoch", p.PaperPoint2, null, reference.Point2, Key: "referencePoint2"),
        };
        return new AnalysisResult(verdict, reason, measured, []) { Comparisons = [comparison] };
    }

    /// <summary>
    /// Whether one judged seed can count: completed, and the budget long enough for grokking to have happened by the
    /// reference members' timing. A value past the bound refutes through the comparison whatever this says.
    /// </summary>
    private static SeedFinding Events(long seed, GrokkingPoints points, Parameters p, Reference reference, double budget)
    {
        if (points.DivergedEpoch is not null)
        {
            return new(seed, Verdict.Inconclusive,
                $"diverged at epoch {points.DivergedEpoch:0} (max validation accuracy {points.MaxVal:P1} before)", true);
        }

        if (!reference.Grokked)
        {
            return new(seed, Verdict.Inconclusive,
                $"validation stayed at most {points.MaxVal:P1}, but fewer than {SeedVerdicts.MinimumSeeds} completed weight-decay "
                + $"{p.ReferenceWeightDecay} members reached {p.RobustValAccuracy:P0} validation accuracy, so the budget of "
                + $"{budget:0} epochs cannot show that grokking was due");
        }

        return budget < reference.Needed
            ? new(seed, Verdict.Inconclusive,
                $"budget {budget:0} epochs is shorter than {p.MinBudgetOverGrokking}x the weight-decay members' robust point 2 "
                + $"({reference.Needed:0} epochs)")
            : AuditedVerdict.Came(seed, $"max validation accuracy {points.MaxVal:P1} over {budget:0} epochs");
    }
}
