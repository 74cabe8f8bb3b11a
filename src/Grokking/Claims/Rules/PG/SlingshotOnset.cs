using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-3 (Thilak et al. 2022, read by the PG paper): with adaptive optimizers grokking happens at the onset of
/// slingshots, cyclic spikes in the train loss and in the last-layer weight norm. Reads a run with per-step traces
/// (<see cref="SlingshotTraces"/>), one member per seed. Spikes are onsets by the <see cref="SpikeRule"/> of
/// <c>spikeWindow</c>, <c>spikeJump</c> and <c>refractory</c>, in the train loss and in the growth rate of the
/// output-layer norm (<see cref="SpikeDetector.GrowthRate"/>).
/// <para>
/// "Grokking happens" at a step: the slides define generalization by t_4, the step validation accuracy reaches the
/// training level, and grokking as that generalization with t_4 ≫ t_2; so grokking is placed at the first metric row
/// with validation accuracy ≥ <c>valLevel</c> (issue 25; before, the first row 10 points above the initial plateau,
/// <see cref="OnsetLag.RiseStart"/>, which fires during memorization and is still reported as the old rule's event).
/// Its lag is counted from the latest train-loss onset at or before it (<see cref="OnsetLag"/>), and read as a phase of
/// that slingshot cycle (the lag over the steps to the next onset; <see cref="OnsetLag.Phase"/>): "at the onset" is early
/// in the cycle, which a lag in steps cannot say when slingshots come every ~90 steps (ci) or every few hundred (the
/// paper's figures). The rows make the lag late by up to Train:MetricsEvery steps.
/// </para>
/// <list type="bullet">
/// <item>Per seed (preconditions): never reaching <c>valLevel</c> leaves the seed undecided; reaching it with no
/// train-loss onset at or before it refutes ("absent without it", a counterexample, diverged later or not); a diverged
/// seed is otherwise not counted (it had less time for its spikes).</item>
/// <item>Comparisons by the claim's scope (<see cref="Thresholds"/>; PG-3 is typical, "almost exclusively"): the phase
/// ≤ <c>maxPhase</c>, and each series' onsets ≥ <c>minSpikes</c> ("cyclic").</item>
/// </list>
/// How many loss onsets have a norm-growth onset within <c>spikeWindow</c> steps, the lag in steps, and the share of
/// steps that pass the phase test by chance, are reported, not gated on. The negative control (<see cref="AnalyzeControl"/>) is the same rule
/// with the train accuracy in place of the validation accuracy: a model that generalizes as soon as it fits, before
/// any slingshot, which the rule must refute.
/// </summary>
public sealed class SlingshotOnset : ClaimAnalysis<SlingshotOnset.Parameters>
{
    public override string Name => "slingshot-onset";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "train-curve-no-delay";

    /// <summary>PG-3's rule: what a slingshot is, how many make them cyclic, when grokking happens, and how soon it must follow.</summary>
    /// <param name="Spikes">The slingshot onset rule (<c>spikeWindow</c>, <c>spikeJump</c>, <c>refractory</c>), shared with PG-5.</param>
    /// <param name="MinSpikes">Onsets each series needs to be "cyclic".</param>
    /// <param name="RiseAbove">The old rule's rise above the initial plateau (a share); its event is reported only.</param>
    /// <param name="MaxPhase">Latest place in its slingshot cycle (0 at the onset, 1 at the next) that is still "at the onset".</param>
    /// <param name="ValLevel">Validation accuracy whose first row places grokking (t_4: the training level).</param>
    public sealed record Parameters(
        SpikeRule Spikes,
        [Within(1, int.MaxValue)] int MinSpikes,
        [Within(0, 1)] double RiseAbove,
        [Within(0, 1)] double MaxPhase,
        [Within(0, 1)] double ValLevel);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Decide(context, parameters, r => r.ValAccuracy, "validation accuracy", withFigure: true);

    /// <summary>The control: the same rule with each seed's train accuracy read as its validation accuracy (no delay).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Decide(context, parameters, r => r.TrainAccuracy, "train accuracy (control: no delay)", withFigure: false);

