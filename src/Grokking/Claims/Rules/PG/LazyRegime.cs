using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.PG;

/// <summary>
/// PG-5: the cosine distance between successive weights, d_t = 1 − cos(theta_t, theta_t+1), stays almost constant
/// except at the slingshot location. Reads a run with per-step traces (<see cref="SlingshotTraces"/>), one member per
/// seed. The slingshots are the train-loss spikes of PG-3's <see cref="SpikeRule"/> (<c>spikeWindow</c>,
/// <c>spikeJump</c>, <c>refractory</c>); "the slingshot location" is each spike's span (issue 25): from the update
/// that lifts the loss over the rule's threshold (the sample before the onset, whose d produced the spiked loss) to the
/// update that brings it back under it (<see cref="SpikeDetector.Spans"/>). The first <c>burnIn</c> steps (warmup and
/// the initial transient) are left out of the loss and of d. Per seed three quantities, each a comparison judged by the
/// claim's scope (<see cref="Thresholds"/>):
/// <list type="bullet">
/// <item>"most of the time": the coverage, the share of d samples outside the spans, is at least <c>minCoverage</c>;
/// below it (or within noise) the spans leave too little of the run to judge and the claim is INCONCLUSIVE at that
/// setup with the measured coverage, whatever the other two say;</item>
/// <item>"almost constant": the coefficient of variation of d outside the spans is at most <c>maxQuietCv</c>;</item>
/// <item>"except at the slingshot": the largest d inside the spans is at least <c>spikeFactor</c> times the median d
/// outside them.</item>
/// </list>
/// A seed with no loss spike cannot show the exception, one whose quiet d has no CV cannot be read, and a diverged seed
/// (the steps that lead into a divergence are neither lazy nor a slingshot): those seeds are undecided. The control is the
/// same rule on each seed's d shuffled in time with a fixed seed, the slingshots left where they are.
/// </summary>
public sealed class LazyRegime : ClaimAnalysis<LazyRegime.Parameters>
{
    /// <summary>The fixed seed of the control's time shuffle.</summary>
    public const int ShuffleSeed = 25;

    public override string Name => "lazy-regime";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "time-shuffled-distance";

    /// <summary>PG-5's rule: PG-3's slingshots, the burn-in, and what "most of the time", "almost constant" and "except at" mean.</summary>
    /// <param name="Spikes">The slingshot onset rule (<c>spikeWindow</c>, <c>spikeJump</c>, <c>refractory</c>), as PG-3's.</param>
    /// <param name="BurnIn">Leading steps (warmup, the initial fit) left out of the loss and of d.</param>
    /// <param name="MaxQuietCv">Largest coefficient of variation of d outside the spans that is "almost constant".</param>
    /// <param name="SpikeFactor">Least ratio of the largest d inside the spans to the median d outside them.</param>
    /// <param name="MinCoverage">Least share of the run outside the spans for "most of the time" to be judged at all.</param>
    public sealed record Parameters(
        SpikeRule Spikes,
        [Within(0, int.MaxValue)] int BurnIn,
        [Within(0, double.MaxValue)] double MaxQuietCv,
        [Within(1, double.MaxValue)] double SpikeFactor,
        [Within(0, 1)] double MinCoverage);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Judge(context, parameters, [.. SlingshotTraces.Of(context).Select(t => Measure(t, t.Distance, parameters))], control: false);

