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
public sealed class InitDecayMatrix : ClaimAnalysis<InitDecayMatrix.Parameters>
{
    public override string Name => "init-decay-matrix";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>OG-2's rule: the accuracy level and delay that classify a member, the matrix's axes, and the budget "never" needs.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double AccuracyLevel,
        [Within(1, double.MaxValue)] double GrokkingDelay,
        [Within(double.Epsilon, double.MaxValue)] double LargeInit,
        [Within(double.Epsilon, double.MaxValue)] double SmallInit,
        [Within(double.Epsilon, double.MaxValue)] double SmallDecay,
        [Within(double.Epsilon, double.MaxValue)] double LargeDecay,
        [Within(1, double.MaxValue)] double MinBudgetOverGrokking);

    /// <summary>One cell of Fig. 2b: an initialization, a weight decay, and the regime the paper shows there.</summary>
    private sealed record Cell(double Alpha, double Wd, GeneralizationRegime Expected);

    /// <summary>Every (cell, seed)'s member and its times, and the run's budget in steps.</summary>
    private sealed record Matrix(
        IReadOnlyList<Cell> Cells,
        IReadOnlyList<long> Seeds,
        IReadOnlyDictionary<(double Alpha, double Wd, long Seed), (MemberSpec Member, AccuracyTimes Times)> Readings,
        double Budget)
    {
        public AccuracyTimes Times(double alpha, double wd, long seed) => Readings[(alpha, wd, seed)].Times;

        public AccuracyTimes Times(Cell cell, long seed) => Times(cell.Alpha, cell.Wd, seed);
    }

    /// <summary>What one cell says about a seed: a contradiction, a diverged (undecided) reading, or a "never" that needs the budget.</summary>
    private sealed record CellCheck(string? Wrong, string? Diverged, bool Never);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var matrix = Measure(context, Cells(parameters), parameters.AccuracyLevel);
        var findings = matrix.Seeds.Select(seed => Judge(seed, matrix, parameters)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        return new AnalysisResult(verdict, reason, Values(matrix, parameters), [Figure(context, matrix)]);
    }

    private static Cell[] Cells(Parameters p) =>
    [
        new(p.LargeInit, 0, GeneralizationRegime.NoGeneralization),
        new(p.LargeInit, p.SmallDecay, GeneralizationRegime.Grokking),
        new(p.LargeInit, p.LargeDecay, GeneralizationRegime.Fast),
        new(p.SmallInit, 0, GeneralizationRegime.Fast),
        new(p.SmallInit, p.SmallDecay, GeneralizationRegime.Fast),
        new(p.SmallInit, p.LargeDecay, GeneralizationRegime.Fast),
    ];

    /// <summary>Each cell's member per seed and its times to the level; a missing member is a definition error.</summary>
    private static Matrix Measure(ClaimContext context, IReadOnlyList<Cell> cells, double level)
    {
        var members = context.Members;
        var seeds = members.Select(m => m.Seed).Distinct().Order().ToList();
        var readings = new Dictionary<(double, double, long), (MemberSpec Member, AccuracyTimes Times)>();
        foreach (var cell in cells)
        {
            foreach (long seed in seeds)
            {
                var m = members.FirstOrDefault(x => x.Seed == seed && Same(x.InitScale, cell.Alpha) && Same(x.WeightDecay, cell.Wd))
                    ?? throw new InvalidOperationException(
                        $"{context.Claim.Id}: the run has no member with seed {seed}, alpha {cell.Alpha}, weight decay {cell.Wd}");
                readings[(cell.Alpha, cell.Wd, seed)] = (m, AccuracyTimes.Of(context.Result, m.Index, level));
            }
        }

        return new Matrix(cells, seeds, readings, context.Result.StepsCompleted);
    }

    private static SeedFinding Judge(long seed, Matrix matrix, Parameters p)
    {
        double grokTest = matrix.Times(p.LargeInit, p.SmallDecay, seed).TestStep;
        var checks = matrix.Cells.Select(c => Check(c, matrix.Times(c, seed), p.GrokkingDelay)).ToList();
        var wrong = checks.Select(c => c.Wrong).OfType<string>().ToList();
        var diverged = checks.Select(c => c.Diverged).OfType<string>().ToList();
        bool budgetTooShort = checks.Any(c => c.Never) && !(matrix.Budget >= p.MinBudgetOverGrokking * grokTest);
        if (wrong.Count > 0)
        {
            return new SeedFinding(seed, Verdict.Refuted, string.Join("; ", wrong));
        }

        if (diverged.Count > 0)
        {
            return new SeedFinding(seed, Verdict.Inconclusive, string.Join("; ", diverged), Diverged: true);
        }

        return budgetTooShort
            ? new SeedFinding(seed, Verdict.Inconclusive, $"no generalization without weight decay, but the budget ({matrix.Budget:0} steps) "
                + $"is shorter than {p.MinBudgetOverGrokking}x the grokking cell's test time ({grokTest:0} steps)")
            : new SeedFinding(seed, Verdict.Confirmed,
                "all six cells as the paper says: " + string.Join("; ", matrix.Cells.Select(c => $"{Where(c)} {Times(matrix.Times(c, seed))}")));
    }

    private static CellCheck Check(Cell cell, AccuracyTimes t, double delay)
    {
        var regime = GeneralizationRegimes.Classify(t, delay);
        string where = $"{Where(cell)}: {regime.Describe()} ({Times(t)})";
        string wrong = $"{where}, expected {cell.Expected.Describe()}";
        if (cell.Expected != GeneralizationRegime.NoGeneralization)
        {
            return regime == cell.Expected ? new(null, null, false)
                : t.Diverged ? new(null, where + ", diverged", false)
                : new(wrong, null, false);
        }

        // "Never" needs the whole budget: a member that stopped early says nothing about it, unless it had already
        // generalized (which refutes, diverged or not).
        bool generalized = regime is GeneralizationRegime.Grokking or GeneralizationRegime.Fast;
        return generalized || (regime == GeneralizationRegime.NoFit && !t.Diverged) ? new(wrong, null, false)
            : t.Diverged ? new(null, where + ", diverged before the budget was spent", false)
            : new(null, null, true);
    }

    private static List<MeasuredValue> Values(Matrix matrix, Parameters p)
    {
        var measured = new List<MeasuredValue>();
        foreach (var cell in matrix.Cells)
        {
            var perSeed = matrix.Seeds.Select(s => matrix.Times(cell, s)).ToList();
            var train = perSeed.Select(t => t.TrainStep).ToList();
            var test = perSeed.Select(t => t.TestStep).ToList();
            string tag = $"a{cell.Alpha.ToString(CultureInfo.InvariantCulture)}-wd{cell.Wd.ToString(CultureInfo.InvariantCulture)}";
            string what = $"alpha {cell.Alpha:G3}, wd {cell.Wd:G3}";
            measured.Add(new($"steps to {p.AccuracyLevel:P0} train accuracy, {what} (median over seeds)", MemberSeries.Median(train),
                "step", null, null, train, Key: $"tTrain-{tag}"));
            measured.Add(new($"steps to {p.AccuracyLevel:P0} test accuracy, {what} (median over seeds, never counted as latest; NaN = never)",
                MemberSeries.MedianTime(test), "step", null, $"expected: {cell.Expected.Describe()} (grokking: test >= {p.GrokkingDelay}x train)",
                test, Key: $"tTest-{tag}"));
        }

        measured.Add(new("budget", matrix.Budget, "step", null, $">= {p.MinBudgetOverGrokking} x the grokking cell's test time", Key: "budget"));
        return measured;
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) < 1e-12;

    private static string Where(Cell cell) => $"alpha {cell.Alpha:G3} wd {cell.Wd:G3}";

    private static string Times(AccuracyTimes t) =>
        $"train {AccuracyTimes.Show(t.TrainStep)}, test {AccuracyTimes.Show(t.TestStep)}";

    private static ClaimFigure Figure(ClaimContext context, Matrix matrix)
    {
        // Omnigrok plots these against log10(step): the delays span orders of magnitude.
        var panels = matrix.Cells.Select(c =>
        {
            var series = new List<(string, double[], double[])>();
            foreach (long seed in matrix.Seeds)
            {
                var rows = MemberSeries.Rows(context.Result, matrix.Readings[(c.Alpha, c.Wd, seed)].Member.Index);
                var x = rows.Select(r => Math.Log10(r.Step)).ToArray();
                series.Add(($"seed {seed}", x, rows.Select(r => r.TrainAccuracy).ToArray()));
                series.Add(($"seed {seed}", x, rows.Select(r => r.ValAccuracy).ToArray()));
            }

            return new ChartPanel($"alpha {c.Alpha:G3}, wd {c.Wd:G3}", "log10 step", "accuracy (solid train, dashed test)", series);
        }).ToList();
        string id = context.Claim.Id;
        return context.Plot("matrix", $"{id}: initialization x weight decay",
            (dir, file) => PanelChart.Write(dir, file, $"{id}: accuracy for alpha x weight decay (Omnigrok Fig. 2b)", panels));
    }
}
