using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-6 (Omnigrok Fig. 3d): on images with a small training set, a large initialization (<c>largeInit</c>) groks — train
/// accuracy reaches ~100% (<c>fitLevel</c>) long before test accuracy rises — while the standard one (<c>standardInit</c>)
/// does not — test accuracy rises with train accuracy. Test accuracy on such data never nears 100%, so "rises" is
/// read relative to the run: the first step at which test accuracy reaches <c>riseShare</c> of its maximum over the
/// run. Each member's regime follows <see cref="GeneralizationRegimes"/> with delay factor <c>grokkingDelay</c>; the
/// large initialization must also generalize: its maximum test accuracy at least <c>minTestAccuracy</c>.
/// </summary>
public sealed class ImageGrokking : ClaimAnalysis<ImageGrokking.Parameters>
{
    public override string Name => "image-grokking";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// OG-6's rule: what counts as fitted and as a rise, the delay that makes it grokking, the least test accuracy,
    /// and the two initializations.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double FitLevel,
        [Within(0, 1)] double RiseShare,
        [Within(1, double.MaxValue)] double GrokkingDelay,
        [Within(0, 1)] double MinTestAccuracy,
        [Within(double.Epsilon, double.MaxValue)] double LargeInit,
        [Within(double.Epsilon, double.MaxValue)] double StandardInit);

    /// <summary>One member's first step at the fit level, first step at the rise, and its maximum test accuracy.</summary>
    private sealed record Reading(double Fit, double Rise, double MaxTest, bool Diverged);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        string dataSet = context.Options?.Data.ImagesNameOrDefault ?? "images";
        var readings = Measure(context, parameters);
        var seeds = readings.Keys.Select(k => k.Seed).Distinct().Order().ToList();
        var findings = seeds.Select(s => Judge(s, readings, parameters, dataSet)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        return new AnalysisResult(verdict, reason, Values(seeds, readings, parameters, dataSet), [Figure(context, dataSet)]);
    }

    /// <summary>(initialization, expected regime) in the order each seed is judged: the large one groks, the standard one does not.</summary>
    private static (double Alpha, GeneralizationRegime Expected)[] Arms(Parameters p) =>
        [(p.LargeInit, GeneralizationRegime.Grokking), (p.StandardInit, GeneralizationRegime.Fast)];

    private static Dictionary<(double Alpha, long Seed), Reading> Measure(ClaimContext context, Parameters p)
    {
        var readings = new Dictionary<(double Alpha, long Seed), Reading>();
        foreach (var group in context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key))
        {
            foreach (var (alpha, _) in Arms(p))
            {
                var m = group.FirstOrDefault(x => Math.Abs(x.InitScale - alpha) < 1e-12)
                    ?? throw new InvalidOperationException($"{context.Claim.Id}: the run has no member with seed {group.Key} and alpha {alpha}");
                var rows = MemberSeries.RowsBeforeDivergence(context.Result, m.Index);
                double maxTest = rows.Length == 0 ? double.NaN : rows.Max(r => r.ValAccuracy);
                // Test accuracy on such data never nears 100%, so its rise is read against the member's own maximum.
                double fit = rows.FirstOrDefault(r => r.TrainAccuracy >= p.FitLevel) is { } f ? f.Step : double.NaN;
                double rise = rows.FirstOrDefault(r => r.ValAccuracy >= p.RiseShare * maxTest) is { } g ? g.Step : double.NaN;
                readings[(alpha, group.Key)] = new Reading(fit, rise, maxTest, context.Result.Events[m.Index].Diverged);
            }
        }

        return readings;
    }

    private static SeedFinding Judge(long seed, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p, string dataSet)
    {
        var parts = new List<string>();
        var verdicts = new List<Verdict>();
        foreach (var (alpha, expected) in Arms(p))
        {
            var r = readings[(alpha, seed)];
            var regime = GeneralizationRegimes.Classify(new AccuracyTimes(r.Fit, r.Rise, false), p.GrokkingDelay);
            bool enough = alpha != p.LargeInit || r.MaxTest >= p.MinTestAccuracy;
            parts.Add($"alpha {alpha:G3}: fit at {Step(r.Fit)}, test at {p.RiseShare:P0} of its max {r.MaxTest:P1} at {Step(r.Rise)}: "
                + regime.Describe() + (enough ? "" : $", max test accuracy below {p.MinTestAccuracy:P0}") + (r.Diverged ? " (diverged)" : ""));
            verdicts.Add(regime == expected && enough ? Verdict.Confirmed : r.Diverged ? Verdict.Inconclusive : Verdict.Refuted);
        }

        var verdict = SeedVerdicts.Worst(verdicts);
        bool diverged = Arms(p).Any(a => readings[(a.Alpha, seed)].Diverged);
        return new SeedFinding(seed, verdict, $"{dataSet}: " + string.Join("; ", parts), diverged && verdict != Verdict.Confirmed);
    }

    private static List<MeasuredValue> Values(List<long> seeds, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p, string dataSet)
    {
        var measured = new List<MeasuredValue>();
        foreach (double alpha in new[] { p.LargeInit, p.StandardInit })
        {
            string tag = alpha.ToString(CultureInfo.InvariantCulture);
            var fits = seeds.Select(s => readings[(alpha, s)].Fit).ToList();
            var rises = seeds.Select(s => readings[(alpha, s)].Rise).ToList();
            var maxima = seeds.Select(s => readings[(alpha, s)].MaxTest).ToList();
            measured.Add(new($"alpha {alpha:G3}: steps to {p.FitLevel:P0} train accuracy (median)", MemberSeries.Median(fits),
                "step", null, null, fits, Key: $"fit-a{tag}"));
            measured.Add(new($"alpha {alpha:G3}: steps to {p.RiseShare:P0} of the maximum test accuracy (median)", MemberSeries.Median(rises),
                "step", null, null, rises, Key: $"rise-a{tag}"));
            measured.Add(new($"alpha {alpha:G3}: maximum test accuracy on {dataSet} (median)", MemberSeries.Median(maxima), "", null,
                alpha == p.LargeInit ? $">= {p.MinTestAccuracy}" : null, maxima, Key: $"maxTest-a{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, string dataSet)
    {
        // Against log10(step), as Omnigrok's Fig. 3d: the delay spans decades.
        var series = new List<(string, double[], double[])>();
        foreach (var m in context.Members)
        {
            var rows = MemberSeries.Rows(context.Result, m.Index);
            var x = rows.Select(r => Math.Log10(r.Step)).ToArray();
            series.Add(($"alpha {m.InitScale:G3}, seed {m.Seed}", x, rows.Select(r => r.TrainAccuracy).ToArray()));
            series.Add(($"alpha {m.InitScale:G3}, seed {m.Seed}", x, rows.Select(r => r.ValAccuracy).ToArray()));
        }

        string title = $"{context.Claim.Id}: accuracy on {dataSet} (solid train, dashed test)";
        return context.Plot("accuracy", title, (dir, file) => Plots.LineChart.Write(dir, file, title, "log10 step", "accuracy", series));
    }

    private static string Step(double s) => double.IsFinite(s) ? "step " + AccuracyTimes.Show(s) : AccuracyTimes.Show(s);
}
