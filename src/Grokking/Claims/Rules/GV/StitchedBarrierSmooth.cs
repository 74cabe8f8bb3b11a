using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-3: the stitched train-loss plot along the chain of ~10 successive snapshots (MC-4's chain) is "smooth and
/// small", not "wavy". Small: train error stays at most <c>maxTrainError</c> everywhere along the stitched path.
/// Smooth: the stitched train loss has no hill — no interior local maximum whose prominence exceeds the LMC loss
/// threshold of <see cref="LinearConnectivityLimits"/> (a wavy plot climbs in and out of valleys, i.e. has such
/// hills). Per seed.
/// </summary>
public sealed class StitchedBarrierSmooth : LegacyClaimAnalysis
{
    public override string Name => "stitched-barrier-smooth";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy", "maxTrainError", .. LinearConnectivityLimits.Tolerances];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var limits = LinearConnectivityLimits.Of(context);
        double maxTrainError = claim.ToleranceOf("maxTrainError");
        var land = new GrokkingLandscape(context, claim.ToleranceOf("robustValAccuracy"));
        var chains = land.ChainsFromPoint1ToPoint2();
        var findings = land.Members.Select(m => chains.TryGetValue(m.Spec.Index, out var e) ? Judge(m.Spec.Seed, e, maxTrainError, limits.MaxLossBarrier) with { Diverged = m.Diverged } : land.Missing(m)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);

        var worst = chains.Values.Select(c => c.Points.Max(p => p.TrainError)).ToList();
        var hills = chains.Values.Select(c => (double)Hills(c, limits.MaxLossBarrier)).ToList();
        var measured = new List<MeasuredValue>
        {
            new("largest train error along the stitched path, max over seeds", MemberSeries.Max(worst), "", null, $"<= {maxTrainError}", worst, Key: "maxTrainError"),
            new($"train-loss hills with prominence > {limits.MaxLossBarrier:0.####}, max over seeds", MemberSeries.Max(hills), "", null, "0", hills, Key: "hills"),
        };
        var loss = chains.Values.Select(c => (c.Label, c.T, c.Values(PathMetric.TrainLoss))).ToList();
        var error = chains.Values.Select(c => (c.Label, c.T, c.Values(PathMetric.TrainError))).ToList();
        var joins = chains.Values.FirstOrDefault()?.Joins.Skip(1).SkipLast(1).Select(j => (j, "")).ToList();
        var (dir, name) = context.Figure("stitched");
        string title = $"{claim.Id}: stitched straight segments between successive snapshots (joins of the first seed dotted)";
        var paths = PanelChart.Write(dir, name, title,
        [
            new ChartPanel("train cross-entropy", "t along the chain", "loss", loss, joins, LogY: true),
            new ChartPanel("train error", "t along the chain", "error", error, joins),
        ]);
        return new AnalysisResult(verdict, reason, measured, [context.FigureOf(title, paths)]);
    }

    public static int Hills(PathEvaluation chain, double threshold) =>
        CurveShape.Peaks(chain.Values(PathMetric.TrainLoss)).Count(p => p.Prominence > threshold);

    public static SeedFinding Judge(long seed, PathEvaluation chain, double maxTrainError, double lossThreshold)
    {
        double worst = chain.Points.Max(p => p.TrainError);
        int hills = Hills(chain, lossThreshold);
        string numbers = $"train error <= {worst:P2} along {chain.Joins.Count - 1} segments, {hills} train-loss hill(s) above {lossThreshold:0.####}";
        var failures = new List<string>();
        if (worst > maxTrainError)
        {
            failures.Add($"not small (train error > {maxTrainError:P0})");
        }

        if (hills > 0)
        {
            failures.Add("wavy (train loss climbs over hills)");
        }

        return failures.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, $"smooth and small: {numbers}")
            : new SeedFinding(seed, Verdict.Refuted, $"{numbers}: {string.Join("; ", failures)}");
    }
}
