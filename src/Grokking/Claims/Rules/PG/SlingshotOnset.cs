using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-3 (Thilak et al. 2022, read by the PG paper): with adaptive optimizers grokking happens at the onset of
/// slingshots, cyclic spikes in the train loss and in the last-layer weight norm. Reads a run with per-step traces
/// (<see cref="SlingshotTraces"/>), one member per seed. Spikes are onsets by the <see cref="SpikeRule"/> of
/// <c>spikeWindow</c>, <c>spikeJump</c> and <c>refractory</c>, in the train loss and in the growth rate of the
/// output-layer norm (<see cref="SpikeDetector.GrowthRate"/>). Per seed:
/// <list type="bullet">
/// <item>"cyclic": each series has at least <c>minSpikes</c> onsets;</item>
/// <item>"grokking happens at the onset": validation accuracy starts rising (<see cref="OnsetLag.RiseStart"/> with
/// <c>riseAbove</c>) at most <c>maxLag</c> steps after a train-loss onset (<see cref="OnsetLag.Before"/> in
/// [0, maxLag]). The rise is read on the metric rows, so it is late by up to Train:MetricsEvery steps and
/// <c>maxLag</c> must allow for that.</item>
/// </list>
/// How many loss onsets have a norm-growth onset within <c>spikeWindow</c> steps is reported, not gated on: the claim
/// names both series, and whether their spikes coincide is what a reader checks first.
/// A seed whose validation accuracy never rises cannot place grokking: INCONCLUSIVE. A diverged seed is read up to
/// its divergence: a rise with no loss onset within <c>maxLag</c> before it refutes (that evidence is complete before
/// the divergence); otherwise it is INCONCLUSIVE, since it had less time for its spikes. Seeds combine by
/// <see cref="SeedVerdicts.Combine"/>.
/// </summary>
public sealed class SlingshotOnset : ClaimAnalysis<SlingshotOnset.Parameters>
{
    public override string Name => "slingshot-onset";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PG-3's rule: what a slingshot is, how many make them cyclic, what a rise is, and how soon it must follow.</summary>
    /// <param name="Spikes">The slingshot onset rule (<c>spikeWindow</c>, <c>spikeJump</c>, <c>refractory</c>), shared with PG-5.</param>
    /// <param name="MinSpikes">Onsets each series needs to be "cyclic".</param>
    /// <param name="RiseAbove">Validation accuracy above its initial plateau at which the rise starts (a share).</param>
    /// <param name="MaxLag">Most steps from a loss onset to the rise that still count as "at the onset".</param>
    public sealed record Parameters(
        SpikeRule Spikes,
        [Within(1, int.MaxValue)] int MinSpikes,
        [Within(0, 1)] double RiseAbove,
        [Within(0, double.MaxValue)] double MaxLag);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var seeds = SlingshotTraces.Of(context).Select(t => Measure(t, parameters)).ToList();
        var findings = seeds.Select(s => Judge(s, parameters)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        return new AnalysisResult(verdict, reason, Values(seeds, parameters), [Figure(context, seeds)]);
    }

    /// <summary>
    /// What one seed shows: its spike onsets (sample indices), where its validation rise sits against the loss onsets,
    /// and how many loss onsets a norm onset accompanies.
    /// </summary>
    /// <param name="Spacing">Median steps between successive loss onsets (NaN with fewer than two).</param>
    /// <param name="ChanceShare">
    /// Share of the traced steps within maxLag after some loss onset: how often a step picked at random would pass the
    /// lag test (reported so a reader sees when periodic spikes make the test weak).
    /// </param>
    /// <param name="Generalized">Where the step of 99% validation accuracy sits against the loss onsets (reported).</param>
    private sealed record Seed(
        SlingshotTraces Traces,
        IReadOnlyList<int> LossOnsets,
        IReadOnlyList<int> NormOnsets,
        OnsetLag Lag,
        int Matched,
        double Spacing,
        double ChanceShare,
        OnsetLag Generalized);

    private static Seed Measure(SlingshotTraces t, Parameters p)
    {
        var loss = t.LossOnsets(p.Spikes);
        var norm = SpikeDetector.Onsets(SpikeDetector.GrowthRate(t.OutputNorm), p.Spikes);
        double[] rowSteps = [.. t.Rows.Select(r => (double)r.Step)];
        double rise = OnsetLag.RiseStart(rowSteps, [.. t.Rows.Select(r => r.ValAccuracy)], p.RiseAbove);
        double[] onsetSteps = [.. loss.Select(SlingshotTraces.StepOf)];
        var lag = OnsetLag.Of(onsetSteps, rise);
        int matched = loss.Count(l => norm.Any(n => Math.Abs(n - l) <= p.Spikes.Window));
        double spacing = loss.Count < 2 ? double.NaN : MemberSeries.Median(loss.Zip(loss.Skip(1), (a, b) => (double)(b - a)));
        double chance = t.Loss.Length == 0
            ? double.NaN
            : (double)Enumerable.Range(0, t.Loss.Length).Count(i => loss.Any(o => i >= o && i - o <= p.MaxLag)) / t.Loss.Length;
        double generalizedStep = t.Rows.FirstOrDefault(r => r.ValAccuracy >= SlicePlan.GrokkedLevel)?.Step ?? double.NaN;
        return new Seed(t, loss, norm, lag, matched, spacing, chance, OnsetLag.Of(onsetSteps, generalizedStep));
    }

