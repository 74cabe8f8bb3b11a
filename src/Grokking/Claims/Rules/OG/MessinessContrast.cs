using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-14 (Omnigrok section 5.2, Fig. 8 against Fig. 6): on images the reduced train and test losses over the (w, m) plane
/// behave alike and depend very weakly on the representation messiness m, in stark contrast to the algorithmic task,
/// whose test loss depends strongly on m. Reads two landscapes the same way (<see cref="MessinessLandscape"/>: members
/// keyed by alpha and m, the lowest train and validation loss of each run, at most the zero network's): the claim's
/// image run and the companion <see cref="AlgorithmicExperiment"/>. Per seed, over the weight norms at which the model
/// fits (some m reaches <c>fitLevel</c> of the zero network's train loss), in units of the zero network's loss, judged
/// over the seeds by the claim's scope: the images' train and test loss ranges along m at most <c>weakShare</c>; their
/// test loss above their train loss by at most <c>mismatchShare</c>; and, seed with seed, the algorithmic test loss's
/// range along m above the images' by at least <c>contrastGap</c>. The negative control swaps the landscapes: the
/// algorithmic run read as the images' must not pass as weakly dependent on m.
/// </summary>
public sealed class MessinessContrast : ClaimAnalysis<MessinessContrast.Parameters>
{
    public const string AlgorithmicExperiment = "og-toy-landscape";

    public const string Control = "landscapes-swapped";

    public override string Name => "messiness-contrast";

    /// <summary>
    /// The training-set size at which the algorithmic landscape is read where its run sweeps sizes (og-toy-landscape does,
    /// for OG-15's Fig. 6e): Fig. 6a/b are drawn at 45 pairs (Omnigrok's plotting notebook titles them "size = 45").
    /// </summary>
    public const int AlgorithmicTrainSize = 45;

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    private static readonly bool[] Splits = [true, false];

