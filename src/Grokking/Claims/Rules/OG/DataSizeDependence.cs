using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-7 (Omnigrok Fig. 3e, 6e) and OG-11 (Fig. 3e on images): more training data makes generalization faster, and
/// below a critical data size the model does not generalize within the budget. Reads a train-fraction sweep
/// (Population:TrainFractions) or a training-size sweep (Population:TrainSamples), whichever the population has; the
/// text below says "fraction" for either. Per seed, over the fractions in increasing order, with t(r) the steps to
/// <c>accuracyLevel</c> test accuracy (never = ∞):
/// <list type="bullet">
/// <item>the shape, an event precondition per seed: the fractions that generalize form an upper range (none generalizes
/// below one that does not), and at least one fraction fails and at least two succeed, so both a critical size and a
/// trend are seen; a completed seed without it refutes, a diverged member leaves it undecided;</item>
/// <item>the trend, a comparison judged by the claim's scope (<see cref="Thresholds"/>, issue 25): the seed's largest
/// relative rise of t(r) from one generalizing fraction to the next is at most <c>timeSlack</c>, with the metric
/// cadence as the resolution (each t is known to one row gap);</item>
/// <item>when the claim states <c>criticalFactor</c>, the critical fraction r_c (the smallest that generalizes, in the
/// median over seeds) lies within that factor of the paper's value; without it r_c is reported as a distance only
/// (r_c depends on the number of pairs, i.e. on the prime a ci layer may change), and without a paper value (OG-11:
/// the text gives none) as a measurement only.</item>
/// </list>
/// The control is the same rule on the train-accuracy curve, which has no critical size: it must refute.
/// </summary>
public sealed class DataSizeDependence : ClaimAnalysis<DataSizeDependence.Parameters>
{
    public override string Name => "data-size-dependence";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// OG-7's rule: the test level, the slack on "faster", the paper's critical fraction (optional: OG-11's text gives
    /// none), and (optional) the factor within which the measured critical fraction must lie; without it the critical
    /// fraction is a distance only.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(0, double.MaxValue)] double TimeSlack,
        [FromPaper("critical fraction")] double? PaperCritical = null,
        [Within(1, double.MaxValue)] double? CriticalFactor = null);

    /// <summary>What the sweep varies: the train fraction (modular data) or the number of training examples.</summary>
    private sealed record Axis(string Noun, string KeyPrefix, string Symbol)
    {
        public static readonly Axis Fraction = new("fraction", "r", "r_c");

        public static readonly Axis Size = new("training-set size", "n", "N_c");
    }

    /// <summary>One fraction's time to the level (in TestStep, whichever curve is read) and the metric-row gap before it (0: never).</summary>
    private sealed record Point(double Fraction, AccuracyTimes Times, double Gap);

    /// <summary>One seed's times to the level, by increasing train fraction.</summary>
    private sealed record SeedSweep(long Seed, IReadOnlyList<Point> Points, Axis Axis)
    {
        public double[] Fractions => [.. Points.Select(p => p.Fraction)];

        public double[] TestSteps => [.. Points.Select(p => p.Times.TestStep)];
    }

    public override string? ControlName => "train-curve";

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Judge(context, parameters, Measure(context, parameters.AccuracyLevel, train: false), "test");

    /// <summary>
    /// The control: the same rule on the times to the level in train accuracy. Every fraction memorizes its training set,
    /// so the train curve has no critical size (and larger sets take no less time to fit): the rule must refute it.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Judge(context, parameters, Measure(context, parameters.AccuracyLevel, train: true), "train");

    /// <summary>
    /// The rule on one set of curves: each seed's shape (an upper range of generalizing fractions above a failing one)
    /// is an event precondition, the trend a comparison: the worst relative rise of the time per seed against
    /// <c>timeSlack</c>, judged by the claim's scope with the metric cadence as its resolution.
    /// </summary>
    private static AnalysisResult Judge(ClaimContext context, Parameters parameters, List<SeedSweep> sweeps, string curve)
    {
        var judged = sweeps.Select(s => (Sweep: s, Curve: DataSizeCurve.Judge(s.Fractions, s.TestSteps, parameters.TimeSlack))).ToList();
        var (shape, shapeReason) = SeedVerdicts.Combine([.. judged.Select(j => Finding(j.Sweep, j.Curve))]);
        var rises = judged.Select(j => j.Curve.WorstRise).ToList();
        var axis = sweeps.FirstOrDefault()?.Axis ?? Axis.Fraction;
        var quantity = new Quantity(
            "worstRise", $"largest relative rise of the steps to the {curve} level from one generalizing {axis.Noun} to the next");
        var trend = Thresholds.Judge(context.Claim.ScopeKind, quantity, rises, Relation.AtMost, parameters.TimeSlack, Resolution(sweeps));
        var (combined, trendReason) = Thresholds.Combine([trend]);
        var verdict = SeedVerdicts.Worst([shape, combined]);
        string reason = $"{curve} curves: shape (a failing {axis.Noun} below an upper range that generalizes): {shapeReason}; "
            + $"trend: {trendReason}";
        var criticals = judged.Select(j => j.Curve.CriticalFraction).ToList();
        double critical = MemberSeries.Median(criticals);
        (verdict, reason) = JudgeCritical(verdict, reason, critical, parameters);
        var measured = Values(sweeps, axis, critical, criticals, rises, parameters);
        return new AnalysisResult(verdict, reason, measured, [Figure(context, sweeps, parameters, curve)]) { Comparisons = [trend] };
    }

    /// <summary>
    /// The resolution of a relative rise t2 / t1 − 1: each time is the first metric row at the level, so the crossing lies
    /// up to one row gap c earlier, and the rise can move by up to c·(t1 + t2) / t1². The largest over every seed's
    /// consecutive generalizing pair, c being the gap to each member's previous metric row (the run's cadence).
    /// </summary>
    private static double Resolution(List<SeedSweep> sweeps)
    {
        double worst = 0;
        foreach (var p in sweeps.Select(s => s.Points))
        {
            for (int i = 0; i + 1 < p.Count; i++)
            {
                double t1 = p[i].Times.TestStep, t2 = p[i + 1].Times.TestStep;
                if (double.IsFinite(t1) && double.IsFinite(t2))
                {
                    worst = Math.Max(worst, Math.Max(p[i].Gap, p[i + 1].Gap) * (t1 + t2) / (t1 * t1));
                }
            }
        }

        return worst;
    }

    /// <summary>
    /// Per seed the times to <paramref name="level"/> in test accuracy, or in train accuracy for the control (then carried
    /// in <see cref="AccuracyTimes.TestStep"/>, the field the rule reads).
    /// </summary>
    private static List<SeedSweep> Measure(ClaimContext context, double level, bool train)
    {
        var members = context.Members;
        var axis = members.All(m => !double.IsNaN(m.TrainFraction)) ? Axis.Fraction
            : members.All(m => m.TrainSamples > 0) ? Axis.Size
            : throw new InvalidOperationException($"{context.Claim.Id}: the analysis reads a train-fraction or training-size sweep; "
                + "the experiment has neither Population:TrainFractions nor Population:TrainSamples");

        Point PointOf(MemberSpec m)
        {
            var times = AccuracyTimes.Of(context.Result, m.Index, level);
            var read = train ? times with { TestStep = times.TrainStep } : times;
            var before = MemberSeries.RowsBeforeDivergence(context.Result, m.Index).Where(r => r.Step < read.TestStep);
            double gap = double.IsFinite(read.TestStep) ? read.TestStep - before.Select(r => (double)r.Step).DefaultIfEmpty(0).Max() : 0;
            return new Point(axis == Axis.Fraction ? m.TrainFraction : m.TrainSamples, read, gap);
        }

        return [.. members.GroupBy(m => m.Seed).OrderBy(g => g.Key).Select(g => new SeedSweep(g.Key,
            [.. g.Select(PointOf).OrderBy(p => p.Fraction)], axis))];
    }

    private static SeedFinding Finding(SeedSweep sweep, DataSizeCurve curve)
    {
        // The shape only (the trend is the comparison). A diverged member leaves a failed shape undecided: it may have
        // generalized with the rest of the budget.
        bool diverged = sweep.Points.Any(p => p.Times.Diverged);
        var verdict = curve.Shaped ? Verdict.Confirmed : diverged ? Verdict.Inconclusive : Verdict.Refuted;
        string described = curve.Describe(sweep.Fractions, sweep.TestSteps, sweep.Axis.Noun);
        return new SeedFinding(sweep.Seed, verdict, described, diverged && !curve.Shaped);
    }

    /// <summary>With a critical factor, a confirmed curve whose critical fraction lies outside it refutes after all.</summary>
    private static (Verdict Verdict, string Reason) JudgeCritical(Verdict verdict, string reason, double critical, Parameters p)
    {
        bool near = p.CriticalFactor is not { } f || p.PaperCritical is not { } paper || (critical >= paper / f && critical <= paper * f);
        return verdict == Verdict.Confirmed && !near
            ? (Verdict.Refuted,
                $"the critical fraction {critical:G3} is not within a factor {p.CriticalFactor} of the paper's {p.PaperCritical} — {reason}")
            : (verdict, reason);
    }

    private static List<MeasuredValue> Values(
        List<SeedSweep> sweeps, Axis axis, double critical, List<double> criticals, List<double> rises, Parameters p)
    {
        string criticalName = axis == Axis.Fraction ? "critical train fraction" : "critical training-set size";
        string tolerance = p.CriticalFactor is { } within ? $"within x{within}" : p.PaperCritical is null ? "measured only" : "distance only";
        var measured = new List<MeasuredValue>
        {
            new($"{criticalName} (smallest that generalizes; median over seeds)", critical, "", p.PaperCritical,
                tolerance, criticals, Key: axis == Axis.Fraction ? "criticalFraction" : "criticalSize"),
            new($"largest relative rise of the time from one generalizing {axis.Noun} to the next (max over seeds; NaN = no pair)",
                MemberSeries.Max(rises), "", null, $"<= {p.TimeSlack}", rises, Key: "worstRise"),
        };
        foreach (double fraction in sweeps.SelectMany(s => s.Points.Select(x => x.Fraction)).Distinct().Order())
        {
            var perSeed = sweeps.Select(s => s.Points.First(x => Math.Abs(x.Fraction - fraction) < 1e-12).Times.TestStep).ToList();
            string tag = fraction.ToString("G3", CultureInfo.InvariantCulture);
            measured.Add(new($"steps to {p.AccuracyLevel:P0} test accuracy at {axis.Noun} {tag} (median, never counted as latest; NaN = never)",
                MemberSeries.MedianTime(perSeed), "step", null, null, perSeed, Key: $"tTest-{axis.KeyPrefix}{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, List<SeedSweep> sweeps, Parameters p, string curve)
    {
        var series = sweeps.Select(s =>
        {
            var done = s.Points.Where(x => double.IsFinite(x.Times.TestStep)).ToList();
            return ($"seed {s.Seed}", done.Select(x => x.Fraction).ToArray(), done.Select(x => Math.Log10(x.Times.TestStep)).ToArray());
        }).ToList();
        var axis = sweeps.FirstOrDefault()?.Axis ?? Axis.Fraction;
        string noun = axis == Axis.Fraction ? "train fraction" : axis.Noun;
        string title = $"{context.Claim.Id}: steps to {p.AccuracyLevel:P0} {curve} accuracy against the {noun} (missing = never)";
        IReadOnlyList<(double, string)> markers = p.PaperCritical is { } paper ? [(paper, $"paper {axis.Symbol}")] : [];
        return context.Plot(curve == "test" ? "time-vs-fraction" : "control-train-time-vs-fraction", title,
            (dir, file) => LineChart.Write(dir, file, title, noun, "log10 steps", series, markers));
    }
}
