using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-7 (Omnigrok Fig. 3e, 6e): more training data makes generalization faster, and below a critical data size the
/// model does not generalize within the budget. Reads a train-fraction sweep (Population:TrainFractions). Per seed,
/// over the fractions in increasing order, with t(r) the steps to <c>accuracyLevel</c> test accuracy (never = ∞):
/// <list type="bullet">
/// <item>the fractions that generalize form an upper range (none generalizes below one that does not);</item>
/// <item>over that range t(r) never rises by more than <c>timeSlack</c> (relative) from one fraction to the next;</item>
/// <item>at least one fraction fails and at least two succeed, so both a critical size and a trend are seen;</item>
/// <item>when the claim states <c>criticalFactor</c>, the critical fraction r_c (the smallest that generalizes, in the
/// median over seeds) lies within that factor of the paper's value; without it r_c is reported as a distance only
/// (r_c depends on the number of pairs, i.e. on the prime a ci layer may change).</item>
/// </list>
/// </summary>
public sealed class DataSizeDependence : ClaimAnalysis<DataSizeDependence.Parameters>
{
    public override string Name => "data-size-dependence";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// OG-7's rule: the test level, the slack on "faster", the paper's critical fraction, and (optional) the factor
    /// within which the measured critical fraction must lie; without it the critical fraction is a distance only.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(0, double.MaxValue)] double TimeSlack,
        [FromPaper("critical fraction")] double PaperCritical,
        [Within(1, double.MaxValue)] double? CriticalFactor = null);

    /// <summary>One seed's times to the test level, by increasing train fraction.</summary>
    private sealed record SeedSweep(long Seed, IReadOnlyList<(double Fraction, AccuracyTimes Times)> Points)
    {
        public double[] Fractions => [.. Points.Select(p => p.Fraction)];

        public double[] TestSteps => [.. Points.Select(p => p.Times.TestStep)];
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var sweeps = Measure(context, parameters.AccuracyLevel);
        var judged = sweeps.Select(s => (Sweep: s, Curve: DataSizeCurve.Judge(s.Fractions, s.TestSteps, parameters.TimeSlack))).ToList();
        var (verdict, reason) = SeedVerdicts.Combine([.. judged.Select(j => Finding(j.Sweep, j.Curve))]);
        var criticals = judged.Select(j => j.Curve.CriticalFraction).ToList();
        double critical = MemberSeries.Median(criticals);
        (verdict, reason) = JudgeCritical(verdict, reason, critical, parameters);
        var measured = Values(sweeps, critical, criticals, parameters);
        return new AnalysisResult(verdict, reason, measured, [Figure(context, sweeps, parameters)]);
    }

    private static List<SeedSweep> Measure(ClaimContext context, double level)
    {
        var members = context.Members;
        if (members.Any(m => double.IsNaN(m.TrainFraction)))
        {
            throw new InvalidOperationException(
                $"{context.Claim.Id}: the analysis reads a train-fraction sweep; the experiment has no Population:TrainFractions");
        }

        return [.. members.GroupBy(m => m.Seed).OrderBy(g => g.Key).Select(g => new SeedSweep(g.Key,
            [.. g.OrderBy(m => m.TrainFraction).Select(m => (m.TrainFraction, AccuracyTimes.Of(context.Result, m.Index, level)))]))];
    }

    private static SeedFinding Finding(SeedSweep sweep, DataSizeCurve curve)
    {
        // A diverged member leaves a failed curve undecided: it may have generalized with the rest of the budget.
        bool diverged = sweep.Points.Any(p => p.Times.Diverged);
        var verdict = curve.Holds ? Verdict.Confirmed : diverged ? Verdict.Inconclusive : Verdict.Refuted;
        return new SeedFinding(sweep.Seed, verdict, curve.Describe(sweep.Fractions, sweep.TestSteps), diverged && !curve.Holds);
    }

    /// <summary>With a critical factor, a confirmed curve whose critical fraction lies outside it refutes after all.</summary>
    private static (Verdict Verdict, string Reason) JudgeCritical(Verdict verdict, string reason, double critical, Parameters p)
    {
        bool near = p.CriticalFactor is not { } f || (critical >= p.PaperCritical / f && critical <= p.PaperCritical * f);
        return verdict == Verdict.Confirmed && !near
            ? (Verdict.Refuted,
                $"the critical fraction {critical:G3} is not within a factor {p.CriticalFactor} of the paper's {p.PaperCritical} — {reason}")
            : (verdict, reason);
    }

    private static List<MeasuredValue> Values(List<SeedSweep> sweeps, double critical, List<double> criticals, Parameters p)
    {
        var measured = new List<MeasuredValue>
        {
            new("critical train fraction (smallest that generalizes; median over seeds)", critical, "", p.PaperCritical,
                p.CriticalFactor is { } within ? $"within x{within}" : "distance only", criticals, Key: "criticalFraction"),
        };
        foreach (double fraction in sweeps.SelectMany(s => s.Points.Select(x => x.Fraction)).Distinct().Order())
        {
            var perSeed = sweeps.Select(s => s.Points.First(x => Math.Abs(x.Fraction - fraction) < 1e-12).Times.TestStep).ToList();
            string tag = fraction.ToString("G3", CultureInfo.InvariantCulture);
            measured.Add(new($"steps to {p.AccuracyLevel:P0} test accuracy at fraction {tag} (median, never counted as latest; NaN = never)",
                MemberSeries.MedianTime(perSeed), "step", null, null, perSeed, Key: $"tTest-r{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, List<SeedSweep> sweeps, Parameters p)
    {
        var series = sweeps.Select(s =>
        {
            var done = s.Points.Where(x => double.IsFinite(x.Times.TestStep)).ToList();
            return ($"seed {s.Seed}", done.Select(x => x.Fraction).ToArray(), done.Select(x => Math.Log10(x.Times.TestStep)).ToArray());
        }).ToList();
        string title = $"{context.Claim.Id}: steps to {p.AccuracyLevel:P0} test accuracy against the train fraction (missing = never)";
        return context.Plot("time-vs-fraction", title,
            (dir, file) => LineChart.Write(dir, file, title, "train fraction", "log10 steps", series, [(p.PaperCritical, "paper r_c")]));
    }
}
