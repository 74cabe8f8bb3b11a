using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-4 (typical, issue 25): the effective gradient norm trends down from point 1 to the robust point 2. Per LayerNorm
/// seed, over the metric steps in [point 1, robust point 2]: Spearman rho of effective gradient norm against epoch, and
/// the median of the last fifth of those steps over the median of the first fifth (the spikes at drops are outliers a
/// rank statistic and medians ride over); the Student-t intervals of the seeds' rho (at most <c>maxRho</c>) and ratio
/// (at most 1) decide. Negative control: the same rule over the memorization span (first metric step to point 1), where
/// the loss falls too but the model moves to a minimum that does not generalize; it must refute.
/// </summary>
public sealed class EffectiveGradientTrend : ClaimAnalysis<EffectiveGradientTrend.Parameters>
{
    public override string Name => "effective-gradient-trend";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    public override string? ControlName => "memorization-span";

    /// <summary>PB-4's rule: the robust point 2 (block pb-robust-point-2) and the largest rho that still reads as "down".</summary>
    public sealed record Parameters(
        [Within(0.5, 1)] double RobustValAccuracy,
        [Within(-1, 1)] double MaxRho);

    /// <summary>
    /// One LayerNorm member's trend over a span (its grokking phase, or for the control its memorization), the rows of
    /// that span for the figure, and why the span is missing (null when it is there).
    /// </summary>
    private sealed record MemberTrend(
        string Arm, int Layers, MemberSpec Spec, GrokkingPoints Points, TrendResult Trend, string? Missing, MetricRow[] Span)
    {
        public string Subject => $"{Arm}, seed {Spec.Seed}";

        public double Rho => Missing is null ? Trend.Rho : double.NaN;

        public double FifthRatio => Missing is null ? Trend.LastFifthMedian / Trend.FirstFifthMedian : double.NaN;
    }