    private static AnalysisResult Decide(ClaimContext context, Parameters p, Func<MetricRow, double> accuracy, string curve, bool withFigure)
    {
        var seeds = SlingshotTraces.Of(context).Select(t => Measure(t, p, accuracy)).ToList();
        var findings = seeds.Select(s => Judge(s, p, curve)).ToList();
        var comparisons = Comparisons(context.Claim.ScopeKind, seeds, p);
        var (seedVerdict, seedReason) = SeedVerdicts.Combine(findings);
        var (compared, comparedReason) = Thresholds.Combine(comparisons);
        var verdict = SeedVerdicts.Worst([seedVerdict, compared]);
        string chance = $"by chance {MemberSeries.Median([.. seeds.Select(s => s.ChanceShare)]):P0} of the run's steps lie within "
            + $"the first {p.MaxPhase:0.##} of a slingshot cycle (median over seeds)";
        string reason = $"{comparedReason}; per seed ({curve} ≥ {p.ValLevel:P0} places grokking): {seedReason}; {chance}";
        IReadOnlyList<ClaimFigure> figures = withFigure ? [Figure(context, seeds)] : [];
        return new AnalysisResult(verdict, reason, Values(seeds, p), figures) { Comparisons = comparisons };
    }

    /// <summary>
    /// What one seed shows: its spike onsets (sample indices), where its grokking step sits against the loss onsets
    /// (decisive), where the old rule's rise sat (reported), and how many loss onsets a norm onset accompanies.
    /// </summary>
    /// <param name="Spacing">Median steps between successive loss onsets (NaN with fewer than two).</param>
    /// <param name="ChanceShare">
    /// Share of the traced steps whose phase is at most maxPhase: how often a step picked at random would pass the phase
    /// test (reported so a reader sees how weak the test is; about maxPhase when the cycles are regular).
    /// </param>
    /// <param name="Phase">The grokking step's place in its slingshot cycle (<see cref="OnsetLag.Phase"/>): decisive.</param>
    /// <param name="Generalized">Where the grokking step (first row at valLevel) sits against the loss onsets: decisive.</param>
    /// <param name="Rise">Where the old rule's rise (<see cref="OnsetLag.RiseStart"/>) sits: reported.</param>
    private sealed record Seed(
        SlingshotTraces Traces,
        IReadOnlyList<int> LossOnsets,
        IReadOnlyList<int> NormOnsets,
        OnsetLag Generalized,
        int Matched,
        double Spacing,
        double ChanceShare,
        double Phase,
        OnsetLag Rise);

    private static Seed Measure(SlingshotTraces t, Parameters p, Func<MetricRow, double> accuracy)
    {
        var loss = t.LossOnsets(p.Spikes);
        var norm = SpikeDetector.Onsets(SpikeDetector.GrowthRate(t.OutputNorm), p.Spikes);
        double[] rowSteps = [.. t.Rows.Select(r => (double)r.Step)];
        double rise = OnsetLag.RiseStart(rowSteps, [.. t.Rows.Select(accuracy)], p.RiseAbove);
        double[] onsetSteps = [.. loss.Select(SlingshotTraces.StepOf)];
        int matched = loss.Count(l => norm.Any(n => Math.Abs(n - l) <= p.Spikes.Window));
        double spacing = loss.Count < 2 ? double.NaN : MemberSeries.Median(loss.Zip(loss.Skip(1), (a, b) => (double)(b - a)));
        double chance = t.Loss.Length == 0
            ? double.NaN
            : (double)Enumerable.Range(0, t.Loss.Length)
                .Count(i => OnsetLag.Of(onsetSteps, SlingshotTraces.StepOf(i)).Phase(spacing) <= p.MaxPhase) / t.Loss.Length;
        var generalized = OnsetLag.Of(onsetSteps, GrokkingStep(t.Rows, accuracy, p.ValLevel));
        return new Seed(
            t, loss, norm, generalized, matched, spacing, chance, generalized.Phase(spacing), OnsetLag.Of(onsetSteps, rise));
    }

    /// <summary>The step grokking happens at: the first row whose accuracy reaches <paramref name="level"/>; NaN if none does.</summary>
    public static double GrokkingStep(IReadOnlyList<MetricRow> rows, Func<MetricRow, double> accuracy, double level) =>
        rows.FirstOrDefault(r => accuracy(r) >= level)?.Step ?? double.NaN;

