using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Plots;
using Grokking.Training;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-4: the effective gradient norm trends down from point 1 to the robust point 2. Per LayerNorm seed, over the
/// metric steps in [point 1, robust point 2]: Spearman rho of effective gradient norm against epoch at most
/// <c>maxRho</c>, and the median of the last fifth of those steps below the median of the first fifth (the spikes
/// at drops are outliers a rank statistic and medians ride over). A seed without point 2 has no such span.
/// </summary>
public sealed class EffectiveGradientTrend : ClaimAnalysis<EffectiveGradientTrend.Parameters>
{
    public override string Name => "effective-gradient-trend";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>PB-4's rule: the robust point 2 (block pb-robust-point-2) and the largest rho that still reads as "down".</summary>
    public sealed record Parameters(
        [Within(0.5, 1)] double RobustValAccuracy,
        [Within(-1, 1)] double MaxRho);

    /// <summary>One LayerNorm member's trend over its grokking phase, and the rows of that phase for the figure.</summary>
    private sealed record MemberTrend(
        string Arm, int Layers, MemberSpec Spec, GrokkingPoints Points, TrendResult Trend, double BudgetEpochs, MetricRow[] Span)
    {
        private bool Spans => double.IsFinite(Points.Point1) && double.IsFinite(Points.RobustPoint2);

        public double Rho => Spans ? Trend.Rho : double.NaN;

        public double FifthRatio => Spans ? Trend.LastFifthMedian / Trend.FirstFifthMedian : double.NaN;
    }

    public override AnalysisResult Analyze(ClaimContext context, Parameters parameters)
    {
        var (arms, _) = PeriodicMember.Arms(context);
        var trends = arms.SelectMany(a => Measure(a, parameters.RobustValAccuracy)).ToList();
        var findings = trends.Select(t =>
            Judge(t.Spec.Seed, t.Points, t.Trend, parameters.MaxRho, t.BudgetEpochs) with { Unit = $"{t.Arm}, seed {t.Spec.Seed}" });
        var (verdict, reason) = SeedVerdicts.Combine([.. findings]);
        return new AnalysisResult(verdict, reason, Values(trends, parameters.MaxRho), [Figure(context, trends)]);
    }

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

    /// <summary>Each member's trend over [point 1, robust point 2], read from the rows before any divergence.</summary>
    private static IEnumerable<MemberTrend> Measure(ClaimContext arm, double robustVal)
    {
        int layers = arm.RunOptions.Model.Layers;
        double budget = arm.Result.EpochOf(arm.Result.StepsCompleted);
        foreach (var m in arm.Members)
        {
            var points = GrokkingPoints.Of(arm.Result, m.Index, robustVal);
            var rows = MemberSeries.RowsBeforeDivergence(arm.Result, m.Index);
            double[] epochs = [.. rows.Select(r => r.Epoch)];
            var trend = PeriodicEvents.Trend(epochs, [.. rows.Select(r => r.EffectiveGradNorm)], points.Point1, points.RobustPoint2);
            var span = rows.Where(r => r.Epoch >= points.Point1 && r.Epoch <= points.RobustPoint2).ToArray();
            yield return new MemberTrend(arm.Experiment, layers, m, points, trend, budget, span);
        }
    }

    private static List<MeasuredValue> Values(IReadOnlyList<MemberTrend> trends, double maxRho)
    {
        var rhos = trends.Select(t => t.Rho).ToList();
        var ratios = trends.Select(t => t.FifthRatio).ToList();
        return
        [
            new("Spearman rho of effective gradient norm against epoch, point 1 to point 2, max over LayerNorm seeds", MemberSeries.Max(rhos),
                "", null, $"<= {maxRho}", rhos, Key: "rho"),
            new("effective gradient norm, median of the last fifth / of the first fifth, max over seeds", MemberSeries.Max(ratios),
                "x", null, "< 1", ratios, Key: "fifthRatio"),
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
