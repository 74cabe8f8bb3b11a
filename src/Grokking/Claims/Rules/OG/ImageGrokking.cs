using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-6 (Omnigrok Fig. 3d), and OG-8 (Fig. 4d) on reviews by the same rule: on images with a small training set, a
/// large initialization (<c>largeInit</c>) groks — train
/// accuracy reaches ~100% (<c>fitLevel</c>) long before test accuracy rises — while the standard one (<c>standardInit</c>)
/// does not — test accuracy rises with train accuracy. Test accuracy on such data never nears 100%, so "rises" is
/// read relative to the run: the first step at which test accuracy reaches <c>riseShare</c> of its maximum over the
/// run. Per seed and initialization the delay is rise / fit (<see cref="GeneralizationRegimes"/>: grokking from
/// <c>grokkingDelay</c> on). Three comparisons, judged by the claim's scope (<see cref="Thresholds.Judge"/>): the large
/// initialization's delay at least <c>grokkingDelay</c> and its maximum test accuracy at least <c>minTestAccuracy</c>,
/// the standard one's delay at most <c>grokkingDelay</c>. A member that diverged or never fitted has no value (left
/// out, and said). The negative control swaps the two initializations: the paper's point A (the standard one) does not
/// grok, so read as the large one it must refute. OG-13 (Fig. 12, cross-entropy) also states the paper's MNIST levels, the
/// plateau test accuracy and the final one: they are reported beside the measured levels as distances, never judged (the
/// verdict names the data set, which may not be MNIST).
/// </summary>
public sealed class ImageGrokking : ClaimAnalysis<ImageGrokking.Parameters>
{
    public const string Control = "standard-init-as-large";