    /// <summary>Which span of a member the rule reads: its bounds from the member's points and first epoch, or why it has none.</summary>
    private delegate (double From, double To, string? Missing) SpanOf(GrokkingPoints points, double firstEpoch, double budgetEpochs);

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var (arms, _) = PeriodicMember.Arms(context);
        var trends = arms.SelectMany(a => Measure(a, parameters.RobustValAccuracy, GrokkingSpan)).ToList();
        return Decide(context.Claim.ScopeKind, trends, parameters) with { Figures = [Figure(context, trends)] };
    }

    /// <summary>The same rule over each member's memorization span: the loss falls there as well, generalization does not come.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters parameters)
    {
        var (arms, _) = PeriodicMember.Arms(context);
        var trends = arms.SelectMany(a => Measure(a, parameters.RobustValAccuracy, MemorizationSpan)).ToList();
        return Decide(context.Claim.ScopeKind, trends, parameters);
    }

    /// <summary>Point 1 to the robust point 2; none without both (a diverged seed says where it stopped).</summary>
    private static (double, double, string?) GrokkingSpan(GrokkingPoints p, double firstEpoch, double budgetEpochs) =>
        (p.Point1, p.RobustPoint2, double.IsFinite(p.Point1) && double.IsFinite(p.RobustPoint2) ? null
            : p.DivergedEpoch is not null ? $"diverged at epoch {p.DivergedEpoch:0} before point 2"
            : $"no point 1 -> point 2 span within {budgetEpochs:0} epochs");

    /// <summary>The first metric step to point 1; none without point 1.</summary>
    private static (double, double, string?) MemorizationSpan(GrokkingPoints p, double firstEpoch, double budgetEpochs) =>
        (firstEpoch, p.Point1, double.IsFinite(p.Point1) ? null : $"no point 1 within {budgetEpochs:0} epochs");

    private static AnalysisResult Decide(ClaimScope scope, IReadOnlyList<MemberTrend> trends, Parameters parameters)
    {
        var rhos = trends.Select(t => t.Rho).ToList();
        var ratios = trends.Select(t => t.FifthRatio).ToList();
        var comparisons = Compare(scope, rhos, ratios, parameters.MaxRho);
        var preconditions = trends.Select(t => PbDecision.Precondition(
            t.Spec.Seed, t.Subject, t.Missing ?? (double.IsNaN(t.Trend.Rho) ? "too short a span for a trend" : null),
            t.Points.DivergedEpoch is not null)).ToList();
        string readings = string.Join("; ", trends.Select(t => $"{t.Subject}: {Describe(t)}"));
        return PbDecision.Decide(preconditions, comparisons, Values(trends, parameters.MaxRho), [], readings);
    }

    /// <summary>The seeds' rho at most <paramref name="maxRho"/> and their last-fifth / first-fifth ratio at most 1, by the claim's scope.</summary>
    public static IReadOnlyList<Comparison> Compare(ClaimScope scope, IReadOnlyList<double> rhos, IReadOnlyList<double> ratios, double maxRho) =>
    [
        Thresholds.Judge(scope, new Quantity("rho", "Spearman rho of effective gradient norm against epoch"), rhos, Relation.AtMost, maxRho),
        Thresholds.Judge(scope, new Quantity("fifthRatio", "effective gradient norm, median of the last fifth / of the first fifth", "x"),
            ratios, Relation.AtMost, 1),
    ];

    private static string Describe(MemberTrend t) => t.Missing
        ?? $"epochs {t.Span.FirstOrDefault()?.Epoch:0}-{t.Span.LastOrDefault()?.Epoch:0} ({t.Trend.Count} steps): rho {t.Trend.Rho:0.00}, "
            + $"median first fifth {t.Trend.FirstFifthMedian:0.###} -> last fifth {t.Trend.LastFifthMedian:0.###}";

    /// <summary>One seed's reading over its grokking phase (the verdict comes from the comparisons of the seeds' values).</summary>
    public static SeedFinding Judge(long seed, GrokkingPoints p, TrendResult trend, double maxRho, double budgetEpochs)
    {
        bool diverged = p.DivergedEpoch is not null;
        if (!double.IsFinite(p.Point1) || !double.IsFinite(p.RobustPoint2))
        {
            string missing = diverged
                ? $"diverged at epoch {p.DivergedEpoch:0} before point 2"
                : $"no point 1 -> point 2 span within {budgetEpochs:0} epochs";
            return new(seed, Verdict.Inconclusive, missing, diverged);
        }

        if (double.IsNaN(trend.Rho))
        {
            return new(seed, Verdict.Inconclusive, $"point 1 (epoch {p.Point1:0}) and robust point 2 (epoch {p.RobustPoint2:0}) are "
                + $"{trend.Count} metric step(s) apart: too short a span for a trend", diverged);
        }

        string what = $"epochs {p.Point1:0}-{p.RobustPoint2:0} ({trend.Count} steps): rho {trend.Rho:0.00}, "
            + $"median first fifth {trend.FirstFifthMedian:0.###} -> last fifth {trend.LastFifthMedian:0.###}";
        bool down = trend.Rho <= maxRho && trend.LastFifthMedian < trend.FirstFifthMedian;
        return down
            ? new(seed, diverged ? Verdict.Inconclusive : Verdict.Confirmed, what, diverged)
            : new(seed, Verdict.Refuted, $"{what}: not a downward trend (rho <= {maxRho} and a lower last fifth required)", diverged);
    }

    /// <summary>Each member's trend over the span <paramref name="spanOf"/> gives, read from the rows before any divergence.</summary>
    private static IEnumerable<MemberTrend> Measure(ClaimContext arm, double robustVal, SpanOf spanOf)
    {
        int layers = arm.RunOptions.Model.Layers;
        double budget = arm.Result.EpochOf(arm.Result.StepsCompleted);
        foreach (var m in arm.Members)
        {
            var points = GrokkingPoints.Of(arm.Result, m.Index, robustVal);
            var rows = MemberSeries.RowsBeforeDivergence(arm.Result, m.Index);
            var (from, to, missing) = spanOf(points, rows.FirstOrDefault()?.Epoch ?? double.NaN, budget);
            double[] epochs = [.. rows.Select(r => r.Epoch)];
            var trend = PeriodicEvents.Trend(epochs, [.. rows.Select(r => r.EffectiveGradNorm)], from, to);
            var span = rows.Where(r => r.Epoch >= from && r.Epoch <= to).ToArray();
            yield return new MemberTrend(arm.Experiment, layers, m, points, trend, missing, span);
        }
    }

    private static List<MeasuredValue> Values(IReadOnlyList<MemberTrend> trends, double maxRho)
    {
        var rhos = trends.Select(t => t.Rho).ToList();
        var ratios = trends.Select(t => t.FifthRatio).ToList();
        return
        [
            new("Spearman rho of effective gradient norm against epoch over the span, max over LayerNorm seeds", MemberSeries.Max(rhos),
                "", null, $"<= {maxRho}", rhos, Key: "rho"),
            new("effective gradient norm, median of the last fifth / of the first fifth, max over seeds", MemberSeries.Max(ratios),
                "x", null, "<= 1", ratios, Key: "fifthRatio"),
        ];
    }

    private static ClaimFigure Figure(ClaimContext context, IReadOnlyList<MemberTrend> trends)
    {
        var series = trends
            .Select(t => ($"{t.Layers}-layer, seed {t.Spec.Seed}", t.Span.Select(r => r.Epoch).ToArray(),
                t.Span.Select(r => r.EffectiveGradNorm).ToArray()))
            .ToList();
        string title = $"{context.Claim.Id}: effective gradient norm from point 1 to robust point 2";
        return context.Plot("effective-gradient", title,
            (dir, name) => LineChart.Write(dir, name, title, "epoch", "effective gradient norm", series, logY: true));
    }
}
