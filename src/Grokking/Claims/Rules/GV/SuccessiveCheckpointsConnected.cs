using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-1: successive snapshots of the grokking phase (point 1, every 100 epochs, robust point 2 — the chain MC-4
/// evaluates) are linearly mode connected: every segment's train error barrier and train loss barrier stay within
/// <see cref="LinearConnectivityLimits"/>. Per seed, every segment.
/// </summary>
public sealed class SuccessiveCheckpointsConnected : LegacyClaimAnalysis
{
    public override string Name => "successive-checkpoints-connected";

    public override IReadOnlyList<string> RequiredTolerances => ["robustValAccuracy", .. LinearConnectivityLimits.Tolerances];

    public override IReadOnlyList<string> RequiredPaperValues => [];

    public override AnalysisResult Analyze(ClaimContext context)
    {
        var claim = context.Claim;
        var limits = LinearConnectivityLimits.Of(context);
        var land = new GrokkingLandscape(context, claim.ToleranceOf("robustValAccuracy"));
        var chains = land.ChainsFromPoint1ToPoint2();
        var findings = land.Members.Select(m => chains.TryGetValue(m.Spec.Index, out var e) ? Judge(m.Spec.Seed, e, limits) with { Diverged = m.Diverged } : land.Missing(m)).ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);

        var errorBarrier = chains.Values.Select(c => c.Segments().Max(s => s.Barrier(PathMetric.TrainError))).ToList();
        var lossBarrier = chains.Values.Select(c => c.Segments().Max(s => s.Barrier(PathMetric.TrainLoss))).ToList();
        var measured = new List<MeasuredValue>
        {
            new("largest train error barrier over the segments, max over seeds", MemberSeries.Max(errorBarrier), "", null, $"<= {limits.MaxErrorBarrier}", errorBarrier, Key: "maxErrorBarrier"),
            new("largest train loss barrier over the segments, max over seeds", MemberSeries.Max(lossBarrier), "nats", null, $"<= {limits.MaxLossBarrier:0.####}", lossBarrier, Key: "maxLossBarrier"),
        };
        var error = new List<(string, double[], double[])>();
        var loss = new List<(string, double[], double[])>();
        foreach (var m in land.Members.Where(m => chains.ContainsKey(m.Spec.Index)))
        {
            var anchors = land.Chain(m);
            var x = anchors.Skip(1).Select(a => land.EpochOf(a.Step)).ToArray();
            var segments = chains[m.Spec.Index].Segments();
            error.Add(($"seed {m.Spec.Seed}", x, segments.Select(s => s.Barrier(PathMetric.TrainError)).ToArray()));
            loss.Add(($"seed {m.Spec.Seed}", x, segments.Select(s => s.Barrier(PathMetric.TrainLoss)).ToArray()));
        }

        var (dir, name) = context.Figure("barriers");
        string title = $"{claim.Id}: barrier of each segment between successive snapshots (x: epoch of the segment's end)";
        var paths = PanelChart.Write(dir, name, title,
        [
            new ChartPanel($"train error barrier (threshold {limits.MaxErrorBarrier:P0})", "epoch", "barrier", error),
            new ChartPanel($"train loss barrier (threshold {limits.MaxLossBarrier:0.###})", "epoch", "barrier", loss),
        ]);
        return new AnalysisResult(verdict, reason, measured, [context.FigureOf(title, paths)]);
    }

    public static SeedFinding Judge(long seed, PathEvaluation chain, LinearConnectivityLimits limits)
    {
        var segments = chain.Segments();
        var broken = segments.Select((s, i) => (s, i)).Where(x => !limits.Connected(x.s)).ToList();
        double error = segments.Max(s => s.Barrier(PathMetric.TrainError));
        double loss = segments.Max(s => s.Barrier(PathMetric.TrainLoss));
        string numbers = $"{segments.Count} segments, largest error barrier {error:P2}, largest loss barrier {loss:0.####}";
        return broken.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, numbers)
            : new SeedFinding(seed, Verdict.Refuted, $"{numbers}: segment(s) {string.Join(", ", broken.Select(b => $"{b.i + 1} ({LinearConnectivityLimits.Describe(b.s)})"))} above the threshold");
    }
}
