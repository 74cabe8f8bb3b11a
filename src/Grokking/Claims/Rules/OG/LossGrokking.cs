using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Training;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-9 (Omnigrok Fig. 5d): a regression with a small training set, where a large initialization (<c>largeInit</c>) groks
/// - the test loss drops sharply long after the train loss has fallen - and the standard one (<c>standardInit</c>) does
/// not. A regression has no accuracy to reach, so both events are read on the log-loss scale relative to the run
/// (<see cref="Progress"/>): fit when the train loss has covered <c>fitProgress</c> of its way (in log) from its first
/// value to its minimum, drop when the test loss has covered <c>dropProgress</c> of its own. Per seed and
/// initialization the delay is drop / fit, and the drop's depth the decades the test loss falls from the fit step to its
/// minimum. Three comparisons, judged by the claim's scope: the large initialization's delay at least
/// <c>grokkingDelay</c> and its depth at least <c>minDropDecades</c>, the standard one's delay at most
/// <c>grokkingDelay</c>. The negative control swaps the two initializations.
/// </summary>
public sealed class LossGrokking : ClaimAnalysis<LossGrokking.Parameters>
{
    public const string Control = "standard-init-as-large";

    public override string Name => "loss-grokking";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>OG-9's rule: what counts as fitted and as the drop, the delay that makes it grokking, the least depth, the two
    /// initializations.</summary>
    public sealed record Parameters(
        [Within(0, 1)] double FitProgress,
        [Within(0, 1)] double DropProgress,
        [Within(1, double.MaxValue)] double GrokkingDelay,
        [Within(0, double.MaxValue)] double MinDropDecades,
        [Within(double.Epsilon, double.MaxValue)] double LargeInit,
        [Within(double.Epsilon, double.MaxValue)] double StandardInit);

    /// <summary>One member's fit step, drop step and drop depth (decades); NaN where an event never came or the member diverged.</summary>
    private sealed record Reading(double Fit, double Drop, double Depth, bool Diverged)
    {
        public double Delay => Diverged ? double.NaN : Drop / Fit;

        public double Decades => Diverged ? double.NaN : Depth;
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Run(context, parameters, parameters.LargeInit, parameters.StandardInit, figures: true);

    /// <summary>The rule with the initializations swapped: the standard one must grok, the large one must not.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, parameters, parameters.StandardInit, parameters.LargeInit, figures: false);

    /// <summary>
    /// Share of the way (in log) from the series' first value to its minimum that each value has covered: 0 at the start,
    /// 1 at the minimum; NaN throughout when the series never falls below its first value.
    /// </summary>
    public static double[] Progress(IReadOnlyList<double> values)
    {
        double first = Math.Log(values[0]);
        double span = first - Math.Log(values.Min());
        return [.. values.Select(v => span > 0 ? (first - Math.Log(v)) / span : double.NaN)];
    }

    private static AnalysisResult Run(ClaimContext context, Parameters p, double grokking, double fast, bool figures)
    {
        string dataSet = context.Options?.Data.DataSetName ?? "the data";
        var readings = Measure(context, p);
        var seeds = readings.Keys.Select(k => k.Seed).Distinct().Order().ToList();
        double cadence = MemberSeries.Cadence(context.Result);
        var comparisons = Comparisons(context.Claim.ScopeKind, seeds, readings, p, (grokking, fast), cadence);
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string perSeed = string.Join("; ", seeds.Select(s => Describe(s, readings, p, dataSet)));
        return new AnalysisResult(verdict, $"{reason} — {perSeed}", Values(seeds, readings, p), figures ? [Figure(context, dataSet)] : [])
        {
            Comparisons = comparisons,
        };
    }

    private static Dictionary<(double Alpha, long Seed), Reading> Measure(ClaimContext context, Parameters p) =>
        new InitializationPair(p.LargeInit, p.StandardInit).Read(context, (rows, diverged) => Read(rows, p, diverged));

    private static Reading Read(MetricRow[] rows, Parameters p, bool diverged)
    {
        if (rows.Length < 2)
        {
            return new Reading(double.NaN, double.NaN, double.NaN, diverged);
        }

        var train = Progress([.. rows.Select(r => r.TrainLoss)]);
        var test = Progress([.. rows.Select(r => r.ValLoss)]);
        int fit = Array.FindIndex(train, v => v >= p.FitProgress);
        int drop = Array.FindIndex(test, v => v >= p.DropProgress);
        double depth = fit < 0 ? double.NaN : Math.Log10(rows[fit].ValLoss / rows.Min(r => r.ValLoss));
        return new Reading(fit < 0 ? double.NaN : rows[fit].Step, drop < 0 ? double.NaN : rows[drop].Step, depth, diverged);
    }

