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
public sealed class ImageGrokking : LegacyClaimAnalysis
{
    public override string Name => "image-grokking";

    public override IReadOnlyList<string> RequiredTolerances => ["fitLevel", "riseShare", "grokkingDelay", "minTestAccuracy", "largeInit", "standardInit"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double fitLevel = claim.ToleranceOf("fitLevel");
        double riseShare = claim.ToleranceOf("riseShare");
        double delay = claim.ToleranceOf("grokkingDelay");
        double minTest = claim.ToleranceOf("minTestAccuracy");
        double large = claim.ToleranceOf("largeInit");
        double standard = claim.ToleranceOf("standardInit");
        string dataSet = context.Options?.Data.ImagesNameOrDefault ?? "images";

        var findings = new List<SeedFinding>();
        var times = new Dictionary<(double Alpha, long Seed), (double Fit, double Rise, double MaxTest)>();
        foreach (var group in context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key))
        {
            var parts = new List<string>();
            var verdicts = new List<Verdict>();
            bool diverged = false;
            foreach (var (alpha, expected) in new[] { (large, GeneralizationRegime.Grokking), (standard, GeneralizationRegime.Fast) })
            {
                var m = group.FirstOrDefault(x => Math.Abs(x.InitScale - alpha) < 1e-12)
                    ?? throw new InvalidOperationException($"{claim.Id}: the run has no member with seed {group.Key} and alpha {alpha}");
                var rows = MemberSeries.RowsBeforeDivergence(context.Result, m.Index);
                double maxTest = rows.Length == 0 ? double.NaN : rows.Max(r => r.ValAccuracy);
                double fit = rows.FirstOrDefault(r => r.TrainAccuracy >= fitLevel) is { } f ? f.Step : double.NaN;
                double rise = rows.FirstOrDefault(r => r.ValAccuracy >= riseShare * maxTest) is { } g ? g.Step : double.NaN;
                times[(alpha, group.Key)] = (fit, rise, maxTest);
                var regime = GeneralizationRegimes.Classify(new AccuracyTimes(fit, rise, false), delay);
                bool enough = alpha != large || maxTest >= minTest;
                bool memberDiverged = context.Result.Events[m.Index].Diverged;
                diverged |= memberDiverged;
                parts.Add($"alpha {alpha:G3}: fit at {Step(fit)}, test at {riseShare:P0} of its max {maxTest:P1} at {Step(rise)}: {regime.Describe()}{(enough ? "" : $", max test accuracy below {minTest:P0}")}{(memberDiverged ? " (diverged)" : "")}");
                verdicts.Add(regime == expected && enough ? Verdict.Confirmed : memberDiverged ? Verdict.Inconclusive : Verdict.Refuted);
            }

            var verdict = SeedVerdicts.Worst(verdicts);
            findings.Add(new SeedFinding(group.Key, verdict, $"{dataSet}: " + string.Join("; ", parts), diverged && verdict != Verdict.Confirmed));
        }

        var (combined, reason) = SeedVerdicts.Combine(findings);
        var seeds = times.Keys.Select(k => k.Seed).Distinct().Order().ToList();
        var measured = new List<MeasuredValue>();
        foreach (double alpha in new[] { large, standard })
        {
            string tag = alpha.ToString(CultureInfo.InvariantCulture);
            var fits = seeds.Select(s => times[(alpha, s)].Fit).ToList();
            var rises = seeds.Select(s => times[(alpha, s)].Rise).ToList();
            var maxima = seeds.Select(s => times[(alpha, s)].MaxTest).ToList();
            measured.Add(new($"alpha {alpha:G3}: steps to {fitLevel:P0} train accuracy (median)", MemberSeries.Median(fits), "step", null, null, fits, Key: $"fit-a{tag}"));
            measured.Add(new($"alpha {alpha:G3}: steps to {riseShare:P0} of the maximum test accuracy (median)", MemberSeries.Median(rises), "step", null, null, rises, Key: $"rise-a{tag}"));
            measured.Add(new($"alpha {alpha:G3}: maximum test accuracy on {dataSet} (median)", MemberSeries.Median(maxima), "", null, alpha == large ? $">= {minTest}" : null, maxima, Key: $"maxTest-a{tag}"));
        }

        // Against log10(step), as Omnigrok's Fig. 3d: the delay spans decades.
        var series = new List<(string, double[], double[])>();
        foreach (var m in context.Members)
        {
            var rows = MemberSeries.Rows(context.Result, m.Index);
            var x = rows.Select(r => Math.Log10(r.Step)).ToArray();
            series.Add(($"alpha {m.InitScale:G3}, seed {m.Seed}", x, rows.Select(r => r.TrainAccuracy).ToArray()));
            series.Add(($"alpha {m.InitScale:G3}, seed {m.Seed}", x, rows.Select(r => r.ValAccuracy).ToArray()));
        }

        var (dir, file) = context.Figure("accuracy");
        string title = $"{claim.Id}: accuracy on {dataSet} (solid train, dashed test)";
        var figure = context.FigureOf(title, Plots.LineChart.Write(dir, file, title, "log10 step", "accuracy", series));
        return new AnalysisResult(combined, reason, measured, [figure]);
    }

    private static string Step(double s) => double.IsFinite(s) ? "step " + AccuracyTimes.Show(s) : AccuracyTimes.Show(s);
}
