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
public sealed class SlingshotOnset : LegacyClaimAnalysis
{
    public override string Name => "slingshot-onset";

    public override IReadOnlyList<string> RequiredTolerances => [.. SlingshotTraces.RuleTolerances, "minSpikes", "riseAbove", "maxLag"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var rule = SlingshotTraces.Rule(claim);
        int minSpikes = (int)claim.ToleranceOf("minSpikes");
        double riseAbove = claim.ToleranceOf("riseAbove");
        double maxLag = claim.ToleranceOf("maxLag");

        var seeds = SlingshotTraces.Of(context).Select(t => Measure(t, rule, riseAbove, maxLag)).ToList();
        var findings = seeds.Select(s => Judge(s, rule, minSpikes, maxLag)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);

        var lossCounts = seeds.Select(s => (double)s.LossOnsets.Count).ToList();
        var normCounts = seeds.Select(s => (double)s.NormOnsets.Count).ToList();
        var lags = seeds.Select(s => s.Lag.Before).ToList();
        var rises = seeds.Select(s => s.Lag.RiseStep).ToList();
        var matched = seeds.Select(s => s.LossOnsets.Count == 0 ? double.NaN : (double)s.Matched / s.LossOnsets.Count).ToList();
        var measured = new List<MeasuredValue>
        {
            new("train-loss spike onsets per seed (min over seeds)", MemberSeries.Min(lossCounts), "spikes", null, $">= {minSpikes}", lossCounts, Key: "lossSpikes"),
            new("output-layer norm growth spike onsets per seed (min over seeds)", MemberSeries.Min(normCounts), "spikes", null, $">= {minSpikes}", normCounts, Key: "normSpikes"),
            new("steps from the latest train-loss spike onset to the validation rise (median over seeds; NaN = no onset before the rise)", MemberSeries.Median(lags), "step", null, $"0 to {maxLag}", lags, Key: "lag"),
            new($"step at which validation accuracy first exceeds its plateau by {riseAbove} (median over seeds)", MemberSeries.Median(rises), "step", null, null, rises, Key: "riseStep"),
            new($"share of train-loss spikes with a norm-growth spike within {rule.Window} steps (median over seeds)", MemberSeries.Median(matched), "", null, "reported", matched, Key: "normMatched"),
            new("median steps between successive train-loss spike onsets (median over seeds)", MemberSeries.Median(seeds.Select(s => s.Spacing)), "step", null, "reported", [.. seeds.Select(s => s.Spacing)], Key: "spikeSpacing"),
            new($"share of the run's steps that lie within {maxLag} steps after a loss onset: the chance that any step passes the lag test (median over seeds)", MemberSeries.Median(seeds.Select(s => s.ChanceShare)), "", null, "reported", [.. seeds.Select(s => s.ChanceShare)], Key: "chanceShare"),
            new($"step of {SlicePlan.GrokkedLevel:P0} validation accuracy (generalization complete; median over seeds)", MemberSeries.Median(seeds.Select(s => s.Generalized.RiseStep)), "step", null, "reported", [.. seeds.Select(s => s.Generalized.RiseStep)], Key: "generalizedStep"),
            new($"steps from the latest loss onset to {SlicePlan.GrokkedLevel:P0} validation accuracy (median over seeds)", MemberSeries.Median(seeds.Select(s => s.Generalized.Before)), "step", null, "reported", [.. seeds.Select(s => s.Generalized.Before)], Key: "generalizedLag"),
        };
        return new AnalysisResult(verdict, reason, measured, [Figure(context, seeds)]);
    }

    /// <summary>What one seed shows: its spike onsets (sample indices), where its validation rise sits against the loss onsets, and how many loss onsets a norm onset accompanies.</summary>
    /// <param name="Spacing">Median steps between successive loss onsets (NaN with fewer than two).</param>
    /// <param name="ChanceShare">Share of the traced steps within maxLag after some loss onset: how often a step picked at random would pass the lag test (reported so a reader sees when periodic spikes make the test weak).</param>
    /// <param name="Generalized">Where the step of 99% validation accuracy sits against the loss onsets (reported).</param>
    private sealed record Seed(SlingshotTraces Traces, IReadOnlyList<int> LossOnsets, IReadOnlyList<int> NormOnsets, OnsetLag Lag, int Matched, double Spacing, double ChanceShare, OnsetLag Generalized);

