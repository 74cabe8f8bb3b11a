namespace Grokking.Claims.Analyses;

/// <summary>
/// MC-2: without weight decay validation accuracy stays low for the whole budget. Per seed (members with the
/// claim's weight decay, 0): the highest validation accuracy over the budget must stay below
/// <c>maxValAccuracy</c>. The budget must be long enough to tell: it must exceed <c>minBudgetOverGrokking</c>
/// times the latest point 2 of the run's members with weight decay <c>referenceWeightDecay</c> (which must all
/// have grokked); otherwise the claim is inconclusive.
/// </summary>
public sealed class NoGrokkingWithoutWeightDecay : IClaimAnalysis
{
    public string Name => "no-grokking-without-weight-decay";

    public IReadOnlyList<string> RequiredTolerances => ["maxValAccuracy", "referenceWeightDecay", "minBudgetOverGrokking"];

    public AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Run.Result;
        double maxVal = claim.ToleranceOf("maxValAccuracy");
        double referenceWd = claim.ToleranceOf("referenceWeightDecay");
        double factor = claim.ToleranceOf("minBudgetOverGrokking");
        double budget = result.EpochOf(result.StepsCompleted);

        var reference = result.Members.Where(m => Math.Abs(m.WeightDecay - referenceWd) < 1e-12 && claim.Seeds.Contains(m.Seed)).ToList();
        var referencePoint2 = reference.Select(m => result.Events[m.Index]).Select(e => e.ReachedVal ? result.EpochOf(e.ValThresholdStep) : double.NaN).ToList();
        bool referenceGrokked = reference.Count > 0 && referencePoint2.All(double.IsFinite);
        double needed = referenceGrokked ? referencePoint2.Max() * factor : double.NaN;

        var maxValPerSeed = new List<double>();
        var finalValPerSeed = new List<double>();
        var findings = new List<SeedFinding>();
        foreach (var m in context.Members)
        {
            var rows = MemberSeries.Rows(result, m.Index);
            double best = rows.Length == 0 ? double.NaN : rows.Max(r => r.ValAccuracy);
            maxValPerSeed.Add(best);
            finalValPerSeed.Add(rows.Length == 0 ? double.NaN : rows[^1].ValAccuracy);
            var e = result.Events[m.Index];
            findings.Add(e.Diverged
                ? new(m.Seed, Verdict.Inconclusive, $"diverged at step {e.DivergedStep}")
                : best >= maxVal
                    ? new(m.Seed, Verdict.Refuted, $"validation accuracy reached {best:P1} (>= {maxVal:P0}) without weight decay")
                    : !referenceGrokked
                        ? new(m.Seed, Verdict.Inconclusive, $"validation stayed below {best:P1}, but the weight-decay {referenceWd} members did not all grok, so the budget of {budget:0} epochs cannot show that grokking was due")
                        : budget < needed
                            ? new(m.Seed, Verdict.Inconclusive, $"budget {budget:0} epochs is shorter than {factor}x the weight-decay members' point 2 ({needed:0} epochs)")
                            : new(m.Seed, Verdict.Confirmed, $"max validation accuracy {best:P1} over {budget:0} epochs"));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var measured = new List<MeasuredValue>
        {
            new("max validation accuracy without weight decay, max over seeds", maxValPerSeed.Count == 0 ? double.NaN : maxValPerSeed.Max(), "", null, $"< {maxVal}", maxValPerSeed),
            new("final validation accuracy without weight decay, median", MemberSeries.Median(finalValPerSeed), "", null, null, finalValPerSeed),
            new("budget", budget, "epoch", null, $">= {factor} x reference point 2"),
            new($"point 2 with weight decay {referenceWd}, max over seeds", referencePoint2.Count == 0 ? double.NaN : referencePoint2.Max(), "epoch", claim.Paper.FirstOrDefault(p => p.Name == "point 2")?.Value, null, referencePoint2),
        };
        var members = context.Members.Concat(reference).ToList();
        var figure = MemberSeries.AccuracyFigure(context, "accuracy", $"{claim.Id}: accuracy without weight decay vs with weight decay {referenceWd}", members, markEvents: false);
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }
}
