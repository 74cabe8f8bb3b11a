using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.PB;

/// <summary>
/// PB-4: the effective gradient norm trends down from point 1 to the robust point 2. Per LayerNorm seed, over the
/// metric steps in [point 1, robust point 2]: Spearman rho of effective gradient norm against epoch at most
/// <c>maxRho</c>, and the median of the last fifth of those steps below the median of the first fifth (the spikes
/// at drops are outliers a rank statistic and medians ride over). A seed without point 2 has no such span.
/// </summary>
public sealed class EffectiveGradientTrend : LegacyClaimAnalysis
{
    public override string Name => "effective-gradient-trend";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy", "maxRho"];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        double robustVal = claim.ToleranceOf("robustValAccuracy");
        double maxRho = claim.ToleranceOf("maxRho");
        var (arms, _) = PeriodicMember.Arms(context);
        var findings = new List<SeedFinding>();
        var rhos = new List<double>();
        var ratios = new List<double>();
        var series = new List<(string, double[], double[])>();
        foreach (var arm in arms)
        {
            int layers = arm.RunOptions.Model.Layers;
            foreach (var m in arm.Members)
            {
                var points = GrokkingPoints.Of(arm.Result, m.Index, robustVal);
                var rows = MemberSeries.RowsBeforeDivergence(arm.Result, m.Index);
                var trend = PeriodicEvents.Trend([.. rows.Select(r => r.Epoch)], [.. rows.Select(r => r.EffectiveGradNorm)], points.Point1, points.RobustPoint2);
                bool spans = double.IsFinite(points.Point1) && double.IsFinite(points.RobustPoint2);
                rhos.Add(spans ? trend.Rho : double.NaN);
                ratios.Add(spans ? trend.LastFifthMedian / trend.FirstFifthMedian : double.NaN);
                findings.Add(Judge(m.Seed, points, trend, maxRho, arm.Result.EpochOf(arm.Result.StepsCompleted)) with { Unit = $"{arm.Experiment}, seed {m.Seed}" });
                var span = rows.Where(r => r.Epoch >= points.Point1 && r.Epoch <= points.RobustPoint2).ToArray();
                series.Add(($"{layers}-layer, seed {m.Seed}", [.. span.Select(r => r.Epoch)], [.. span.Select(r => r.EffectiveGradNorm)]));
            }
        }

        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var measured = new List<MeasuredValue>
        {
            new("Spearman rho of effective gradient norm against epoch, point 1 to point 2, max over LayerNorm seeds", MemberSeries.Max(rhos), "", null, $"<= {maxRho}", rhos, Key: "rho"),
            new("effective gradient norm, median of the last fifth / of the first fifth, max over seeds", MemberSeries.Max(ratios), "x", null, "< 1", ratios, Key: "fifthRatio"),
        };
        var (dir, name) = context.Figure("effective-gradient");
        string title = $"{claim.Id}: effective gradient norm from point 1 to robust point 2";
        var figure = context.FigureOf(title, Plots.LineChart.Write(dir, name, title, "epoch", "effective gradient norm", series, logY: true));
        return new AnalysisResult(verdict, reason, measured, [figure]);
    }

    public static SeedFinding Judge(long seed, GrokkingPoints p, TrendResult trend, double maxRho, double budgetEpochs)
    {
        bool diverged = p.DivergedEpoch is not null;
        if (!double.IsFinite(p.Point1) || !double.IsFinite(p.RobustPoint2))
        {
            return new(seed, Verdict.Inconclusive, diverged ? $"diverged at epoch {p.DivergedEpoch:0} before point 2" : $"no point 1 -> point 2 span within {budgetEpochs:0} epochs", diverged);
        }

        if (double.IsNaN(trend.Rho))
        {
            return new(seed, Verdict.Inconclusive, $"point 1 (epoch {p.Point1:0}) and robust point 2 (epoch {p.RobustPoint2:0}) are {trend.Count} metric step(s) apart: too short a span for a trend", diverged);
        }

        string what = $"epochs {p.Point1:0}-{p.RobustPoint2:0} ({trend.Count} steps): rho {trend.Rho:0.00}, median first fifth {trend.FirstFifthMedian:0.###} -> last fifth {trend.LastFifthMedian:0.###}";
        bool down = trend.Rho <= maxRho && trend.LastFifthMedian < trend.FirstFifthMedian;
        return down
            ? new(seed, diverged ? Verdict.Inconclusive : Verdict.Confirmed, what, diverged)
            : new(seed, Verdict.Refuted, $"{what}: not a downward trend (rho <= {maxRho} and a lower last fifth required)", diverged);
    }
}