    private static Seed Measure(SlingshotTraces t, SpikeRule rule, double riseAbove, double maxLag)
    {
        var loss = t.LossOnsets(rule);
        var norm = SpikeDetector.Onsets(SpikeDetector.GrowthRate(t.OutputNorm), rule);
        double rise = OnsetLag.RiseStart([.. t.Rows.Select(r => (double)r.Step)], [.. t.Rows.Select(r => r.ValAccuracy)], riseAbove);
        var lag = OnsetLag.Of([.. loss.Select(SlingshotTraces.StepOf)], rise);
        int matched = loss.Count(l => norm.Any(n => Math.Abs(n - l) <= rule.Window));
        double spacing = loss.Count < 2 ? double.NaN : MemberSeries.Median(loss.Zip(loss.Skip(1), (a, b) => (double)(b - a)));
        double chance = t.Loss.Length == 0 ? double.NaN : (double)Enumerable.Range(0, t.Loss.Length).Count(i => loss.Any(o => i >= o && i - o <= maxLag)) / t.Loss.Length;
        double generalizedStep = t.Rows.FirstOrDefault(r => r.ValAccuracy >= SlicePlan.GrokkedLevel)?.Step ?? double.NaN;
        var generalized = OnsetLag.Of([.. loss.Select(SlingshotTraces.StepOf)], generalizedStep);
        return new Seed(t, loss, norm, lag, matched, spacing, chance, generalized);
    }

    private static SeedFinding Judge(Seed s, SpikeRule rule, int minSpikes, double maxLag)
    {
        var t = s.Traces;
        long seed = t.Spec.Seed;
        string spikes = $"{s.LossOnsets.Count} train-loss spike(s) at {SlingshotTraces.Steps(s.LossOnsets)}, {s.NormOnsets.Count} norm-growth spike(s); {s.Matched} of {s.LossOnsets.Count} loss spikes have a norm-growth spike within {rule.Window} steps";
        if (double.IsNaN(s.Lag.RiseStep))
        {
            double last = t.Rows.Length == 0 ? 0 : t.Rows[^1].Step;
            return new(seed, Verdict.Inconclusive, $"validation accuracy never rose above its plateau by the margin in {last:0} steps, so grokking cannot be placed; {spikes}{t.DivergedNote}", t.Diverged);
        }

        string rise = double.IsNaN(s.Lag.Before)
            ? $"validation accuracy rises at step {s.Lag.RiseStep:0} with no train-loss spike at or before it"
            : $"validation accuracy rises at step {s.Lag.RiseStep:0}, {s.Lag.Before:0} steps after the loss spike at step {s.Lag.OnsetBefore:0}";
        if (!(s.Lag.Before <= maxLag))
        {
            return new(seed, Verdict.Refuted, $"{rise}, not within {maxLag:0} steps of a spike onset; {spikes}{t.DivergedNote}", t.Diverged);
        }

        if (s.LossOnsets.Count < minSpikes || s.NormOnsets.Count < minSpikes)
        {
            // Fewer spikes than "cyclic" needs: a diverged seed had less time for them, so only a completed one refutes.
            return new(seed, t.Diverged ? Verdict.Inconclusive : Verdict.Refuted, $"{spikes}: fewer than {minSpikes} in a series; {rise}{t.DivergedNote}", t.Diverged);
        }

        return new(seed, t.Diverged ? Verdict.Inconclusive : Verdict.Confirmed, $"{rise} (within {maxLag:0}); {spikes}{t.DivergedNote}", t.Diverged);
    }

    /// <summary>Per seed a panel, log y: the train loss and output-layer norm per step (thinned by <see cref="Envelope"/>), validation accuracy per metric row, loss onsets and the rise as vertical lines.</summary>
    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<Seed> seeds)
    {
        var panels = seeds.Select(s =>
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
        }).ToList();
        var (dir, file) = context.Figure("slingshots");
        string title = $"{context.Claim.Id}: train loss, output-layer norm and validation accuracy; dotted: train-loss spike onsets and the validation rise";
        return context.FigureOf(title, PanelChart.Write(dir, file, title, panels));
    }
}
