using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-5: the cosine distance between successive weights, d_t = 1 − cos(theta_t, theta_t+1), stays almost constant
/// except at slingshots. Reads a run with per-step traces (<see cref="SlingshotTraces"/>), one member per seed. The
/// slingshots are the train-loss spike onsets by the <see cref="SpikeRule"/> of <c>spikeWindow</c>, <c>spikeJump</c>
/// and <c>refractory</c>; each opens a window of ± <c>halfWidth</c> steps. The first <c>burnIn</c> steps (warmup and
/// the initial transient, where nothing is lazy yet) are left out of the loss the onsets are found in and of d. Per seed:
/// <list type="bullet">
/// <item>"almost constant": the coefficient of variation of d outside the windows
/// (<see cref="QuietVariation.QuietCv"/>) is at most <c>maxQuietCv</c>;</item>
/// <item>"except at slingshots": the largest d inside the windows is at least <c>spikeFactor</c> times the median d
/// outside them, so the exceptions are where the slingshots are.</item>
/// </list>
/// The CV of the whole series is reported beside the quiet one. A seed with no loss spike cannot show the exception:
/// INCONCLUSIVE. A diverged seed is INCONCLUSIVE with its numbers: the steps that lead into a divergence are neither
/// lazy nor a slingshot, so what was read before it does not decide the claim either way. Seeds combine by
/// <see cref="SeedVerdicts.Combine"/>.
/// </summary>
public sealed class LazyRegime : ClaimAnalysis<LazyRegime.Parameters>
{
    public override string Name => "lazy-regime";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PG-5's rule: PG-3's slingshots, their windows, the burn-in, and what "almost constant except at" means.</summary>
    /// <param name="Spikes">The slingshot onset rule (<c>spikeWindow</c>, <c>spikeJump</c>, <c>refractory</c>), as PG-3's.</param>
    /// <param name="HalfWidth">Steps either side of an onset that belong to its slingshot window.</param>
    /// <param name="BurnIn">Leading steps (warmup, the initial fit) left out of the loss and of d.</param>
    /// <param name="MaxQuietCv">Largest coefficient of variation of d outside the windows that is "almost constant".</param>
    /// <param name="SpikeFactor">Least ratio of the largest d inside the windows to the median d outside them.</param>
    public sealed record Parameters(
        SpikeRule Spikes,
        [Within(0, int.MaxValue)] int HalfWidth,
        [Within(0, int.MaxValue)] int BurnIn,
        [Within(0, double.MaxValue)] double MaxQuietCv,
        [Within(1, double.MaxValue)] double SpikeFactor);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var seeds = SlingshotTraces.Of(context).Select(t => Measure(t, parameters)).ToList();
        var findings = seeds.Select(s => Judge(s, parameters)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        return new AnalysisResult(verdict, reason, Values(seeds, parameters), [Figure(context, seeds, parameters)]);
    }

    /// <summary>
    /// One seed: d with the burn-in set to NaN, the loss onsets after the burn-in (sample indices), the quiet and whole
    /// CV, the largest d inside a window and the median outside them (NaN where there is no such sample).
    /// </summary>
    private sealed record Seed(
        SlingshotTraces Traces, double[] Distance, IReadOnlyList<int> Onsets, QuietVariation Variation, double WindowPeak, double QuietMedian)
    {
        public double PeakRatio => WindowPeak / QuietMedian;
    }

    private static Seed Measure(SlingshotTraces t, Parameters p)
    {
        // Sample t is step t + 1: the first burnIn steps are samples 0 .. burnIn - 1.
        double[] loss = [.. t.Loss.Select((v, i) => i < p.BurnIn ? double.NaN : v)];
        double[] d = [.. t.Distance.Select((c, i) => i < p.BurnIn ? double.NaN : c)];
        var onsets = SpikeDetector.Onsets(loss, p.Spikes);
        var variation = QuietVariation.Of(d, onsets, p.HalfWidth);
        bool InWindow(int i) => onsets.Any(o => Math.Abs(i - o) <= p.HalfWidth);
        var finite = Enumerable.Range(0, d.Length).Where(i => double.IsFinite(d[i])).ToList();
        double peak = MemberSeries.Max(finite.Where(InWindow).Select(i => d[i]));
        double median = MemberSeries.Median(finite.Where(i => !InWindow(i)).Select(i => d[i]));
        return new Seed(t, d, onsets, variation, peak, median);
    }