    /// <summary>
    /// The delays against <c>grokkingDelay</c> (resolution: one metric interval over the earliest fit), the depth against
    /// <c>minDropDecades</c>.
    /// </summary>
    private static List<Comparison> Comparisons(
        ClaimScope scope, List<long> seeds, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p,
        (double Grokking, double Fast) alphas, double cadence)
    {
        List<double> Of(double alpha, Func<Reading, double> pick) => [.. seeds.Select(s => pick(readings[(alpha, s)]))];
        double Resolution(double alpha) => cadence / MemberSeries.Min(Of(alpha, r => r.Fit));
        string Tag(double alpha) => alpha.ToString(CultureInfo.InvariantCulture);
        return
        [
            Thresholds.Judge(scope, new Quantity($"delay-a{Tag(alphas.Grokking)}", $"alpha {alphas.Grokking:G3}: test-loss drop step / fit step"),
                Of(alphas.Grokking, r => r.Delay), Relation.AtLeast, p.GrokkingDelay, Resolution(alphas.Grokking)),
            Thresholds.Judge(
                scope, new Quantity($"depth-a{Tag(alphas.Grokking)}", $"alpha {alphas.Grokking:G3}: test-loss fall after the fit (decades)"),
                Of(alphas.Grokking, r => r.Decades), Relation.AtLeast, p.MinDropDecades),
            Thresholds.Judge(scope, new Quantity($"delay-a{Tag(alphas.Fast)}", $"alpha {alphas.Fast:G3}: test-loss drop step / fit step"),
                Of(alphas.Fast, r => r.Delay), Relation.AtMost, p.GrokkingDelay, Resolution(alphas.Fast)),
        ];
    }

    private static string Describe(long seed, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p, string dataSet)
    {
        var parts = new[] { p.LargeInit, p.StandardInit }.Select(alpha =>
        {
            var r = readings[(alpha, seed)];
            return $"alpha {alpha:G3}: train loss fitted at {Step(r.Fit)}, test loss dropped at {Step(r.Drop)} "
                + $"(delay {r.Delay:G3}, {r.Depth:G3} decades after the fit)" + (r.Diverged ? " (diverged)" : "");
        });
        return $"seed {seed}: {dataSet}: " + string.Join("; ", parts);
    }

    private static List<MeasuredValue> Values(List<long> seeds, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p)
    {
        var measured = new List<MeasuredValue>();
        foreach (double alpha in new[] { p.LargeInit, p.StandardInit })
        {
            string tag = alpha.ToString(CultureInfo.InvariantCulture);
            List<double> Of(Func<Reading, double> pick) => [.. seeds.Select(s => pick(readings[(alpha, s)]))];
            var fits = Of(r => r.Fit);
            var drops = Of(r => r.Drop);
            var depths = Of(r => r.Depth);
            measured.Add(new($"alpha {alpha:G3}: fit step, {p.FitProgress:P0} of the train loss's log fall (median)", MemberSeries.Median(fits),
                "step", null, null, fits, Key: $"fit-a{tag}"));
            measured.Add(new($"alpha {alpha:G3}: drop step, {p.DropProgress:P0} of the test loss's log fall (median)", MemberSeries.Median(drops),
                "step", null, null, drops, Key: $"drop-a{tag}"));
            measured.Add(new($"alpha {alpha:G3}: test-loss fall after the fit (median)", MemberSeries.Median(depths), "decades", null,
                alpha == p.LargeInit ? $">= {p.MinDropDecades}" : null, depths, Key: $"depth-a{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, string dataSet)
    {
        // log10 loss against log10 step, as Fig. 5d draws them.
        var series = new List<(string, double[], double[])>();
        foreach (var m in context.Members)
        {
            var rows = MemberSeries.Rows(context.Result, m.Index).Where(r => r.Step > 0).ToList();
            var x = rows.Select(r => Math.Log10(r.Step)).ToArray();
            series.Add(($"alpha {m.InitScale:G3}, seed {m.Seed}", x, rows.Select(r => Math.Log10(r.TrainLoss)).ToArray()));
            series.Add(($"alpha {m.InitScale:G3}, seed {m.Seed}", x, rows.Select(r => Math.Log10(r.ValLoss)).ToArray()));
        }

        string title = $"{context.Claim.Id}: loss on {dataSet} (solid train, dashed test)";
        return context.Plot("loss", title, (dir, file) => Plots.LineChart.Write(dir, file, title, "log10 step", "log10 loss", series));
    }

    private static string Step(double s) => double.IsFinite(s) ? "step " + AccuracyTimes.Show(s) : AccuracyTimes.Show(s);
}
