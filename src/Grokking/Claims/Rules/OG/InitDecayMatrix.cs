using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-2: Omnigrok's Fig. 2b matrix. With the large initialization (<c>largeInit</c>): no weight decay gives no
/// generalization, a small one (<c>smallDecay</c>) grokking, a large one (<c>largeDecay</c>) fast generalization; with
/// the small initialization (<c>smallInit</c>) every one of those decays generalizes fast. Each member's regime comes
/// from its times to <c>accuracyLevel</c> train and test accuracy (<see cref="GeneralizationRegimes"/>, delay factor
/// <c>grokkingDelay</c>). "No generalization" needs a budget of at least <c>minBudgetOverGrokking</c> times the
/// grokking cell's test time, or it could be "not yet".
/// </summary>
public sealed class InitDecayMatrix : LegacyClaimAnalysis
{
    public override string Name => "init-decay-matrix";

    public override IReadOnlyList<string> RequiredTolerances => ["accuracyLevel", "grokkingDelay", "largeInit", "smallInit", "smallDecay", "largeDecay", "minBudgetOverGrokking"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var result = context.Result;
        double level = claim.ToleranceOf("accuracyLevel");
        double delay = claim.ToleranceOf("grokkingDelay");
        double large = claim.ToleranceOf("largeInit");
        double small = claim.ToleranceOf("smallInit");
        double smallWd = claim.ToleranceOf("smallDecay");
        double largeWd = claim.ToleranceOf("largeDecay");
        double budgetFactor = claim.ToleranceOf("minBudgetOverGrokking");
        double budget = result.StepsCompleted;

        var cells = new (double Alpha, double Wd, GeneralizationRegime Expected)[]
        {
            (large, 0, GeneralizationRegime.NoGeneralization),
            (large, smallWd, GeneralizationRegime.Grokking),
            (large, largeWd, GeneralizationRegime.Fast),
            (small, 0, GeneralizationRegime.Fast),
            (small, smallWd, GeneralizationRegime.Fast),
            (small, largeWd, GeneralizationRegime.Fast),
        };

        var members = context.Members;
        var seeds = members.Select(m => m.Seed).Distinct().Order().ToList();
        var times = new Dictionary<(double, double, long), (MemberSpec Member, AccuracyTimes Times)>();
        foreach (var cell in cells)
        {
            foreach (long seed in seeds)
            {
                var m = members.FirstOrDefault(x => x.Seed == seed && Same(x.InitScale, cell.Alpha) && Same(x.WeightDecay, cell.Wd))
                    ?? throw new InvalidOperationException($"{claim.Id}: the run has no member with seed {seed}, alpha {cell.Alpha}, weight decay {cell.Wd}");
                times[(cell.Alpha, cell.Wd, seed)] = (m, AccuracyTimes.Of(result, m.Index, level));
            }
        }

        var findings = new List<SeedFinding>();
        foreach (long seed in seeds)
        {
            var wrong = new List<string>();
            var diverged = new List<string>();
            double grokTest = times[(large, smallWd, seed)].Times.TestStep;
            bool budgetTooShort = false;
            foreach (var cell in cells)
            {
                var t = times[(cell.Alpha, cell.Wd, seed)].Times;
                var regime = GeneralizationRegimes.Classify(t, delay);
                string where = $"alpha {cell.Alpha:G3} wd {cell.Wd:G3}: {regime.Describe()} ({Times(t)})";
                bool generalized = regime is GeneralizationRegime.Grokking or GeneralizationRegime.Fast;
                if (cell.Expected == GeneralizationRegime.NoGeneralization)
                {
                    // "Never" needs the whole budget: a member that stopped early says nothing about it, unless it
                    // had already generalized (which refutes, diverged or not).
                    if (generalized || (regime == GeneralizationRegime.NoFit && !t.Diverged))
                    {
                        wrong.Add($"{where}, expected {cell.Expected.Describe()}");
                    }
                    else if (t.Diverged)
                    {
                        diverged.Add(where + ", diverged before the budget was spent");
                    }
                    else if (!(budget >= budgetFactor * grokTest))
                    {
                        budgetTooShort = true;
                    }
                }
                else if (regime != cell.Expected)
                {
                    if (t.Diverged)
                    {
                        diverged.Add(where + ", diverged");
                    }
                    else
                    {
                        wrong.Add($"{where}, expected {cell.Expected.Describe()}");
                    }
                }
            }

            findings.Add(wrong.Count > 0
                ? new SeedFinding(seed, Verdict.Refuted, string.Join("; ", wrong))
                : diverged.Count > 0
                    ? new SeedFinding(seed, Verdict.Inconclusive, string.Join("; ", diverged), Diverged: true)
                    : budgetTooShort
                        ? new SeedFinding(seed, Verdict.Inconclusive, $"no generalization without weight decay, but the budget ({budget:0} steps) is shorter than {budgetFactor}x the grokking cell's test time ({grokTest:0} steps)")
                        : new SeedFinding(seed, Verdict.Confirmed, "all six cells as the paper says: " + string.Join("; ", cells.Select(c => $"alpha {c.Alpha:G3} wd {c.Wd:G3} {Times(times[(c.Alpha, c.Wd, seed)].Times)}"))));
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var measured = new List<MeasuredValue>();
        foreach (var cell in cells)
        {
            var perSeed = seeds.Select(s => times[(cell.Alpha, cell.Wd, s)].Times).ToList();
            string tag = $"a{cell.Alpha.ToString(CultureInfo.InvariantCulture)}-wd{cell.Wd.ToString(CultureInfo.InvariantCulture)}";
            measured.Add(new($"steps to {level:P0} train accuracy, alpha {cell.Alpha:G3}, wd {cell.Wd:G3} (median over seeds)", MemberSeries.Median(perSeed.Select(t => t.TrainStep)), "step", null, null, perSeed.Select(t => t.TrainStep).ToList(), Key: $"tTrain-{tag}"));
            measured.Add(new($"steps to {level:P0} test accuracy, alpha {cell.Alpha:G3}, wd {cell.Wd:G3} (median over seeds, never counted as latest; NaN = never)", MemberSeries.MedianTime(perSeed.Select(t => t.TestStep)), "step", null, $"expected: {cell.Expected.Describe()} (grokking: test >= {delay}x train)", perSeed.Select(t => t.TestStep).ToList(), Key: $"tTest-{tag}"));
        }

        measured.Add(new("budget", budget, "step", null, $">= {budgetFactor} x the grokking cell's test time", Key: "budget"));
        return new AnalysisResult(verdict, reason, measured, [Figure(context, cells.Select(c => (c.Alpha, c.Wd)).ToList(), seeds, times)]);
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) < 1e-12;

    private static string Times(AccuracyTimes t) =>
        $"train {AccuracyTimes.Show(t.TrainStep)}, test {AccuracyTimes.Show(t.TestStep)}";

    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<(double Alpha, double Wd)> cells, IReadOnlyList<long> seeds, Dictionary<(double, double, long), (MemberSpec Member, AccuracyTimes Times)> times)
    {
        // Omnigrok plots these against log10(step): the delays span orders of magnitude.
        var panels = cells.Select(c =>
        {
            var series = new List<(string, double[], double[])>();
            foreach (long seed in seeds)
            {
                var rows = MemberSeries.Rows(context.Result, times[(c.Alpha, c.Wd, seed)].Member.Index);
                var x = rows.Select(r => Math.Log10(r.Step)).ToArray();
                series.Add(($"seed {seed}", x, rows.Select(r => r.TrainAccuracy).ToArray()));
                series.Add(($"seed {seed}", x, rows.Select(r => r.ValAccuracy).ToArray()));
            }

            return new ChartPanel($"alpha {c.Alpha:G3}, wd {c.Wd:G3}", "log10 step", "accuracy (solid train, dashed test)", series);
        }).ToList();
        var (dir, file) = context.Figure("matrix");
        return context.FigureOf($"{context.Claim.Id}: initialization x weight decay", PanelChart.Write(dir, file, $"{context.Claim.Id}: accuracy for alpha x weight decay (Omnigrok Fig. 2b)", panels));
    }
}