    /// <summary>
    /// The control: each seed's d after the burn-in shuffled in time (fixed seed <see cref="ShuffleSeed"/>), the loss and
    /// so the slingshot spans unchanged. The large steps then fall anywhere, the quiet part is no longer quiet, and the
    /// rule must refute "almost constant except at the slingshot".
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var seeds = SlingshotTraces.Of(context).Select(t => Measure(t, Shuffled(t.Distance, parameters.BurnIn), parameters));
        return Judge(context, parameters, [.. seeds], control: true);
    }

    /// <summary>The samples from <paramref name="from"/> on in a fixed random order (Fisher–Yates, seed <see cref="ShuffleSeed"/>).</summary>
    public static double[] Shuffled(IReadOnlyList<double> series, int from)
    {
        double[] copy = [.. series];
        var random = new Random(ShuffleSeed);
        for (int i = copy.Length - 1; i > from; i--)
        {
            int j = from + random.Next(i - from + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }

        return copy;
    }

    /// <summary>
    /// One seed: d with the burn-in set to NaN, the loss spans after the burn-in (sample indices, the d span starting one
    /// sample before the onset), the quiet and whole CV, the coverage, the largest d inside a span and the median outside.
    /// </summary>
    private sealed record Seed(
        SlingshotTraces Traces,
        double[] Distance,
        IReadOnlyList<(int Onset, int End)> Spans,
        QuietVariation Variation,
        double Coverage,
        double SpanPeak,
        double QuietMedian)
    {
        public double PeakRatio => SpanPeak / QuietMedian;
    }

    private static Seed Measure(SlingshotTraces t, double[] distance, Parameters p)
    {
        // Sample t is step t + 1: the first burnIn steps are samples 0 .. burnIn - 1.
        double[] loss = [.. t.Loss.Select((v, i) => i < p.BurnIn ? double.NaN : v)];
        double[] d = [.. distance.Select((c, i) => i < p.BurnIn ? double.NaN : c)];
        var spans = SpikeDetector.Spans(loss, p.Spikes);
        bool InSpan(int i) => spans.Any(s => i >= s.Onset - 1 && i <= s.End);
        var variation = QuietVariation.Of(d, InSpan);
        var finite = Enumerable.Range(0, d.Length).Where(i => double.IsFinite(d[i])).ToList();
        double coverage = finite.Count == 0 ? double.NaN : (double)variation.Kept / finite.Count;
        double peak = MemberSeries.Max(finite.Where(InSpan).Select(i => d[i]));
        double median = MemberSeries.Median(finite.Where(i => !InSpan(i)).Select(i => d[i]));
        return new Seed(t, d, spans, variation, coverage, peak, median);
    }

    /// <summary>
    /// The rule on the seeds' measurements: per-seed preconditions, then the coverage comparison (which, unless it holds,
    /// leaves the claim INCONCLUSIVE at this setup) and the two comparisons that decide.
    /// </summary>
    private static AnalysisResult Judge(ClaimContext context, Parameters p, List<Seed> seeds, bool control)
    {
        var scope = context.Claim.ScopeKind;
        // A diverged seed is undecided (its precondition says why) and its numbers stay out of the comparisons.
        double Read(Seed s, Func<Seed, double> value) => s.Traces.Diverged ? double.NaN : value(s);
        var (pre, preReason) = SeedVerdicts.Combine([.. seeds.Select(s => Precondition(s, p))]);
        List<double> Values(Func<Seed, double> value) => [.. seeds.Select(s => Read(s, value))];
        var coverage = Thresholds.Judge(scope, Quantities.Coverage, Values(s => s.Coverage), Relation.AtLeast, p.MinCoverage);
        var cv = Thresholds.Judge(scope, Quantities.QuietCv, Values(s => s.Variation.QuietCv), Relation.AtMost, p.MaxQuietCv);
        var peak = Thresholds.Judge(scope, Quantities.PeakRatio, Values(s => s.PeakRatio), Relation.AtLeast, p.SpikeFactor);
        var (decided, decidedReason) = Thresholds.Combine([cv, peak]);
        string prefix = control ? $"d shuffled in time (control, seed {ShuffleSeed}): " : "";
        // Coverage that is short (or within noise) leaves the setup unable to judge; no coverage at all means no seed was
        // read, which the per-seed preconditions say.
        bool measured = seeds.Any(s => double.IsFinite(s.Coverage));
        (Verdict verdict, string reason) = measured && coverage.Verdict != Verdict.Confirmed
            ? (Verdict.Inconclusive, $"{prefix}the slingshot spans leave too little of the run to judge 'most of the time' at this setup: "
                + $"{coverage.Reason}; measured all the same: {decidedReason}; per seed: {preReason}")
            : (SeedVerdicts.Worst([pre, decided]), $"{prefix}{coverage.Reason}; {decidedReason}; per seed: {preReason}");
        IReadOnlyList<ClaimFigure> figures = control ? [] : [Figure(context, seeds, p)];
        return new AnalysisResult(verdict, reason, Measured(seeds, p), figures) { Comparisons = [coverage, cv, peak] };
    }

    /// <summary>One seed's events: diverged, no slingshot, or no readable quiet CV leave it undecided; else measured.</summary>
    private static SeedFinding Precondition(Seed s, Parameters p)
    {
        var t = s.Traces;
        long seed = t.Spec.Seed;
        var v = s.Variation;
        string what = $"{s.Spans.Count} train-loss spike(s) at {SlingshotTraces.Steps([.. s.Spans.Select(x => x.Onset)])}; "
            + $"coverage {s.Coverage:P1}; cosine distance outside the spans: CV {v.QuietCv:G3} over {v.Kept} steps "
            + $"(whole run {v.WholeCv:G3}), median {s.QuietMedian:G3}; "
            + $"largest inside a span {s.SpanPeak:G3} = {s.PeakRatio:G3}x the median";
        if (t.Diverged)
        {
            return new(seed, Verdict.Inconclusive,
                $"{what}{t.DivergedNote}: the steps leading into a divergence are not the regime the claim is about", true);
        }

        if (s.Spans.Count == 0)
        {
            return new(seed, Verdict.Inconclusive, $"{what}: without a slingshot the exception cannot be tested");
        }

        if (double.IsNaN(v.QuietCv))
        {
            // Fewer than 3 quiet steps, or a mean of 0: the weights did not move outside the spans.
            string why = v.Kept < 3
                ? "too few steps outside the spans for a CV"
                : "the cosine distance outside the spans averages 0 (the weights do not move there), so it has no relative spread";
            return new(seed, Verdict.Inconclusive, $"{what}: {why}");
        }

        return new(seed, Verdict.Confirmed, what);
    }

    /// <summary>The decisive quantities' keys and names (stable: baselines match on the keys).</summary>
    private static class Quantities
    {
        public static readonly Quantity Coverage = new("coverage", "share of the run's steps outside the slingshot spans");

        public static readonly Quantity QuietCv = new("quietCv", "CV of the cosine distance outside the slingshot spans");

        public static readonly Quantity PeakRatio = new("peakRatio", "largest cosine distance in a span / median outside", "x");
    }

    private static List<MeasuredValue> Measured(List<Seed> seeds, Parameters p)
    {
        var coverage = seeds.Select(s => s.Coverage).ToList();
        var quiet = seeds.Select(s => s.Variation.QuietCv).ToList();
        var whole = seeds.Select(s => s.Variation.WholeCv).ToList();
        var ratios = seeds.Select(s => s.PeakRatio).ToList();
        var medians = seeds.Select(s => s.QuietMedian).ToList();
        var counts = seeds.Select(s => (double)s.Spans.Count).ToList();
        return
        [
            new("share of the steps after the burn-in outside the slingshot spans (min over seeds)",
                MemberSeries.Min(coverage), "", null, $">= {p.MinCoverage}", coverage, Key: "coverage"),
            new("CV of the cosine distance outside the slingshot spans (max over seeds)",
                MemberSeries.Max(quiet), "", null, $"<= {p.MaxQuietCv}", quiet, Key: "quietCv"),
            new("CV of the cosine distance over the whole run after the burn-in (median over seeds)",
                MemberSeries.Median(whole), "", null, "reported", whole, Key: "wholeCv"),
            new("largest cosine distance in a slingshot span / median outside the spans (min over seeds)",
                MemberSeries.Min(ratios), "", null, $">= {p.SpikeFactor}", ratios, Key: "peakRatio"),
            new("median cosine distance outside the slingshot spans (median over seeds)",
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
        string title = $"{context.Claim.Id}: cosine distance between successive weights; dotted: train-loss spike onsets";
        var panels = seeds.Select(s => Panel(s, p.BurnIn)).ToList();
        return context.Plot("cosine-distance", title, (dir, file) => PanelChart.Write(dir, file, title, panels));
    }

    private static ChartPanel Panel(Seed s, int burnIn)
    {
        var t = s.Traces;
        double[] steps = [.. Enumerable.Range(0, s.Distance.Length).Select(SlingshotTraces.StepOf)];
        var d = Envelope.Of(steps, [.. s.Distance.Select(x => x > 0 ? x : double.NaN)]);
        var markers = s.Spans.Select(o => (SlingshotTraces.StepOf(o.Onset), "")).Append((burnIn, "burn-in end")).ToList();
        return new ChartPanel(
            $"seed {t.Spec.Seed}{(t.Diverged ? $" (diverged at {t.DivergedStep})" : "")}",
            "step",
            "1 - cos(theta_t, theta_t+1)",
            [("cosine distance", d.X, d.Y)],
            markers,
            LogY: true);
    }
}