    /// <summary>
    /// OG-14's rule: where the model fits, and how weak the images' dependence on m, how small their mismatch, how much
    /// stronger the algorithmic one, each in units of the zero network's loss.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double FitLevel,
        [Within(0, 1)] double WeakShare,
        [Within(0, 1)] double MismatchShare,
        [Within(0, 1)] double ContrastGap);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) =>
        Run(context, context, context.Companion(AlgorithmicExperiment), parameters, figures: true);

    /// <summary>The rule with the landscapes swapped (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, context.Companion(AlgorithmicExperiment), context, parameters, figures: false);

    private static AnalysisResult Run(ClaimContext context, ClaimContext imagesArm, ClaimContext algorithmicArm, Parameters p, bool figures)
    {
        string images = imagesArm.Options?.Data.DataSetName ?? imagesArm.Experiment;
        string algorithmic = algorithmicArm.Options?.Data.DataSetName ?? algorithmicArm.Experiment;
        var weak = MessinessLandscape.Read(imagesArm, AlgorithmicTrainSize);
        var strong = MessinessLandscape.Read(algorithmicArm, AlgorithmicTrainSize);
        var scope = context.Claim.ScopeKind;
        var gaps = Contrast(weak, strong, p.FitLevel);
        List<Comparison> comparisons =
        [
            Thresholds.Judge(scope, new Quantity("imagesTrainM", "images: train loss's range along m where the model fits, over the zero network's"),
                [.. weak.Select(s => s.MDependence(train: true, p.FitLevel))], Relation.AtMost, p.WeakShare),
            Thresholds.Judge(scope, new Quantity("imagesTestM", "images: test loss's range along m where the model fits, over the zero network's"),
                [.. weak.Select(s => s.MDependence(train: false, p.FitLevel))], Relation.AtMost, p.WeakShare),
            Thresholds.Judge(scope, new Quantity("imagesMismatch", "images: test minus train loss where the model fits, over the zero network's"),
                [.. weak.Select(s => s.Mismatch(p.FitLevel))], Relation.AtMost, p.MismatchShare),
            Thresholds.Judge(scope, new Quantity("testContrast", "algorithmic minus images: test loss's range along m (seed with seed)"),
                gaps, Relation.AtLeast, p.ContrastGap),
        ];
        var (verdict, reason) = Thresholds.Combine(comparisons);
        var values = Values(weak, strong, gaps, p.FitLevel);
        IReadOnlyList<ClaimFigure> plots = figures ? [Figure(context, images, algorithmic, weak, strong)] : [];
        return new AnalysisResult(verdict, $"{reason} — images: {images} ({imagesArm.Experiment}), algorithmic: {algorithmic} "
            + $"({algorithmicArm.Experiment}); {Describe(weak, strong, p.FitLevel)}", values, plots) { Comparisons = comparisons };
    }

    /// <summary>Per seed of the images' run: the algorithmic run's test dependence on m minus the images' (NaN where either has none).</summary>
    private static List<double> Contrast(List<MessinessLandscape> weak, List<MessinessLandscape> strong, double fit) =>
        [.. weak.Select(w => strong.FirstOrDefault(s => s.Seed == w.Seed) is { } s
            ? s.MDependence(false, fit) - w.MDependence(false, fit)
            : double.NaN)];

    private static string Describe(List<MessinessLandscape> weak, List<MessinessLandscape> strong, double fit)
    {
        string Shares(string arm, List<MessinessLandscape> seeds) => $"{arm}: " + string.Join(", ", seeds.Select(s =>
            $"seed {s.Seed} fits at {Fitted(s, fit)}, "
            + $"along m train {Number(s.MDependence(true, fit))} test {Number(s.MDependence(false, fit))} mismatch {Number(s.Mismatch(fit))}"
            + (s.Saturated > 0 ? $" ({s.Saturated} cells above the zero network's loss, read at it)" : "")
            + (s.Diverged ? " (a member diverged: no reading)" : "")));
        return $"{Shares("images", weak)}; {Shares("algorithmic", strong)}";
    }

    private static string Number(double value) => FlipPoint.Number(value);

    private static string Fitted(MessinessLandscape seed, double fit) => seed.FittedColumns(fit) is { Length: > 0 } columns
        ? "alpha " + string.Join("/", columns.Select(i => MessinessLandscape.Tag(seed.Alphas[i])))
        : "no alpha";

    private static List<MeasuredValue> Values(List<MessinessLandscape> weak, List<MessinessLandscape> strong, List<double> gaps, double fit)
    {
        var values = new List<MeasuredValue>
        {
            new("algorithmic minus images: test loss's range along m, over the zero network's (median over seed pairs)", MemberSeries.Median(gaps),
                "", null, null, gaps, Key: "testContrast"),
        };
        foreach (var (arm, seeds) in new[] { ("images", weak), ("algorithmic", strong) })
        {
            foreach (bool train in Splits)
            {
                var ranges = seeds.Select(s => s.MDependence(train, fit)).ToList();
                string split = train ? "train" : "test";
                string name = $"{arm}: {split} loss's range along m where the model fits, over the zero network's (median)";
                values.Add(new(name, MemberSeries.Median(ranges), "", null, null, ranges, Key: $"{arm}-{split}-m"));
            }

            var mismatch = seeds.Select(s => s.Mismatch(fit)).ToList();
            values.Add(new($"{arm}: test minus train loss where the model fits, over the zero network's (median)", MemberSeries.Median(mismatch), "",
                null, null, mismatch, Key: $"{arm}-mismatch"));
            var zero = seeds.Select(s => s.Zero.Test).ToList();
            values.Add(new($"{arm}: the zero network's test loss (median)", MemberSeries.Median(zero), "", null, null, zero, Key: $"{arm}-zero"));
        }

        values.AddRange(Profile(weak, fit));
        return values;
    }

    /// <summary>The images' reduced train and test loss at each m, averaged over the fitted alphas (median over seeds).</summary>
    private static IEnumerable<MeasuredValue> Profile(List<MessinessLandscape> weak, double fit)
    {
        var read = weak.Where(s => !s.Diverged).ToList();
        var grid = weak.Count == 0 ? [] : weak[0].Messiness;
        for (int j = 0; j < grid.Length; j++)
        {
            string tag = MessinessLandscape.Tag(grid[j]);
            foreach (bool train in Splits)
            {
                var perSeed = read.Select(s => s.MProfile(train, fit)[j]).ToList();
                string split = train ? "train" : "test";
                yield return new($"images: reduced {split} loss at m {tag}, mean over the fitted alphas (median)", MemberSeries.Median(perSeed), "",
                    null, null, perSeed, Key: $"images-{split}-m{tag}");
            }
        }
    }

    /// <summary>Fig. 8a/b beside Fig. 6a/b: each landscape's train and test loss over (alpha, m), mean over seeds.</summary>
    private static ClaimFigure Figure(
        ClaimContext context, string images, string algorithmic, List<MessinessLandscape> weak, List<MessinessLandscape> strong)
    {
        static IEnumerable<HeatmapPanel> Panels(string arm, List<MessinessLandscape> seeds) => seeds.Count == 0 ? [] : Splits.Select(train =>
            new HeatmapPanel($"{(train ? "train" : "test")} loss, {arm}", "alpha = w / w0", "messiness m",
                seeds[0].Alphas, seeds[0].Messiness, MessinessLandscape.Mean(seeds, train)));
        string title = $"{context.Claim.Id}: reduced losses over weight norm and messiness (mean over seeds; at most the zero network's)";
        var panels = Panels($"images ({images})", weak).Concat(Panels($"algorithmic ({algorithmic})", strong)).ToList();
        return context.Plot("messiness", title, (dir, file) => HeatmapChart.Write(dir, file, title, panels));
    }
}
