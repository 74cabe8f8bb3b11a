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
/// the small initialization (<c>smallInit</c>) every one of those decays generalizes fast. Each cell is a comparison
/// over the seeds, judged by the claim's scope (<see cref="Thresholds.Judge"/>): a grokking or fast cell's delay
/// t_test / t_train (times to <c>accuracyLevel</c>) at least / at most <c>grokkingDelay</c> (resolution: one metric
/// interval over the cell's earliest train time); the no-generalization cell's best test accuracy over the budget
/// at most <c>accuracyLevel</c> (resolution: one test sample). "No generalization" needs a budget of at least
/// <c>minBudgetOverGrokking</c> times the grokking cell's test time, or it could be "not yet": that comparison failing
/// leaves the claim INCONCLUSIVE, never refuted. A member that never fits refutes (every cell of the paper fits); a
/// diverged member's value counts only where it is already evidence (a delay that holds; a generalization before it
/// stopped). The negative control swaps the two initializations: the paper's small initialization "always generalizes
/// fast", so read as the large one it must refute.
/// </summary>
public sealed class InitDecayMatrix : ClaimAnalysis<InitDecayMatrix.Parameters>
{
    public const string Control = "small-init-as-large";

    public override string Name => "init-decay-matrix";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

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

    /// <summary>Every (cell, seed)'s member, its times and best test accuracy, and the run's budget in steps.</summary>
    private sealed record Matrix(
        IReadOnlyList<Cell> Cells,
        IReadOnlyList<long> Seeds,
        IReadOnlyDictionary<(double Alpha, double Wd, long Seed), (MemberSpec Member, AccuracyTimes Times, double BestTest)> Readings,
        double Budget)
    {
        public AccuracyTimes Times(double alpha, double wd, long seed) => Readings[(alpha, wd, seed)].Times;

        public AccuracyTimes Times(Cell cell, long seed) => Times(cell.Alpha, cell.Wd, seed);
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Run(context, parameters, swapped: false);

    /// <summary>The rule with the initializations swapped (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, parameters, swapped: true);

    private static AnalysisResult Run(ClaimContext context, Parameters parameters, bool swapped)
    {
        var matrix = Measure(context, Cells(parameters, swapped), parameters.AccuracyLevel);
        double large = swapped ? parameters.SmallInit : parameters.LargeInit;
        double testResolution = context.Options?.Data.TestSamples is > 0 and var n ? 1.0 / n : 0;
        var comparisons = Comparisons(context.Claim.ScopeKind, matrix, parameters, large, MemberSeries.Cadence(context.Result), testResolution);
        var (verdict, reason) = Thresholds.Combine(comparisons);
        var unfitted = Unfitted(matrix);
        string cells = string.Join("; ", matrix.Seeds.Select(s => $"seed {s}: "
            + string.Join(", ", matrix.Cells.Select(c => $"{Where(c)} {Times(matrix.Times(c, s))}"))));
        verdict = SeedVerdicts.Worst([verdict, unfitted.Count > 0 ? Verdict.Refuted : Verdict.Confirmed]);
        string never = unfitted.Count == 0 ? "" : $"never reached {parameters.AccuracyLevel:P0} train accuracy: {string.Join(", ", unfitted)}; ";
        return new AnalysisResult(verdict, $"{never}{reason} — {cells}", Values(matrix, parameters), swapped ? [] : [Figure(context, matrix)])
        {
            Comparisons = comparisons,
        };
    }

    private static Cell[] Cells(Parameters p, bool swapped)
    {
        var (large, small) = swapped ? (p.SmallInit, p.LargeInit) : (p.LargeInit, p.SmallInit);
        return
        [
            new(large, 0, GeneralizationRegime.NoGeneralization),
            new(large, p.SmallDecay, GeneralizationRegime.Grokking),
            new(large, p.LargeDecay, GeneralizationRegime.Fast),
            new(small, 0, GeneralizationRegime.Fast),
            new(small, p.SmallDecay, GeneralizationRegime.Fast),
            new(small, p.LargeDecay, GeneralizationRegime.Fast),
        ];
    }

    /// <summary>
    /// Each cell's member per seed, its times to the level and best test accuracy before any divergence; a missing member
    /// is a definition error.
    /// </summary>
    private static Matrix Measure(ClaimContext context, IReadOnlyList<Cell> cells, double level)
    {
        var members = context.Members;
        var seeds = members.Select(m => m.Seed).Distinct().Order().ToList();
        var readings = new Dictionary<(double, double, long), (MemberSpec Member, AccuracyTimes Times, double BestTest)>();
        foreach (var cell in cells)
        {
            foreach (long seed in seeds)
            {
                var m = members.FirstOrDefault(x => x.Seed == seed && Same(x.InitScale, cell.Alpha) && Same(x.WeightDecay, cell.Wd))
                    ?? throw new InvalidOperationException(
                        $"{context.Claim.Id}: the run has no member with seed {seed}, alpha {cell.Alpha}, weight decay {cell.Wd}");
                double best = MemberSeries.Max(MemberSeries.RowsBeforeDivergence(context.Result, m.Index).Select(r => r.ValAccuracy));
                readings[(cell.Alpha, cell.Wd, seed)] = (m, AccuracyTimes.Of(context.Result, m.Index, level), best);
            }
        }

        return new Matrix(cells, seeds, readings, context.Result.StepsCompleted);
    }

    /// <summary>
    /// One comparison per cell, and the budget's. A diverged member's value is kept only where it is already evidence (a
    /// delay read before it stopped; a generalization that came before it stopped); the budget failing makes "never" undecided, not false.
    /// </summary>
    private static List<Comparison> Comparisons(ClaimScope scope, Matrix matrix, Parameters p, double large, double cadence, double testResolution)
    {
        var comparisons = matrix.Cells.Select(c => CellComparison(scope, matrix, c, p, cadence, testResolution)).ToList();
        var grokTimes = matrix.Seeds.Select(s => matrix.Times(large, p.SmallDecay, s).TestStep).ToList();
        var budget = Thresholds.Judge(scope, new Quantity("budgetOverGrokking", "budget / the grokking cell's test time", "x"),
            [.. grokTimes.Select(t => matrix.Budget / t)], Relation.AtLeast, p.MinBudgetOverGrokking,
            cadence * matrix.Budget / Math.Pow(MemberSeries.Max(grokTimes), 2));
        comparisons.Add(budget.Verdict == Verdict.Refuted
            ? budget with { Verdict = Verdict.Inconclusive, Reason = "the budget is too short for 'never' (not a counterexample): " + budget.Reason }
            : budget);
        return comparisons;
    }

    private static Comparison CellComparison(ClaimScope scope, Matrix matrix, Cell cell, Parameters p, double cadence, double testResolution)
    {
        var times = matrix.Seeds.Select(s => matrix.Times(cell, s)).ToList();
        string tag = $"a{cell.Alpha.ToString(CultureInfo.InvariantCulture)}-wd{cell.Wd.ToString(CultureInfo.InvariantCulture)}";
        if (cell.Expected == GeneralizationRegime.NoGeneralization)
        {
            // "Never" needs the whole budget: a diverged member counts only when it had already generalized (a counterexample).
            var best = matrix.Seeds.Select((s, i) => Keep(matrix.Readings[(cell.Alpha, cell.Wd, s)].BestTest, v => v >= p.AccuracyLevel, times[i]))
                .ToList();
            return Thresholds.Judge(scope, new Quantity($"bestTest-{tag}", $"{Where(cell)}: best test accuracy over the budget"),
                best, Relation.AtMost, p.AccuracyLevel, testResolution);
        }

        bool groks = cell.Expected == GeneralizationRegime.Grokking;
        var delays = times.Select(t => Keep(t.TestStep / t.TrainStep, v => groks ? v >= p.GrokkingDelay : v < p.GrokkingDelay, t)).ToList();
        return Thresholds.Judge(scope, new Quantity($"delay-{tag}", $"{Where(cell)}: t_test / t_train ({cell.Expected.Describe()})", "x"),
            delays, groks ? Relation.AtLeast : Relation.AtMost, p.GrokkingDelay, cadence / MemberSeries.Min(times.Select(t => t.TrainStep)));
    }

    /// <summary>A diverged member's value only where it is already evidence (<paramref name="counts"/>); NaN (no value) otherwise.</summary>
    private static double Keep(double value, Func<double, bool> counts, AccuracyTimes t) => t.Diverged && !counts(value) ? double.NaN : value;

    /// <summary>Members that completed without ever reaching the train level: every cell of the paper fits, so each refutes.</summary>
    private static List<string> Unfitted(Matrix matrix) =>
        [.. matrix.Cells.SelectMany(c => matrix.Seeds.Where(s => !double.IsFinite(matrix.Times(c, s).TrainStep) && !matrix.Times(c, s).Diverged)
            .Select(s => $"seed {s} {Where(c)}"))];

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
