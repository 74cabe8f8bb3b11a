using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Data;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-8 (Thilak et al. 2022, read by the PG slides): grokking "is absent without" slingshots, tested on the same setup
/// trained with a non-adaptive optimizer, which Thilak et al. report shows neither. Reads the non-adaptive arm's per-step
/// traces (<see cref="SlingshotTraces"/>, one member per seed) and, for how long grokking takes in this setup, the
/// adaptive arm (<see cref="AdaptiveExperiment"/>, a companion).
/// <list type="bullet">
/// <item>Preconditions per seed: the model fits its training set (train accuracy reaches <c>fitLevel</c> at t_2;
/// otherwise undecided: a model that never trained proves nothing), and the run is long enough to show an absence (at
/// least the adaptive arm's largest t_4 / t_2, measured in its completed seeds, times the seed's own t_2: each optimizer
/// gets as many multiples of its own fitting time as the adaptive one needed to grok). A seed that generalizes with no
/// delay (t_4 &lt; <c>minDelayRatio</c> · t_2) does not grok and has no delayed-accuracy value.</item>
/// <item>Comparisons, universal (one seed past a bound by more than the resolution refutes): train-loss spike onsets after
/// the fit (the slingshots' phase: after the model fits) ≤ <c>minSpikes</c> − 1 (PG-3's spike rule; resolution 0), and the
/// highest validation accuracy from <c>minDelayRatio</c> · t_2 on ≤ <c>valLevel</c> (resolution one validation pair).</item>
/// </list>
/// The control (<see cref="AnalyzeControl"/>) reads the adaptive arm's own members as if they were the non-adaptive
/// arm: they fit, spike and grok, so the rule must refute.
/// </summary>
public sealed class SlingshotAbsence : ClaimAnalysis<SlingshotAbsence.Parameters>
{
    /// <summary>The adaptive (AdamW) arm: the budget reference and the control's data.</summary>
    public const string AdaptiveExperiment = "pg-fractions";

    public override string Name => "slingshot-absence";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "adaptive-arm";

    /// <summary>PG-8's rule: PG-3's slingshot and grokking definitions, what "fits" means, and how late grokking is.</summary>
    /// <param name="Spikes">PG-3's slingshot onset rule (<c>spikeWindow</c>, <c>spikeJump</c>, <c>refractory</c>).</param>
    /// <param name="MinSpikes">PG-3's count for cyclic slingshots; fewer onsets after the fit is "absent".</param>
    /// <param name="ValLevel">Validation accuracy whose first row places generalization (t_4), as PG-3.</param>
    /// <param name="FitLevel">Train accuracy whose first row places the fit (t_2).</param>
    /// <param name="MinDelayRatio">Least t_4 / t_2 that is grokking (a delay) rather than generalizing as it fits.</param>
    public sealed record Parameters(
        SpikeRule Spikes,
        [Within(1, int.MaxValue)] int MinSpikes,
        [Within(0, 1)] double ValLevel,
        [Within(0, 1)] double FitLevel,
        [Within(1, 1000)] double MinDelayRatio);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Decide(context, context.Companion(AdaptiveExperiment), parameters, "non-adaptive arm", withFigure: true);

