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
public sealed class StitchedBarrierSmooth : ClaimAnalysis<StitchedBarrierSmooth.Parameters>
{
    public override string Name => "stitched-barrier-smooth";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// GV-3's rule parameters: the robust point 2, the train error that counts as small, and GV-1's connectivity
    /// thresholds (the loss threshold is the height of a hill; the claim file states the error threshold with it).
    /// </summary>
    public sealed record Parameters(RobustPoint2Snapshot Point2, [Within(0, 1)] double MaxTrainError, LinearConnectivityLimits Connectivity);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        double hill = p.Connectivity.For(context.RunOptions).MaxLossBarrier;
        var land = new GrokkingLandscape(context, p.Point2);
        var chains = land.ChainsFromPoint1ToPoint2();
        var findings = land.FindingsOn(chains, (m, e) => Judge(m.Spec.Seed, e, p.MaxTrainError, hill));
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        var paths = chains.Values.ToList();
        return new AnalysisResult(verdict, reason, Measure(paths, p.MaxTrainError, hill), [Figure(context, paths)]);
    }

    /// <summary>The largest train error along each seed's stitched path and the loss hills on it.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> chains, double maxTrainError, double hill)
    {
        var worst = chains.Select(c => c.Points.Max(p => p.TrainError)).ToList();
        var hills = chains.Select(c => (double)Hills(c, hill)).ToList();
        return
        [
            new("largest train error along the stitched path, max over seeds", MemberSeries.Max(worst), "", null,
                $"<= {maxTrainError}", worst, Key: "maxTrainError"),
            new($"train-loss hills with prominence > {hill:0.####}, max over seeds", MemberSeries.Max(hills), "", null,
                "0", hills, Key: "hills"),
        ];
    }

    /// <summary>The stitched train loss and train error of every seed, the first seed's joins dotted.</summary>
    private static ClaimFigure Figure(ClaimContext context, List<PathEvaluation> chains)
    {
        var loss = chains.Select(c => (c.Label, c.T, c.Values(PathMetric.TrainLoss))).ToList();
        var error = chains.Select(c => (c.Label, c.T, c.Values(PathMetric.TrainError))).ToList();
        var joins = chains.Count == 0 ? null : chains[0].Joins.Skip(1).SkipLast(1).Select(j => (j, "")).ToList();
        string title = $"{context.Claim.Id}: stitched straight segments between successive snapshots (joins of the first seed dotted)";
        return context.Plot("stitched", title, (dir, name) => PanelChart.Write(dir, name, title,
        [
            new ChartPanel("train cross-entropy", "t along the chain", "loss", loss, joins, LogY: true),
            new ChartPanel("train error", "t along the chain", "error", error, joins),
        ]));
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
