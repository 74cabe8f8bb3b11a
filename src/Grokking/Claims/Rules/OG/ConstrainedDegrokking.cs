using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-5 (Omnigrok Fig. 7b): training at a constant weight norm (the companion experiment <c>constrainedExperiment</c>)
/// makes train and test accuracy rise together. Per seed, the grokking gap is the steps from <c>accuracyLevel</c>
/// train accuracy to the same test accuracy; CONFIRMED when the constrained gap is at most <c>maxGapRatio</c> times
/// the unconstrained one in every seed; REFUTED when it is larger, or when the constrained model fits but never
/// generalizes within the budget; INCONCLUSIVE when the unconstrained run never groks (no gap to shrink) or a run
/// never fits.
/// </summary>
public sealed class ConstrainedDegrokking : LegacyClaimAnalysis
{
    public const string ConstrainedExperiment = "og-modular-constrained";

    public override string Name => "constrained-degrokking";

    public override IReadOnlyList<string> RequiredTolerances => ["accuracyLevel", "maxGapRatio"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double level = claim.ToleranceOf("accuracyLevel");
        double maxRatio = claim.ToleranceOf("maxGapRatio");
        var constrained = context.Companion(ConstrainedExperiment);

        var free = context.Members.ToDictionary(m => m.Seed, m => AccuracyTimes.Of(context.Result, m.Index, level));
        var held = constrained.Members.ToDictionary(m => m.Seed, m => AccuracyTimes.Of(constrained.Result, m.Index, level));
        var seeds = free.Keys.Intersect(held.Keys).Order().ToList();
        var ratios = new List<double>();
        var findings = new List<SeedFinding>();
        foreach (long seed in seeds)
        {
            var (u, c) = (free[seed], held[seed]);
            double gapU = u.TestStep - u.TrainStep;
            double gapC = c.TestStep - c.TrainStep;
            double ratio = gapC / gapU;
            ratios.Add(ratio);
            string text = $"unconstrained train {AccuracyTimes.Show(u.TrainStep)} / test {AccuracyTimes.Show(u.TestStep)} (gap {AccuracyTimes.Show(gapU)}), constrained train {AccuracyTimes.Show(c.TrainStep)} / test {AccuracyTimes.Show(c.TestStep)} (gap {AccuracyTimes.Show(gapC)})";
            bool diverged = u.Diverged || c.Diverged;
            findings.Add(
                !double.IsFinite(c.TrainStep) || !double.IsFinite(u.TrainStep) ? new SeedFinding(seed, Verdict.Inconclusive, $"a run never reached {level:P0} train accuracy: {text}", diverged)
                : !double.IsFinite(c.TestStep) ? new SeedFinding(seed, diverged ? Verdict.Inconclusive : Verdict.Refuted, $"the constrained model fits but never generalizes within the budget: {text}", diverged)
                : !double.IsFinite(u.TestStep) || gapU <= 0 ? new SeedFinding(seed, Verdict.Inconclusive, $"the unconstrained run has no grokking gap to shrink: {text}", diverged)
                : ratio <= maxRatio ? new SeedFinding(seed, Verdict.Confirmed, $"gap ratio {ratio:0.###} (<= {maxRatio}): {text}", diverged)
                : new SeedFinding(seed, Verdict.Refuted, $"gap ratio {ratio:0.###} (> {maxRatio}): {text}", diverged));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var measured = new List<MeasuredValue>
        {
            new("constrained gap / unconstrained gap (max over seeds)", MemberSeries.Max(ratios), "", null, $"<= {maxRatio}", ratios, Key: "gapRatio"),
            new($"unconstrained: steps to {level:P0} train accuracy (median)", MemberSeries.Median(seeds.Select(s => free[s].TrainStep)), "step", null, null, seeds.Select(s => free[s].TrainStep).ToList(), Key: "freeTrain"),
            new($"unconstrained: steps to {level:P0} test accuracy (median)", MemberSeries.Median(seeds.Select(s => free[s].TestStep)), "step", null, null, seeds.Select(s => free[s].TestStep).ToList(), Key: "freeTest"),
            new($"constrained: steps to {level:P0} train accuracy (median)", MemberSeries.Median(seeds.Select(s => held[s].TrainStep)), "step", null, null, seeds.Select(s => held[s].TrainStep).ToList(), Key: "heldTrain"),
            new($"constrained: steps to {level:P0} test accuracy (median)", MemberSeries.Median(seeds.Select(s => held[s].TestStep)), "step", null, null, seeds.Select(s => held[s].TestStep).ToList(), Key: "heldTest"),
        };

        var panels = new[] { (Title: "unconstrained (weight decay)", Arm: context), (Title: "norm held fixed", Arm: constrained) }.Select(p =>
        {
            var series = new List<(string, double[], double[])>();
            foreach (var m in p.Arm.Members)
            {
                var rows = MemberSeries.Rows(p.Arm.Result, m.Index);
                var x = rows.Select(r => Math.Log10(r.Step)).ToArray();
                series.Add(($"seed {m.Seed}", x, rows.Select(r => r.TrainAccuracy).ToArray()));
                series.Add(($"seed {m.Seed}", x, rows.Select(r => r.ValAccuracy).ToArray()));
            }

            return new ChartPanel(p.Title, "log10 step", "accuracy (solid train, dashed test)", series);
        }).ToList();
        var (dir, file) = context.Figure("constrained");
        var figure = context.FigureOf($"{claim.Id}: unconstrained vs constrained accuracy", PanelChart.Write(dir, file, $"{claim.Id}: accuracy without and with the norm held fixed (Omnigrok Fig. 7)", panels));
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }
}
