using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Configuration;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// OG-1 (Omnigrok Fig. 2a): the reduced losses against the weight norm α·w₀, each member trained at its own α with the
/// norm held fixed (Optimizer:ConstrainNorm), read at the end of the run. Per seed, over the α grid in increasing order
/// (<see cref="LuCurve"/>), three or four quantities, each judged over the seeds by the claim's scope (<see cref="Thresholds"/>):
/// <list type="bullet">
/// <item>"L": the train loss's largest rise from one α to the next, as a share of its range, at most <c>monotoneSlack</c>;
/// its largest value for α ≥ 1 over its value at the smallest α at most <c>flatShare</c>;</item>
/// <item>"U": the lower end of the test curve at least (1 + <c>uDepth</c>) times its minimum (a minimum at an end of
/// the grid gives 1, so this also says the minimum is inside);</item>
/// <item>where the claim states <c>nearOneFactor</c> (OG-1: Fig. 2a's "minimum at α ≈ 1"), the minimizing α within that
/// factor of 1: |log10 α_min| at most log10 <c>nearOneFactor</c>; without it (OG-16: Fig. 9's text places no minimum) the
/// minimizing α is reported only.</item>
/// </list>
/// A seed with a diverged member has no values (its losses stopped where it diverged). The negative control reads the
/// train curve as the test curve: with no mismatch between the two landscapes there is no U (the paper's large-data
/// case, where "the U becomes more like L"), so the rule must refute it.
/// </summary>
public sealed class LuShape : ClaimAnalysis<LuShape.Parameters>
{
    public const string Control = "train-curve-as-test";

    public override string Name => "lu-shape";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => Control;

    /// <summary>
    /// OG-1's rule: how the L and the U are read; optionally (where the paper places the minimum) the factor within which
    /// the test minimum's alpha must lie and the paper's alpha it reports beside.
    /// </summary>
    public sealed record Parameters(
        [Within(0, 1)] double MonotoneSlack,
        [Within(0, 1)] double FlatShare,
        [Within(0, double.MaxValue)] double UDepth,
        [Within(1, double.MaxValue)] double? NearOneFactor = null,
        [FromPaper("test minimum alpha")] double? PaperMinimumAlpha = null);

    /// <summary>One member's reduced losses at the end of its run.</summary>
    private sealed record LossPoint(double Alpha, double Train, double Test, bool Diverged);

