using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-2, the sanity check of the barrier measurement: two nearby snapshots of one run (point 1 and one metric
/// interval later) are linearly connected, and two independently initialized solutions (robust points 2 of two
/// seeds, same data) are not — by the same <see cref="LinearConnectivityLimits"/>. Universal: every nearby pair's
/// error and loss barrier at most its threshold, and every independent pair's larger barrier (in units of its
/// threshold) at least 1; one pair on the wrong side by more than the resolution refutes. Control: the two arms
/// swapped (nearby pairs judged as the independent ones and the reverse): a framework that mixes up the two cases
/// must fail the check.
/// </summary>
public sealed class LinearConnectivitySanity : ClaimAnalysis<LinearConnectivitySanity.Parameters>
{
    public override string Name => "linear-connectivity-sanity";

    public override string? ControlName => "swapped-arms";

    public override SeedRule SeedRule => SeedRule.SeedPairs;

    /// <summary>GV-2's rule parameters: the robust point 2 and the connectivity thresholds (GV-1's).</summary>
    public sealed record Parameters(RobustPoint2Snapshot Point2, LinearConnectivityLimits Connectivity);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        int gap = context.RunOptions.Train.MetricsEvery;
        var (near, apart) = Evaluations(land, gap);
        string title = $"{context.Claim.Id}: nearby snapshots of one run and independent solutions, straight segments";
        var figure = context.Plot("sanity", title, (dir, name) => PathFigure.Write(dir, name, title, [.. near, .. apart]));
        return Decide(context, land, near, apart, p) with { Figures = [figure] };
    }

    /// <summary>The control: the same rule with the arms exchanged (the nearby segments judged as independent, and the reverse).</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p)
    {
        var land = new GrokkingLandscape(context, p.Point2);
        var (near, apart) = Evaluations(land, context.RunOptions.Train.MetricsEvery);
        return Decide(context, land, apart, near, p);
    }

    /// <summary>
    /// The nearby and the independent segments, evaluated as one cached population ("gv-sanity"); GV-1's control reads
    /// the independent ones from the same cache.
    /// </summary>
    public static (List<PathEvaluation> Near, List<PathEvaluation> Apart) Evaluations(GrokkingLandscape land, int gap)
    {
        var nearby = NearbyPairs(land, gap);
        var evaluations = land.Evaluate("gv-sanity", [.. nearby, .. IndependentPairs(land)]);
        return (evaluations.Take(nearby.Count).ToList(), evaluations.Skip(nearby.Count).ToList());
    }

    private static AnalysisResult Decide(
        ClaimContext context, GrokkingLandscape land, List<PathEvaluation> near, List<PathEvaluation> apart, Parameters p)
    {
        var limits = p.Connectivity.For(context.RunOptions);
        var resolution = (PathVerdicts.TrainPair(context.RunOptions), PathVerdicts.LossRounding([.. near, .. apart]));
        var comparisons = Compare(context.Claim.ScopeKind, near, apart, limits, resolution);
        var pairs = near.Select((e, i) => Judge(i, e, limits, expectConnected: true))
            .Concat(apart.Select((e, i) => Judge(i, e, limits, expectConnected: false)))
            .Select(f => $"{f.Subject}: {f.Reason}");
        var described = (Verdict.Confirmed, near.Count + apart.Count == 0 ? "no pair to judge" : $"per pair: {string.Join("; ", pairs)}");
        var split = land.MembersShareData ? described : (Verdict.Inconclusive, GrokkingLandscape.SeparateSplits);
        return PathVerdicts.Decide(comparisons, [split], Measure(near, apart, context.RunOptions.Train.MetricsEvery, limits), []);
    }

    /// <summary>
    /// GV-2's decisive comparisons: the nearby pairs' error and loss barriers at most their thresholds, and each
    /// independent pair's larger barrier in units of its threshold (<see cref="BarrierShare"/>) at least 1 — not
    /// connected when either barrier is above its threshold, as GV-1 reads "connected".
    /// </summary>
    public static List<Comparison> Compare(
        ClaimScope scope, IReadOnlyList<PathEvaluation> near, IReadOnlyList<PathEvaluation> apart,
        LinearConnectivityThresholds limits, (double Error, double Loss) resolution) =>
    [
        Thresholds.Judge(scope, new Quantity("nearbyErrorBarrier", "nearby snapshots: train error barrier"),
            near.Select(e => e.Barrier(PathMetric.TrainError)).ToList(), Relation.AtMost, limits.MaxErrorBarrier, resolution.Error),
        Thresholds.Judge(scope, new Quantity("nearbyLossBarrier", "nearby snapshots: train loss barrier", "nats"),
            near.Select(e => e.Barrier(PathMetric.TrainLoss)).ToList(), Relation.AtMost, limits.MaxLossBarrier, resolution.Loss),
        Thresholds.Judge(scope, new Quantity("independentBarrierShare", "independent solutions: larger barrier / its threshold"),
            apart.Select(e => BarrierShare(e, limits)).ToList(), Relation.AtLeast, 1,
            Math.Max(resolution.Error / limits.MaxErrorBarrier, resolution.Loss / limits.MaxLossBarrier)),
    ];

    /// <summary>A segment's larger barrier in units of its threshold: above 1 exactly when it is not linearly connected.</summary>
    public static double BarrierShare(PathEvaluation segment, LinearConnectivityThresholds limits) => Math.Max(
        segment.Barrier(PathMetric.TrainError) / limits.MaxErrorBarrier, segment.Barrier(PathMetric.TrainLoss) / limits.MaxLossBarrier);

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
