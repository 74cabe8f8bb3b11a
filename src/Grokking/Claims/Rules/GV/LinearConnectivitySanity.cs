using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-2, the sanity check of the barrier measurement: two nearby snapshots of one run (point 1 and one metric
/// interval later) are linearly connected, and two independently initialized solutions (robust points 2 of two
/// seeds, same data) are not — by the same <see cref="LinearConnectivityLimits"/>. Every nearby pair must be
/// connected and every independent pair must not be; independent solutions that turn out connected refute it.
/// </summary>
public sealed class LinearConnectivitySanity : ClaimAnalysis<LinearConnectivitySanity.Parameters>
{
    public override string Name => "linear-connectivity-sanity";

    public override SeedRule SeedRule => SeedRule.SeedPairs;

    /// <summary>GV-2's rule parameters: the robust point 2 and the connectivity thresholds (GV-1's).</summary>
    public sealed record Parameters(RobustPoint2Snapshot Point2, LinearConnectivityLimits Connectivity);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var limits = p.Connectivity.For(context.RunOptions);
        var land = new GrokkingLandscape(context, p.Point2);
        int gap = context.RunOptions.Train.MetricsEvery;
        var nearby = NearbyPairs(land, gap);
        var independent = IndependentPairs(land);
        var evaluations = land.Evaluate("gv-sanity", [.. nearby, .. independent]);
        var near = evaluations.Take(nearby.Count).ToList();
        var apart = evaluations.Skip(nearby.Count).ToList();
        var (verdict, reason) = Decide(land, near, apart, limits);
        string title = $"{context.Claim.Id}: nearby snapshots of one run and independent solutions, straight segments";
        var figure = context.Plot("sanity", title, (dir, name) => PathFigure.Write(dir, name, title, evaluations));
        return new AnalysisResult(verdict, reason, Measure(near, apart, gap, limits), [figure]);
    }

    /// <summary>Each member's point 1 and the snapshot one metric interval (<paramref name="gap"/> steps) later, where the run kept it.</summary>
    private static List<PathSpec> NearbyPairs(GrokkingLandscape land, int gap) =>
        land.Members
            .Where(m => m.Point1Step is { } s && land.Checkpoints.Has(s + gap))
            .Select(m => new PathSpec(PathKind.Segment, [m.AtPoint1, m.AtPoint1 with { Step = m.AtPoint1.Step + gap }], $"seed {m.Spec.Seed} nearby"))
            .ToList();

    /// <summary>The robust points 2 of cyclic pairs of seeds; none when the seeds train on different splits.</summary>
    private static List<PathSpec> IndependentPairs(GrokkingLandscape land)
    {
        var solved = land.Members.Where(m => m.Point2Step is not null).ToList();
        return !land.MembersShareData
            ? []
            : GrokkingLandscape.CyclicPairs(solved)
                .Select(p => new PathSpec(
                    PathKind.Segment, [p.First.AtPoint2, p.Second.AtPoint2], $"seeds {p.First.Spec.Seed}-{p.Second.Spec.Seed} independent"))
                .ToList();
    }

    /// <summary>
    /// Every pair judged; a confirmation stands only on at least <see cref="SeedVerdicts.MinimumSeeds"/> pairs of each
    /// kind, since a sanity check that compared nothing has shown nothing.
    /// </summary>
    private static (Verdict Verdict, string Reason) Decide(
        GrokkingLandscape land, List<PathEvaluation> near, List<PathEvaluation> apart, LinearConnectivityThresholds limits)
    {
        var findings = near.Select((e, i) => Judge(i, e, limits, expectConnected: true))
            .Concat(apart.Select((e, i) => Judge(i, e, limits, expectConnected: false)))
            .ToList();
        var (verdict, reason) = SeedVerdicts.Combine(findings);
        if (verdict != Verdict.Confirmed || (near.Count >= SeedVerdicts.MinimumSeeds && apart.Count >= SeedVerdicts.MinimumSeeds))
        {
            return (verdict, reason);
        }

        string why = land.MembersShareData ? "" : $" ({GrokkingLandscape.SeparateSplits})";
        return (Verdict.Inconclusive,
            $"{near.Count} nearby and {apart.Count} independent pair(s); at least {SeedVerdicts.MinimumSeeds} of each are required{why}; {reason}");
    }

    /// <summary>The error and loss barriers of the nearby and of the independent pairs.</summary>
    private static List<MeasuredValue> Measure(
        List<PathEvaluation> near, List<PathEvaluation> apart, int gap, LinearConnectivityThresholds limits)
    {
        var nearError = near.Select(e => e.Barrier(PathMetric.TrainError)).ToList();
        var nearLoss = near.Select(e => e.Barrier(PathMetric.TrainLoss)).ToList();
        var apartError = apart.Select(e => e.Barrier(PathMetric.TrainError)).ToList();
        var apartLoss = apart.Select(e => e.Barrier(PathMetric.TrainLoss)).ToList();
        return
        [
            new($"nearby snapshots ({gap} steps apart): train error barrier, max over seeds", MemberSeries.Max(nearError), "", 0,
                $"<= {limits.MaxErrorBarrier}", nearError, Key: "nearbyErrorBarrier"),
            new("nearby snapshots: train loss barrier, max over seeds", MemberSeries.Max(nearLoss), "nats", 0,
                $"<= {limits.MaxLossBarrier:0.####}", nearLoss, Key: "nearbyLossBarrier"),
            new("independent solutions (points 2 of two seeds): train error barrier, min over pairs", MemberSeries.Min(apartError), "", null,
                $"> {limits.MaxErrorBarrier} (or the loss barrier above its threshold)", apartError, Key: "independentErrorBarrier"),
            new("independent solutions: train loss barrier, min over pairs", MemberSeries.Min(apartLoss), "nats", null,
                "reported", apartLoss, Key: "independentLossBarrier"),
        ];
    }

    public static SeedFinding Judge(int index, PathEvaluation segment, LinearConnectivityThresholds limits, bool expectConnected)
    {
        bool connected = limits.Connected(segment);
        string numbers = LinearConnectivityThresholds.Describe(segment);
        string subject = segment.Label;
        return connected == expectConnected
            ? new SeedFinding(index, Verdict.Confirmed, $"{numbers} ({(connected ? "connected" : "a barrier")}, as expected)") { Unit = subject }
            : new SeedFinding(index, Verdict.Refuted,
                $"{numbers}: {(connected ? "linearly connected although independently initialized" : "a barrier between nearby snapshots")}")
            {
                Unit = subject,
            };
    }
}
