using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-5 (Omnigrok Fig. 7b): training at a constant weight norm (the companion experiment <c>constrainedExperiment</c>)
/// makes train and test accuracy rise together. Per seed, the grokking gap is the steps from <c>accuracyLevel</c>
/// train accuracy to the same test accuracy; the constrained gap over the unconstrained one is compared with
/// <c>maxGapRatio</c> over the seeds by the claim's scope (<see cref="Thresholds.Judge"/>). Event preconditions: a seed
/// whose constrained model fits but never generalizes within the budget refutes (grokking made endless is not
/// eliminated); a seed where a run never fits, or the unconstrained run has no gap to shrink, leaves it undecided.
/// The negative control puts the unconstrained run in the constrained one's place: its gap is its own (ratio 1),
/// nothing was eliminated, so the rule must refute it.
/// </summary>
public sealed class ConstrainedDegrokking : ClaimAnalysis<ConstrainedDegrokking.Parameters>
{
    public const string ConstrainedExperiment = "og-modular-constrained";

    public const string Control = "unconstrained-as-constrained";

    public override string Name => "constrained-degrokking";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>
    /// OG-5's rule: the level that marks fitting and generalizing, and the largest constrained / unconstrained gap
    /// that still reads as "rise together" (above 1 the gap did not shrink at all).
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(0, 1)] double MaxGapRatio);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Run(context, context.Companion(ConstrainedExperiment), parameters, figures: true);

    /// <summary>The rule with the unconstrained run read as the constrained one (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, context, parameters, figures: false);

    private static AnalysisResult Run(ClaimContext context, ClaimContext constrained, Parameters parameters, bool figures)
    {
        var free = Times(context, parameters.AccuracyLevel);
        var held = Times(constrained, parameters.AccuracyLevel);
        var seeds = free.Keys.Intersect(held.Keys).Order().ToList();
        var findings = seeds.Select(s => Judge(s, free[s], held[s], parameters)).ToList();
        var ratios = seeds.Select((s, i) => findings[i].Verdict == Verdict.Inconclusive || findings[i].Diverged
            ? double.NaN : GapRatio(free[s], held[s])).ToList();
        var comparison = Thresholds.Judge(context.Claim.ScopeKind, new Quantity("gapRatio", "constrained gap / unconstrained gap"),
            ratios, Relation.AtMost, parameters.MaxGapRatio);
        var events = findings.Any(f => f.Verdict == Verdict.Refuted) ? Verdict.Refuted
            : findings.Any(f => f.Verdict == Verdict.Inconclusive) ? Verdict.Inconclusive : Verdict.Confirmed;
        var verdict = SeedVerdicts.Worst([comparison.Verdict, events]);
        string reason = $"{comparison.Verdict.ToString().ToUpperInvariant()}: {comparison.Reason} — "
            + string.Join("; ", findings.Select(f => $"{f.Subject}: {f.Reason}"));
        return new AnalysisResult(verdict, reason, Values(seeds, free, held, ratios, parameters), figures ? [Figure(context, constrained)] : [])
        {
            Comparisons = [comparison],
        };
    }

    private static Dictionary<long, AccuracyTimes> Times(ClaimContext arm, double level) =>
        arm.Members.ToDictionary(m => m.Seed, m => AccuracyTimes.Of(arm.Result, m.Index, level));

    /// <summary>The constrained run's grokking gap over the unconstrained one's (train to test at the level).</summary>
    private static double GapRatio(AccuracyTimes u, AccuracyTimes c) => (c.TestStep - c.TrainStep) / (u.TestStep - u.TrainStep);

    /// <summary>
    /// A seed's events: REFUTED when the constrained model fits but never generalizes; INCONCLUSIVE when a run never
    /// fits or the unconstrained run has no gap; otherwise CONFIRMED, meaning only that its ratio can be read.
    /// </summary>
    private static SeedFinding Judge(long seed, AccuracyTimes u, AccuracyTimes c, Parameters p)
    {
        double gapU = u.TestStep - u.TrainStep;
        double gapC = c.TestStep - c.TrainStep;
        static string Show(double step) => AccuracyTimes.Show(step);
        string text = $"unconstrained train {Show(u.TrainStep)} / test {Show(u.TestStep)} (gap {Show(gapU)}), "
            + $"constrained train {Show(c.TrainStep)} / test {Show(c.TestStep)} (gap {Show(gapC)})";
        bool diverged = u.Diverged || c.Diverged;
        return !double.IsFinite(c.TrainStep) || !double.IsFinite(u.TrainStep)
                ? new SeedFinding(seed, Verdict.Inconclusive, $"a run never reached {p.AccuracyLevel:P0} train accuracy: {text}", diverged)
            : !double.IsFinite(c.TestStep)
                ? new SeedFinding(seed, diverged ? Verdict.Inconclusive : Verdict.Refuted,
                    $"the constrained model fits but never generalizes within the budget: {text}", diverged)
            : !double.IsFinite(u.TestStep) || gapU <= 0
                ? new SeedFinding(seed, Verdict.Inconclusive, $"the unconstrained run has no grokking gap to shrink: {text}", diverged)
                : new SeedFinding(seed, Verdict.Confirmed, $"gap ratio {GapRatio(u, c):0.###}: {text}", diverged);
    }

    private static List<MeasuredValue> Values(
        List<long> seeds, Dictionary<long, AccuracyTimes> free, Dictionary<long, AccuracyTimes> held, List<double> ratios, Parameters p)
    {
        string level = $"{p.AccuracyLevel:P0}";
        MeasuredValue Steps(string name, string key, Func<long, double> step)
        {
            var perSeed = seeds.Select(step).ToList();
            return new(name, MemberSeries.Median(perSeed), "step", null, null, perSeed, Key: key);
        }

        return
        [
            new("constrained gap / unconstrained gap (max over seeds)", MemberSeries.Max(ratios), "", null, $"<= {p.MaxGapRatio}", ratios,
                Key: "gapRatio"),
            Steps($"unconstrained: steps to {level} train accuracy (median)", "freeTrain", s => free[s].TrainStep),
            Steps($"unconstrained: steps to {level} test accuracy (median)", "freeTest", s => free[s].TestStep),
            Steps($"constrained: steps to {level} train accuracy (median)", "heldTrain", s => held[s].TrainStep),
            Steps($"constrained: steps to {level} test accuracy (median)", "heldTest", s => held[s].TestStep),
        ];
    }

    /// <summary>Accuracy against log10(step) in both arms, side by side.</summary>
    private static ClaimFigure Figure(ClaimContext context, ClaimContext constrained)
    {
        var arms = new[] { (Title: "unconstrained (weight decay)", Arm: context), (Title: "norm held fixed", Arm: constrained) };
        var panels = arms.Select(p =>
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
        string id = context.Claim.Id;
        return context.Plot("constrained", $"{id}: unconstrained vs constrained accuracy",
            (dir, file) => PanelChart.Write(dir, file, $"{id}: accuracy without and with the norm held fixed (Omnigrok Fig. 7)", panels));
    }
}