    private static SeedFinding Judge(Seed s, Parameters p)
    {
        var t = s.Traces;
        long seed = t.Spec.Seed;
        var v = s.Variation;
        string what = $"{s.Onsets.Count} train-loss spike(s) at {SlingshotTraces.Steps(s.Onsets)}; "
            + $"cosine distance outside the ± {p.HalfWidth}-step windows: CV {v.QuietCv:G3} over {v.Kept} steps "
            + $"(whole run {v.WholeCv:G3}), median {s.QuietMedian:G3}; largest inside a window {s.WindowPeak:G3} = {s.PeakRatio:G3}x the median";
        if (t.Diverged)
        {
            return new(seed, Verdict.Inconclusive,
                $"{what}{t.DivergedNote}: the steps leading into a divergence are not the regime the claim is about", true);
        }

        if (s.Onsets.Count == 0)
        {
            return new(seed, Verdict.Inconclusive, $"{what}: without a slingshot the exception cannot be tested");
        }

        if (double.IsNaN(v.QuietCv))
        {
            // Fewer than 3 quiet steps, or a mean of 0: the weights did not move outside the windows.
            string why = v.Kept < 3
                ? "too few steps outside the windows for a CV"
                : "the cosine distance outside the windows averages 0 (the weights do not move there), so it has no relative spread";
            return new(seed, Verdict.Inconclusive, $"{what}: {why}");
        }

        var failed = new List<string>();
        if (v.QuietCv > p.MaxQuietCv)
        {
            failed.Add($"not almost constant (CV {v.QuietCv:G3} > {p.MaxQuietCv})");
        }

        if (!(s.WindowPeak >= p.SpikeFactor * s.QuietMedian))
        {
            failed.Add($"no exception at the slingshots (peak {s.PeakRatio:G3}x < {p.SpikeFactor}x the median)");
        }

        return failed.Count == 0
            ? new(seed, Verdict.Confirmed, $"{what} (CV <= {p.MaxQuietCv}, peak >= {p.SpikeFactor}x)")
            : new(seed, Verdict.Refuted, $"{what}: {string.Join(" and ", failed)}");
    }

    private static List<MeasuredValue> Values(List<Seed> seeds, Parameters p)
    {
        var quiet = seeds.Select(s => s.Variation.QuietCv).ToList();
        var whole = seeds.Select(s => s.Variation.WholeCv).ToList();
        var ratios = seeds.Select(s => s.PeakRatio).ToList();
        var medians = seeds.Select(s => s.QuietMedian).ToList();
        var counts = seeds.Select(s => (double)s.Onsets.Count).ToList();
        return
        [
            new($"CV of the cosine distance outside the spike windows (± {p.HalfWidth} steps; max over seeds)",
                MemberSeries.Max(quiet), "", null, $"<= {p.MaxQuietCv}", quiet, Key: "quietCv"),
            new("CV of the cosine distance over the whole run after the burn-in (median over seeds)",
                MemberSeries.Median(whole), "", null, "reported", whole, Key: "wholeCv"),
            new("largest cosine distance in a spike window / median outside the windows (min over seeds)",
                MemberSeries.Min(ratios), "", null, $">= {p.SpikeFactor}", ratios, Key: "peakRatio"),
            new("median cosine distance outside the spike windows (median over seeds)",
                MemberSeries.Median(medians), "", null, "reported", medians, Key: "quietMedian"),
            new($"train-loss spike onsets after step {p.BurnIn} (min over seeds)",
                MemberSeries.Min(counts), "spikes", null, ">= 1", counts, Key: "lossSpikes"),
        ];
    }

    /// <summary>
    /// Per seed a panel: d per step on a log axis (thinned by <see cref="Envelope"/>; d ≤ 0 cannot be drawn there),
    /// spike onsets and the end of the burn-in as vertical lines.
    /// </summary>
    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<Seed> seeds, Parameters p)
    {
        string title = $"{context.Claim.Id}: cosine distance between successive weights; "
            + $"dotted: train-loss spike onsets (windows ± {p.HalfWidth} steps)";
        var panels = seeds.Select(s => Panel(s, p.BurnIn)).ToList();
        return context.Plot("cosine-distance", title, (dir, file) => PanelChart.Write(dir, file, title, panels));
    }

    private static ChartPanel Panel(Seed s, int burnIn)
    {
        var t = s.Traces;
        double[] steps = [.. Enumerable.Range(0, s.Distance.Length).Select(SlingshotTraces.StepOf)];
        var d = Envelope.Of(steps, [.. s.Distance.Select(x => x > 0 ? x : double.NaN)]);
        var markers = s.Onsets.Select(o => (SlingshotTraces.StepOf(o), "")).Append((burnIn, "burn-in end")).ToList();
        return new ChartPanel(
            $"seed {t.Spec.Seed}{(t.Diverged ? $" (diverged at {t.DivergedStep})" : "")}",
            "step",
            "1 - cos(theta_t, theta_t+1)",
            [("cosine distance", d.X, d.Y)],
            markers,
            LogY: true);
    }
}