    /// <summary>The control: the same rule on the adaptive arm's members (they slingshot and grok).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var adaptive = context.Companion(AdaptiveExperiment);
        return Decide(adaptive, adaptive, parameters, "adaptive arm read as the non-adaptive one (control)", withFigure: false);
    }

    private static AnalysisResult Decide(ClaimContext judged, ClaimContext reference, Parameters p, string arm, bool withFigure)
    {
        var budget = BudgetReference.Of(reference, p);
        var seeds = SlingshotTraces.Of(judged).Select(t => AbsenceSeed.Measure(t, p, budget.Ratio)).ToList();
        var (seedVerdict, seedReason) = SeedVerdicts.Combine([.. seeds.Select(s => s.Judge(p))]);
        var comparisons = Comparisons(judged, seeds, p);
        var (compared, comparedReason) = Thresholds.Combine(comparisons);
        var verdict = SeedVerdicts.Worst([seedVerdict, budget.Verdict, compared]);
        string reason = $"{arm}: {comparedReason}; per seed: {seedReason}; budget: {budget.Reason}";
        IReadOnlyList<ClaimFigure> figures = withFigure ? [Figure(judged, seeds)] : [];
        return new AnalysisResult(verdict, reason, Values(seeds, budget), figures) { Comparisons = comparisons };
    }

    /// <summary>The two universal comparisons over the seeds that fit (a seed that never fit has no values).</summary>
    private static List<Comparison> Comparisons(ClaimContext judged, IReadOnlyList<AbsenceSeed> seeds, Parameters p)
    {
        var scope = judged.Claim.ScopeKind;
        return
        [
            Thresholds.Judge(scope, new Quantity("lossSpikes", $"train-loss spike onsets after the fit (fewer than {p.MinSpikes}: no slingshots)",
                "spikes"), [.. seeds.Select(s => s.SpikesAfterFit)], Relation.AtMost, p.MinSpikes - 1, resolution: 0),
            Thresholds.Judge(scope, new Quantity("delayedVal", $"highest validation accuracy from {p.MinDelayRatio:0.##} x the fit step on "
                + "(below the level: no grokking)"), [.. seeds.Select(s => s.DelayedVal)], Relation.AtMost, p.ValLevel,
                resolution: ValidationPair(judged)),
        ];
    }

    /// <summary>One validation pair of the judged members (the operation table less the member's train split): the accuracy's step.</summary>
    public static double ValidationPair(ClaimContext context)
    {
        var data = context.RunOptions.Data;
        int total = ModularArithmeticDataset.Create(data.Operation, data.Modulus, data.Format).Count;
        double fraction = context.Members.Select(m => m.TrainFraction).FirstOrDefault(double.IsFinite, data.TrainFraction);
        return 1.0 / Math.Max(1, total - PopulationDataFactory.SplitSize(total, fraction));
    }

    private static List<MeasuredValue> Values(IReadOnlyList<AbsenceSeed> seeds, BudgetReference budget)
    {
        List<double> Of(Func<AbsenceSeed, double> f) => [.. seeds.Select(f)];
        MeasuredValue Median(string key, string name, string unit, string tolerance, List<double> perSeed) =>
            new(name, MemberSeries.Median(perSeed), unit, null, tolerance, perSeed, Key: key);
        var spikes = Of(s => s.SpikesAfterFit);
        var delayed = Of(s => s.DelayedVal);
        return
        [
            new("train-loss spike onsets after the fit (max over seeds)", MemberSeries.Max(spikes), "spikes", null, "decides", spikes,
                Key: "lossSpikes"),
            new("highest validation accuracy after the delay (max over seeds)", MemberSeries.Max(delayed), "", null, "decides", delayed,
                Key: "delayedVal"),
            Median("fitStep", "step train accuracy reaches the fit level (t_2; median over seeds; NaN = never)", "step", "precondition",
                Of(s => s.FitStep)),
            Median("generalizedStep", "step validation accuracy reaches its level (t_4; median; NaN = never)", "step", "reported",
                Of(s => s.GeneralizedStep)),
            Median("maxTrainAccuracy", "highest train accuracy (median over seeds)", "", "reported", Of(s => s.MaxTrain)),
            Median("lossSpikesAll", "train-loss spike onsets over the whole run, fit or not (median)", "spikes", "reported",
                Of(s => s.SpikesAll)),
            Median("normSpikes", "output-layer norm growth spike onsets after the fit (median)", "spikes", "reported",
                Of(s => s.NormSpikesAfterFit)),
            Median("stepsRun", "steps trained before the end or a divergence (median)", "step", "reported", Of(s => s.StepsRun)),
            Median("budgetNeeded", "steps needed to show an absence: reference t_4/t_2 x the seed's t_2 (median)", "step", "precondition",
                Of(s => s.Needed)),
            new("reference: the adaptive arm's largest t_4 / t_2 over its completed seeds", budget.Ratio, "", null, "precondition",
                budget.Ratios, Key: "referenceRatio"),
        ];
    }

    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<AbsenceSeed> seeds)
    {
        string title = $"{context.Claim.Id}: non-adaptive arm, train loss, train and validation accuracy; dotted: the fit (t_2) "
            + "and train-loss spike onsets after it";
        var panels = seeds.Select(Panel).ToList();
        return context.Plot("absence", title, (dir, file) => PanelChart.Write(dir, file, title, panels));
    }

    private static ChartPanel Panel(AbsenceSeed s)
    {
        var t = s.Traces;
        double[] steps = [.. Enumerable.Range(0, t.Loss.Length).Select(SlingshotTraces.StepOf)];
        var loss = Envelope.Of(steps, t.Loss);
        double[] rowSteps = [.. t.Rows.Select(r => (double)r.Step)];
        var markers = s.Onsets.Select(o => (SlingshotTraces.StepOf(o), "")).ToList();
        if (double.IsFinite(s.FitStep))
        {
            markers.Add((s.FitStep, "fit"));
        }

        return new ChartPanel(
            $"seed {t.Spec.Seed}{(t.Diverged ? $" (diverged at {t.DivergedStep})" : "")}",
            "step",
            "log scale",
            [
                ("train loss", loss.X, loss.Y),
                ("train accuracy", rowSteps, [.. t.Rows.Select(r => r.TrainAccuracy)]),
                ("validation accuracy", rowSteps, [.. t.Rows.Select(r => r.ValAccuracy)]),
            ],
            markers,
            LogY: true);
    }
}