    /// <summary>The seed's preconditions: a grokking step, a loss onset at or before it, a completed run.</summary>
    private static SeedFinding Judge(Seed s, Parameters p, string curve)
    {
        var t = s.Traces;
        long seed = t.Spec.Seed;
        string spikes = $"{s.LossOnsets.Count} train-loss spike(s) at {SlingshotTraces.Steps(s.LossOnsets)}, "
            + $"{s.NormOnsets.Count} norm-growth spike(s); {s.Matched} of {s.LossOnsets.Count} loss spikes have a norm-growth "
            + $"spike within {p.Spikes.Window} steps";
        if (double.IsNaN(s.Generalized.RiseStep))
        {
            double last = t.Rows.Length == 0 ? 0 : t.Rows[^1].Step;
            return new(seed, Verdict.Inconclusive,
                $"{curve} never reached {p.ValLevel:P0} in {last:0} steps, so grokking cannot be placed; {spikes}{t.DivergedNote}",
                t.Diverged);
        }

        if (double.IsNaN(s.Generalized.Before))
        {
            return new(seed, Verdict.Refuted,
                $"{curve} reaches {p.ValLevel:P0} at step {s.Generalized.RiseStep:0} with no train-loss spike at or before it "
                + $"(grokking without a slingshot); {spikes}{t.DivergedNote}",
                t.Diverged);
        }

        string old = double.IsNaN(s.Rise.RiseStep) ? "" : $"; the old rule's rise (+{p.RiseAbove:0.##} over the plateau) at step {s.Rise.RiseStep:0}";
        return new(seed, t.Diverged ? Verdict.Inconclusive : Verdict.Confirmed,
            $"{curve} reaches {p.ValLevel:P0} at step {s.Generalized.RiseStep:0}, {s.Generalized.Before:0} steps after the loss spike at "
            + $"step {s.Generalized.OnsetBefore:0} (phase {s.Phase:0.00} of its cycle){old}; {spikes}{t.DivergedNote}",
            t.Diverged);
    }

    /// <summary>
    /// The decisive comparisons over the completed seeds that grokked: grokking's phase in its slingshot cycle (at most
    /// maxPhase) and the onsets of each series (at least minSpikes). A seed that never grokked has no values: the claim
    /// ties slingshots to grokking, so a run too short to grok (or to show its cycles) says nothing about it. A diverged
    /// seed keeps its phase (its grokking and the onsets before it came before the divergence: that evidence is complete)
    /// but not its spike counts (it had less time for them).
    /// </summary>
    private static List<Comparison> Comparisons(ClaimScope scope, IReadOnlyList<Seed> seeds, Parameters p)
    {
        List<double> Completed(Func<Seed, double> of) =>
            [.. seeds.Select(s => s.Traces.Diverged || double.IsNaN(s.Generalized.RiseStep) ? double.NaN : of(s))];
        return
        [
            Thresholds.Judge(scope, new Quantity("phase", "grokking's place in its slingshot cycle (lag / steps to the next onset)"),
                [.. seeds.Select(s => s.Phase)], Relation.AtMost, p.MaxPhase, resolution: PhaseResolution(seeds)),
            Thresholds.Judge(scope, new Quantity("lossSpikes", "train-loss spike onsets per seed", "spikes"),
                Completed(s => s.LossOnsets.Count), Relation.AtLeast, p.MinSpikes, resolution: 0),
            Thresholds.Judge(scope, new Quantity("normSpikes", "output-layer norm growth spike onsets per seed", "spikes"),
                Completed(s => s.NormOnsets.Count), Relation.AtLeast, p.MinSpikes, resolution: 0),
        ];
    }

    /// <summary>How far a row's lateness can move the phase: steps between metric rows over the shortest typical cycle.</summary>
    private static double PhaseResolution(IReadOnlyList<Seed> seeds)
    {
        double shortest = MemberSeries.Min([.. seeds.Select(s => s.Spacing)]);
        return double.IsFinite(shortest) && shortest > 0 ? MetricsEvery(seeds) / shortest : 0;
    }

    /// <summary>Steps between metric rows: how late a row can place grokking (the lag's resolution).</summary>
    private static double MetricsEvery(IReadOnlyList<Seed> seeds)
    {
        var rows = seeds.Select(s => s.Traces.Rows).FirstOrDefault(r => r.Length >= 2);
        return rows is null ? 0 : rows[1].Step - rows[0].Step;
    }