    private static SeedFinding Judge(Seed s, Parameters p)
    {
        var t = s.Traces;
        long seed = t.Spec.Seed;
        string spikes = $"{s.LossOnsets.Count} train-loss spike(s) at {SlingshotTraces.Steps(s.LossOnsets)}, "
            + $"{s.NormOnsets.Count} norm-growth spike(s); {s.Matched} of {s.LossOnsets.Count} loss spikes have a norm-growth "
            + $"spike within {p.Spikes.Window} steps";
        if (double.IsNaN(s.Lag.RiseStep))
        {
            double last = t.Rows.Length == 0 ? 0 : t.Rows[^1].Step;
            return new(seed, Verdict.Inconclusive,
                $"validation accuracy never rose above its plateau by the margin in {last:0} steps, so grokking cannot be placed; "
                + $"{spikes}{t.DivergedNote}",
                t.Diverged);
        }

        string rise = double.IsNaN(s.Lag.Before)
            ? $"validation accuracy rises at step {s.Lag.RiseStep:0} with no train-loss spike at or before it"
            : $"validation accuracy rises at step {s.Lag.RiseStep:0}, {s.Lag.Before:0} steps after the loss spike at step {s.Lag.OnsetBefore:0}";
        if (!(s.Lag.Before <= p.MaxLag))
        {
            return new(seed, Verdict.Refuted, $"{rise}, not within {p.MaxLag:0} steps of a spike onset; {spikes}{t.DivergedNote}", t.Diverged);
        }

        if (s.LossOnsets.Count < p.MinSpikes || s.NormOnsets.Count < p.MinSpikes)
        {
            // Fewer spikes than "cyclic" needs: a diverged seed had less time for them, so only a completed one refutes.
            var fewer = t.Diverged ? Verdict.Inconclusive : Verdict.Refuted;
            return new(seed, fewer, $"{spikes}: fewer than {p.MinSpikes} in a series; {rise}{t.DivergedNote}", t.Diverged);
        }

        var holds = t.Diverged ? Verdict.Inconclusive : Verdict.Confirmed;
        return new(seed, holds, $"{rise} (within {p.MaxLag:0}); {spikes}{t.DivergedNote}", t.Diverged);
    }

    private static List<MeasuredValue> Values(List<Seed> seeds, Parameters p)
    {
        var lossCounts = seeds.Select(s => (double)s.LossOnsets.Count).ToList();
        var normCounts = seeds.Select(s => (double)s.NormOnsets.Count).ToList();
        var lags = seeds.Select(s => s.Lag.Before).ToList();
        var rises = seeds.Select(s => s.Lag.RiseStep).ToList();
        var matched = seeds.Select(s => s.LossOnsets.Count == 0 ? double.NaN : (double)s.Matched / s.LossOnsets.Count).ToList();
        List<double> spacing = [.. seeds.Select(s => s.Spacing)];
        List<double> chance = [.. seeds.Select(s => s.ChanceShare)];
        List<double> generalized = [.. seeds.Select(s => s.Generalized.RiseStep)];
        List<double> generalizedLag = [.. seeds.Select(s => s.Generalized.Before)];
        string grokked = $"{SlicePlan.GrokkedLevel:P0} validation accuracy";
        return
        [
            new("train-loss spike onsets per seed (min over seeds)",
                MemberSeries.Min(lossCounts), "spikes", null, $">= {p.MinSpikes}", lossCounts, Key: "lossSpikes"),
            new("output-layer norm growth spike onsets per seed (min over seeds)",
                MemberSeries.Min(normCounts), "spikes", null, $">= {p.MinSpikes}", normCounts, Key: "normSpikes"),
            new("steps from the latest train-loss spike onset to the validation rise (median over seeds; NaN = no onset before the rise)",
                MemberSeries.Median(lags), "step", null, $"0 to {p.MaxLag}", lags, Key: "lag"),
            new($"step at which validation accuracy first exceeds its plateau by {p.RiseAbove} (median over seeds)",
                MemberSeries.Median(rises), "step", null, null, rises, Key: "riseStep"),
            new($"share of train-loss spikes with a norm-growth spike within {p.Spikes.Window} steps (median over seeds)",
                MemberSeries.Median(matched), "", null, "reported", matched, Key: "normMatched"),
            new("median steps between successive train-loss spike onsets (median over seeds)",
                MemberSeries.Median(spacing), "step", null, "reported", spacing, Key: "spikeSpacing"),
            new($"share of the run's steps that lie within {p.MaxLag} steps after a loss onset: the chance that any step passes "
                + "the lag test (median over seeds)",
                MemberSeries.Median(chance), "", null, "reported", chance, Key: "chanceShare"),
            new($"step of {grokked} (generalization complete; median over seeds)",
                MemberSeries.Median(generalized), "step", null, "reported", generalized, Key: "generalizedStep"),
            new($"steps from the latest loss onset to {grokked} (median over seeds)",
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
            + "dotted: train-loss spike onsets and the validation rise";
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
        if (double.IsFinite(s.Lag.RiseStep))
        {
            markers.Add((s.Lag.RiseStep, "val rise"));
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