    public override string Name => "image-grokking";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>
    /// OG-6's rule: what counts as fitted and as a rise, the delay that makes it grokking, the least test accuracy,
    /// and the two initializations; optionally the paper's plateau and final test accuracy of the large one (distances only).
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double FitLevel,
        [Within(0, 1)] double RiseShare,
        [Within(1, double.MaxValue)] double GrokkingDelay,
        [Within(0, 1)] double MinTestAccuracy,
        [Within(double.Epsilon, double.MaxValue)] double LargeInit,
        [Within(double.Epsilon, double.MaxValue)] double StandardInit,
        [FromPaper("plateau test accuracy")] double? PaperPlateau = null,
        [FromPaper("final test accuracy")] double? PaperFinal = null);

    /// <summary>
    /// One member's first step at the fit level, first step at the rise, its maximum test accuracy, and its test accuracy
    /// at the fit step (the level of the plateau that follows a fit, when there is one).
    /// </summary>
    private sealed record Reading(double Fit, double Rise, double MaxTest, double AtFit, bool Diverged)
    {
        /// <summary>rise / fit; NaN (no value) when the member diverged or an event never came.</summary>
        public double Delay => Diverged ? double.NaN : Rise / Fit;

        public double Ceiling => Diverged ? double.NaN : MaxTest;

        public double Plateau => Diverged ? double.NaN : AtFit;
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Run(context, parameters, parameters.LargeInit, parameters.StandardInit, figures: true);

    /// <summary>The rule with the initializations swapped: the standard one must grok, the large one must not (see the summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, parameters, parameters.StandardInit, parameters.LargeInit, figures: false);

    private static AnalysisResult Run(ClaimContext context, Parameters p, double grokking, double fast, bool figures)
    {
        string dataSet = context.Options?.Data.DataSetName ?? "images";
        var readings = Measure(context, p);
        var seeds = readings.Keys.Select(k => k.Seed).Distinct().Order().ToList();
        double cadence = MemberSeries.Cadence(context.Result);
        var comparisons = Comparisons(context.Claim.ScopeKind, seeds, readings, p, (grokking, fast), cadence);
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string perSeed = string.Join("; ", seeds.Select(s => Describe(s, readings, p, dataSet)));
        string distances = Distances(seeds, readings, p, grokking, dataSet);
        ClaimFigure[] figure = figures ? [Figure(context, p, dataSet)] : [];
        return new AnalysisResult(verdict, $"{reason} — {perSeed}{distances}", Values(seeds, readings, p, dataSet), figure)
        {
            Comparisons = comparisons,
        };
    }

    private static Dictionary<(double Alpha, long Seed), Reading> Measure(ClaimContext context, Parameters p) =>
        new InitializationPair(p.LargeInit, p.StandardInit).Read(context, (rows, diverged) =>
        {
            double maxTest = rows.Length == 0 ? double.NaN : rows.Max(r => r.ValAccuracy);
            // Test accuracy on such data never nears 100%, so its rise is read against the member's own maximum.
            var fitted = rows.FirstOrDefault(r => r.TrainAccuracy >= p.FitLevel);
            double fit = fitted is { } f ? f.Step : double.NaN;
            double rise = rows.FirstOrDefault(r => r.ValAccuracy >= p.RiseShare * maxTest) is { } g ? g.Step : double.NaN;
            return new Reading(fit, rise, maxTest, fitted is { } h ? h.ValAccuracy : double.NaN, diverged);
        });

    /// <summary>
    /// The delays of the grokking and the fast initialization against <c>grokkingDelay</c>, and the grokking one's ceiling
    /// against <c>minTestAccuracy</c>. A universal reading's resolution: the delay moves by one metric interval over the
    /// earliest fit (cadence / fit); the ceiling by one test image's worth of accuracy is below float noise here, so the
    /// cadence's share is what counts.
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
            Thresholds.Judge(scope, new Quantity($"delay-a{Tag(alphas.Grokking)}", $"alpha {alphas.Grokking:G3}: rise step / fit step"),
                Of(alphas.Grokking, r => r.Delay), Relation.AtLeast, p.GrokkingDelay, Resolution(alphas.Grokking)),
            Thresholds.Judge(scope, new Quantity($"ceiling-a{Tag(alphas.Grokking)}", $"alpha {alphas.Grokking:G3}: maximum test accuracy"),
                Of(alphas.Grokking, r => r.Ceiling), Relation.AtLeast, p.MinTestAccuracy),
            Thresholds.Judge(scope, new Quantity($"delay-a{Tag(alphas.Fast)}", $"alpha {alphas.Fast:G3}: rise step / fit step"),
                Of(alphas.Fast, r => r.Delay), Relation.AtMost, p.GrokkingDelay, Resolution(alphas.Fast)),
        ];
    }

    private static string Describe(long seed, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p, string dataSet)
    {
        var parts = new[] { p.LargeInit, p.StandardInit }.Select(alpha =>
        {
            var r = readings[(alpha, seed)];
            var regime = GeneralizationRegimes.Classify(new AccuracyTimes(r.Fit, r.Rise, false), p.GrokkingDelay);
            return $"alpha {alpha:G3}: fit at {Step(r.Fit)}, test at {p.RiseShare:P0} of its max {r.MaxTest:P1} at {Step(r.Rise)}: "
                + regime.Describe() + (r.Diverged ? " (diverged)" : "");
        });
        return $"seed {seed}: {dataSet}: " + string.Join("; ", parts);
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
            bool large = alpha == p.LargeInit;
            measured.Add(new($"alpha {alpha:G3}: maximum test accuracy on {dataSet} (median)", MemberSeries.Median(maxima), "",
                large ? p.PaperFinal : null, large ? $">= {p.MinTestAccuracy}" + (p.PaperFinal is null ? "" : PaperIsDistance) : null,
                maxima, Key: $"maxTest-a{tag}"));
            if (large && p.PaperPlateau is { } plateau)
            {
                var levels = seeds.Select(s => readings[(alpha, s)].Plateau).ToList();
                measured.Add(new($"alpha {alpha:G3}: test accuracy at the fit step (the plateau's level) on {dataSet} (median)",
                    MemberSeries.Median(levels), "", plateau, "measured only" + PaperIsDistance, levels, Key: $"plateau-a{tag}"));
            }
        }

        return measured;
    }

    private const string PaperIsDistance = "; the paper's value (MNIST) is a distance, never a threshold";

    /// <summary>
    /// The measured plateau and maximum test accuracy of the grokking initialization against the paper's values, as signed
    /// distances (measured - paper); empty when the claim states neither.
    /// </summary>
    private static string Distances(
        List<long> seeds, Dictionary<(double Alpha, long Seed), Reading> readings, Parameters p, double grokking, string dataSet)
    {
        if (grokking != p.LargeInit)
        {
            return string.Empty; // the control: the paper's values describe the large initialization, not the standard one
        }

        var parts = new List<string>();

        void Add(string what, double? paper, Func<Reading, double> pick)
        {
            if (paper is not { } value)
            {
                return;
            }

            double measured = MemberSeries.Median(seeds.Select(s => pick(readings[(grokking, s)])));
            parts.Add(double.IsFinite(measured)
                ? $"{what} {measured:P1} against {value:P1} ({(measured - value) * 100:+0.0;-0.0} points)"
                : $"{what}: no value (no seed has it) against {value:P1}");
        }

        Add("test accuracy at the fit step", p.PaperPlateau, r => r.Plateau);
        Add("maximum test accuracy", p.PaperFinal, r => r.Ceiling);
        return parts.Count == 0
            ? string.Empty
            : $" — alpha {grokking:G3} on {dataSet} against the paper's MNIST figures (distances, not judged; medians over seeds): "
                + string.Join(", ", parts);
    }

    private static ClaimFigure Figure(ClaimContext context, Parameters p, string dataSet)
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

        // The paper's levels (OG-13: MNIST's) as flat reference lines across the run, so the distance is seen, not judged.
        var steps = series.SelectMany(s => s.Item2).ToList();
        double[] span = steps.Count == 0 ? [0, 1] : [steps.Min(), steps.Max()];
        foreach (var (what, level) in new[] { ("plateau", p.PaperPlateau), ("final", p.PaperFinal) })
        {
            if (level is { } y)
            {
                series.Add(($"paper's {what} test accuracy (MNIST) {y:P0}", span, [y, y]));
            }
        }

        string title = $"{context.Claim.Id}: accuracy on {dataSet} (solid train, dashed test)";
        return context.Plot("accuracy", title, (dir, file) => Plots.LineChart.Write(dir, file, title, "log10 step", "accuracy", series));
    }

    private static string Step(double s) => double.IsFinite(s) ? "step " + AccuracyTimes.Show(s) : AccuracyTimes.Show(s);
}