    /// <summary>One seed's losses over the alpha grid, in increasing alpha.</summary>
    private sealed record SeedCurve(long Seed, IReadOnlyList<LossPoint> Points);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters) => Run(context, parameters, trainAsTest: false);

    /// <summary>The rule on the train curve read as the test curve (see the class summary).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters) =>
        Run(context, parameters, trainAsTest: true);

    private static AnalysisResult Run(ClaimContext context, Parameters parameters, bool trainAsTest)
    {
        var curves = Measure(context, trainAsTest);
        // The losses' own precision: digits below it are not a measured shape (float32 by default).
        double precision = context.Options?.Model.Precision == Precision.Float64 ? Math.BitIncrement(1.0) - 1.0 : MathF.BitIncrement(1f) - 1f;
        var shapes = curves.Select(c => Shape(c, parameters, precision)).ToList();
        var comparisons = Comparisons(context.Claim.ScopeKind, shapes, parameters);
        var (verdict, reason) = Thresholds.Combine(comparisons);
        string perSeed = string.Join("; ", curves.Select((c, i) => $"seed {c.Seed}: " + (shapes[i]?.Describe() ?? "a member diverged")));
        var minima = shapes.Select(x => x?.TestMinimumAlpha ?? double.NaN).ToList();
        IReadOnlyList<ClaimFigure> figures = trainAsTest ? [] : [Figure(context, curves)];
        return new AnalysisResult(verdict, $"{reason} — {perSeed}", Values(curves, minima, parameters), figures)
        {
            Comparisons = comparisons,
        };
    }

    private static List<SeedCurve> Measure(ClaimContext context, bool trainAsTest)
    {
        LossPoint Read(MemberSpec m)
        {
            var last = MemberSeries.Rows(context.Result, m.Index)[^1];
            double test = trainAsTest ? last.TrainLoss : last.ValLoss;
            return new LossPoint(m.InitScale, last.TrainLoss, test, context.Result.Events[m.Index].Diverged);
        }

        return [.. context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key)
            .Select(g => new SeedCurve(g.Key, [.. g.OrderBy(m => m.InitScale).Select(Read)]))];
    }

    /// <summary>The seed's L/U reading; null when a member diverged (its losses stopped where it diverged).</summary>
    private static LuCurve? Shape(SeedCurve curve, Parameters p, double precision)
    {
        var points = curve.Points;
        return points.Any(x => x.Diverged) ? null : LuCurve.Judge(
            [.. points.Select(x => x.Alpha)], [.. points.Select(x => x.Train)], [.. points.Select(x => x.Test)],
            p.MonotoneSlack, p.FlatShare, p.UDepth, p.NearOneFactor ?? double.MaxValue, precision);
    }

    /// <summary>
    /// The per-seed quantities against their thresholds, the minimum's place only where the claim states a factor (the
    /// losses are read once, at the end: no cadence).
    /// </summary>
    private static List<Comparison> Comparisons(ClaimScope scope, List<LuCurve?> shapes, Parameters p)
    {
        List<double> Of(Func<LuCurve, double> pick) => [.. shapes.Select(x => x is null ? double.NaN : pick(x))];
        List<Comparison> comparisons =
        [
            Thresholds.Judge(scope, new Quantity("trainRise", "largest rise of the train loss between neighbouring alphas, share of its range"),
                Of(x => x.WorstRise), Relation.AtMost, p.MonotoneSlack),
            Thresholds.Judge(scope, new Quantity("trainFlat", "largest train loss for alpha >= 1 over the train loss at the smallest alpha"),
                Of(x => x.FlatRatio), Relation.AtMost, p.FlatShare),
            Thresholds.Judge(scope, new Quantity("uDepth", "lower end of the test curve over its minimum", "x"),
                Of(x => x.EndRatio), Relation.AtLeast, 1 + p.UDepth),
        ];
        if (p.NearOneFactor is { } factor)
        {
            comparisons.Add(Thresholds.Judge(scope, new Quantity("minimumOffset", "|log10 alpha| of the test-loss minimum"),
                Of(x => Math.Abs(Math.Log10(x.TestMinimumAlpha))), Relation.AtMost, Math.Log10(factor)));
        }

        return comparisons;
    }

    private static List<MeasuredValue> Values(IReadOnlyList<SeedCurve> curves, List<double> minima, Parameters p)
    {
        var measured = new List<MeasuredValue>
        {
            new("alpha of the test-loss minimum (median over seeds)", MemberSeries.Median(minima), "", p.PaperMinimumAlpha,
                p.NearOneFactor is { } factor ? $"within x{factor} of 1" : null, minima, Key: "testMinAlpha"),
        };
        var alphaGrid = curves.Count == 0 ? [] : curves[0].Points.Select(x => x.Alpha).ToList();
        foreach (double a in alphaGrid)
        {
            var train = curves.Select(c => c.Points.First(x => Math.Abs(x.Alpha - a) < 1e-12).Train).ToList();
            var test = curves.Select(c => c.Points.First(x => Math.Abs(x.Alpha - a) < 1e-12).Test).ToList();
            string tag = a.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);
            measured.Add(new($"reduced train loss at alpha {tag} (median over seeds)", MemberSeries.Median(train), "", null, null, train,
                Key: $"train-a{tag}"));
            measured.Add(new($"reduced test loss at alpha {tag} (median over seeds)", MemberSeries.Median(test), "", null, null, test,
                Key: $"test-a{tag}"));
        }

        return measured;
    }

    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<SeedCurve> curves)
    {
        var series = new List<(string, double[], double[])>();
        foreach (var (seed, points) in curves)
        {
            var x = points.Select(p => Math.Log10(p.Alpha)).ToArray();
            series.Add(($"seed {seed}", x, points.Select(p => p.Train).ToArray()));
            series.Add(($"seed {seed}", x, points.Select(p => p.Test).ToArray()));
        }

        string title = $"{context.Claim.Id}: reduced train (solid) and test (dashed) loss against alpha = w / w0";
        return context.Plot("lu", title, (dir, file) => LineChart.Write(dir, file, title, "log10 alpha", "MSE (log scale)", series, logY: true));
    }
}