    private static List<MeasuredValue> Values(List<Seed> seeds, Parameters p)
    {
        var lossCounts = seeds.Select(s => (double)s.LossOnsets.Count).ToList();
        var normCounts = seeds.Select(s => (double)s.NormOnsets.Count).ToList();
        var rises = seeds.Select(s => s.Rise.RiseStep).ToList();
        var riseLags = seeds.Select(s => s.Rise.Before).ToList();
        var matched = seeds.Select(s => s.LossOnsets.Count == 0 ? double.NaN : (double)s.Matched / s.LossOnsets.Count).ToList();
        List<double> spacing = [.. seeds.Select(s => s.Spacing)];
        List<double> chance = [.. seeds.Select(s => s.ChanceShare)];
        List<double> generalized = [.. seeds.Select(s => s.Generalized.RiseStep)];
        List<double> generalizedLag = [.. seeds.Select(s => s.Generalized.Before)];
        List<double> phases = [.. seeds.Select(s => s.Phase)];
        string grokked = $"{p.ValLevel:P0} validation accuracy";
        return
        [
            new("train-loss spike onsets per seed (min over seeds)",
                MemberSeries.Min(lossCounts), "spikes", null, $">= {p.MinSpikes}", lossCounts, Key: "lossSpikes"),
            new("output-layer norm growth spike onsets per seed (min over seeds)",
                MemberSeries.Min(normCounts), "spikes", null, $">= {p.MinSpikes}", normCounts, Key: "normSpikes"),
            new($"steps from the latest train-loss spike onset to grokking ({grokked}; median over seeds; NaN = no onset before it)",
                MemberSeries.Median(generalizedLag), "step", null, "reported (the phase decides)", generalizedLag, Key: "lag"),
            new("grokking's place in its slingshot cycle: lag / steps from that onset to the next (median over seeds)",
                MemberSeries.Median(phases), "", null, $"<= {p.MaxPhase} (seed mean's interval)", phases, Key: "phase"),
            new($"old rule (reported): step at which validation accuracy first exceeds its plateau by {p.RiseAbove} (median over seeds)",
                MemberSeries.Median(rises), "step", null, "reported", rises, Key: "riseStep"),
            new("old rule (reported): steps from the latest train-loss spike onset to that rise (median over seeds; NaN = none before)",
                MemberSeries.Median(riseLags), "step", null, "reported", riseLags, Key: "riseLag"),
            new($"share of train-loss spikes with a norm-growth spike within {p.Spikes.Window} steps (median over seeds)",
                MemberSeries.Median(matched), "", null, "reported", matched, Key: "normMatched"),
            new("median steps between successive train-loss spike onsets (median over seeds)",
                MemberSeries.Median(spacing), "step", null, "reported", spacing, Key: "spikeSpacing"),
            new($"share of the run's steps whose phase in their slingshot cycle is at most {p.MaxPhase}: the chance that any step "
                + "passes the phase test (median over seeds)",
                MemberSeries.Median(chance), "", null, "reported", chance, Key: "chanceShare"),
            new($"step of {grokked} (grokking, t_4; median over seeds)",
                MemberSeries.Median(generalized), "step", null, "reported", generalized, Key: "generalizedStep"),
            new($"steps from the latest loss onset to {grokked} (median over seeds; the decisive lag)",
                MemberSeries.Median(generalizedLag), "step", null, "reported", generalizedLag, Key: "generalizedLag"),
        ];
    }

    /// <summary>
    /// Per seed a panel, log y: the train loss and output-layer norm per step (thinned by <see cref="Envelope"/>),
    /// validation accuracy per metric row, loss onsets and the rise as vertical lines.
    /// </summary>
    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<Seed> seeds)
    {
        string title = $"{context.Claim.Id}: train loss, output-layer norm and validation accuracy; "
            + "dotted: train-loss spike onsets and grokking (first row at the validation level)";
        var panels = seeds.Select(Panel).ToList();
        return context.Plot("slingshots", title, (dir, file) => PanelChart.Write(dir, file, title, panels));
    }

    private static ChartPanel Panel(Seed s)
    {
        var t = s.Traces;
        double[] steps = [.. Enumerable.Range(0, t.Loss.Length).Select(SlingshotTraces.StepOf)];
        var loss = Envelope.Of(steps, t.Loss);
        var norm = Envelope.Of(steps[..t.OutputNorm.Length], t.OutputNorm);
        var markers = s.LossOnsets.Select(o => (SlingshotTraces.StepOf(o), "")).ToList();
        if (double.IsFinite(s.Generalized.RiseStep))
        {
            markers.Add((s.Generalized.RiseStep, "grokking"));
        }

        return new ChartPanel(
            $"seed {t.Spec.Seed}{(t.Diverged ? $" (diverged at {t.DivergedStep})" : "")}",
            "step",
            "log scale",
            [
                ("train loss", loss.X, loss.Y),
                ("output-layer norm", norm.X, norm.Y),
                ("validation accuracy", [.. t.Rows.Select(r => (double)r.Step)], [.. t.Rows.Select(r => r.ValAccuracy)]),
            ],
            markers,
            LogY: true);
    }
}
