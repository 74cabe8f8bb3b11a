using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-1: successive snapshots of the grokking phase (point 1, every 100 epochs, robust point 2 — the chain MC-4
/// evaluates) are linearly mode connected: every segment's train error barrier and train loss barrier stay within
/// <see cref="LinearConnectivityLimits"/>. Universal: each seed's largest barrier over its segments is compared with
/// each threshold, and one seed past it by more than the resolution (one training pair; float32 rounding of the
/// loss) refutes. Control: the same rule on independently initialized solutions (mc-two-inits, the pairs of GV-2),
/// which linear mode connectivity must not join.
/// </summary>
public sealed class SuccessiveCheckpointsConnected : ClaimAnalysis<SuccessiveCheckpointsConnected.Parameters>
{
    /// <summary>The companion experiment whose independently initialized solutions are the control.</summary>
    public const string TwoInitializations = "mc-two-inits";

    public override string Name => "successive-checkpoints-connected";

    public override string? ControlName => "independent-initializations";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>GV-1's rule parameters: the robust point 2 and the connectivity thresholds.</summary>
    public sealed record Parameters(RobustPoint2Snapshot Point2, LinearConnectivityLimits Connectivity);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        var limits = p.Connectivity.For(context.RunOptions);
        var land = new GrokkingLandscape(context, p.Point2);
        var chains = land.ChainsFromPoint1ToPoint2();
        var coverage = PathVerdicts.Coverage(land, chains, (m, e) => Judge(m.Spec.Seed, e, limits));
        var comparisons = Compare(
            context.Claim.ScopeKind, PathVerdicts.PerMember(land, chains, Largest(PathMetric.TrainError)),
            PathVerdicts.PerMember(land, chains, Largest(PathMetric.TrainLoss)), limits, Resolutions(context, chains.Values));
        var figure = Figure(context, land, chains, limits);
        return PathVerdicts.Decide(comparisons, [coverage], Measure(chains.Values.ToList(), limits), [figure]);
    }

    /// <summary>
    /// The control: GV-2's independent pairs of the companion run (robust points 2 of cyclic pairs of seeds, one split),
    /// each a one-segment chain judged by the same comparisons; read from GV-2's cached evaluation.
    /// </summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p)
    {
        var companion = context.Companion(TwoInitializations);
        var limits = p.Connectivity.For(companion.RunOptions);
        var land = new GrokkingLandscape(companion, p.Point2);
        var (_, apart) = LinearConnectivitySanity.Evaluations(land, companion.RunOptions.Train.MetricsEvery);
        var comparisons = Compare(
            context.Claim.ScopeKind, apart.Select(Largest(PathMetric.TrainError)).ToList(),
            apart.Select(Largest(PathMetric.TrainLoss)).ToList(), limits, Resolutions(companion, apart));
        var described = apart.Count == 0 ? "none (no two seeds have point 2)"
            : string.Join("; ", apart.Select(e => $"{e.Label}: {LinearConnectivityThresholds.Describe(e)}"));
        return PathVerdicts.Decide(comparisons, [(Verdict.Confirmed, $"independent pairs: {described}")], Measure(apart, limits), []);
    }

    /// <summary>A chain's largest barrier of <paramref name="metric"/> over its segments.</summary>
    public static Func<PathEvaluation, double> Largest(PathMetric metric) => c => c.Segments().Max(s => s.Barrier(metric));

    /// <summary>The resolutions of the two barriers: one training pair, and the float32 rounding of the paths' loss.</summary>
    private static (double Error, double Loss) Resolutions(ClaimContext context, IEnumerable<PathEvaluation> paths) =>
        (PathVerdicts.TrainPair(context.RunOptions), PathVerdicts.LossRounding(paths));

    /// <summary>GV-1's two decisive comparisons: each seed's largest error and loss barrier against its threshold.</summary>
    public static List<Comparison> Compare(
        ClaimScope scope, IReadOnlyList<double> errorBarrier, IReadOnlyList<double> lossBarrier,
        LinearConnectivityThresholds limits, (double Error, double Loss) resolution) =>
    [
        Thresholds.Judge(scope, new Quantity("maxErrorBarrier", "largest train error barrier over a seed's segments"),
            errorBarrier, Relation.AtMost, limits.MaxErrorBarrier, resolution.Error),
        Thresholds.Judge(scope, new Quantity("maxLossBarrier", "largest train loss barrier over a seed's segments", "nats"),
            lossBarrier, Relation.AtMost, limits.MaxLossBarrier, resolution.Loss),
    ];

    /// <summary>The largest error and loss barrier over each seed's segments.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> chains, LinearConnectivityThresholds limits)
    {
        var errorBarrier = chains.Select(Largest(PathMetric.TrainError)).ToList();
        var lossBarrier = chains.Select(Largest(PathMetric.TrainLoss)).ToList();
        return
        [
            new("largest train error barrier over the segments, max over seeds", MemberSeries.Max(errorBarrier), "", null,
                $"<= {limits.MaxErrorBarrier}", errorBarrier, Key: "maxErrorBarrier"),
            new("largest train loss barrier over the segments, max over seeds", MemberSeries.Max(lossBarrier), "nats", null,
                $"<= {limits.MaxLossBarrier:0.####}", lossBarrier, Key: "maxLossBarrier"),
        ];
    }

    /// <summary>Each segment's error and loss barrier per seed, at the epoch of the segment's end.</summary>
    private static ClaimFigure Figure(
        ClaimContext context, GrokkingLandscape land, IReadOnlyDictionary<int, PathEvaluation> chains, LinearConnectivityThresholds limits)
    {
        var error = new List<(string, double[], double[])>();
        var loss = new List<(string, double[], double[])>();
        foreach (var m in land.Members.Where(m => chains.ContainsKey(m.Spec.Index)))
        {
            var x = land.Chain(m).Skip(1).Select(a => land.EpochOf(a.Step)).ToArray();
            var segments = chains[m.Spec.Index].Segments();
            error.Add(($"seed {m.Spec.Seed}", x, segments.Select(s => s.Barrier(PathMetric.TrainError)).ToArray()));
            loss.Add(($"seed {m.Spec.Seed}", x, segments.Select(s => s.Barrier(PathMetric.TrainLoss)).ToArray()));
        }

        string title = $"{context.Claim.Id}: barrier of each segment between successive snapshots (x: epoch of the segment's end)";
        return context.Plot("barriers", title, (dir, name) => PanelChart.Write(dir, name, title,
        [
            new ChartPanel($"train error barrier (threshold {limits.MaxErrorBarrier:P0})", "epoch", "barrier", error),
            new ChartPanel($"train loss barrier (threshold {limits.MaxLossBarrier:0.###})", "epoch", "barrier", loss),
        ]));
    }

    public static SeedFinding Judge(long seed, PathEvaluation chain, LinearConnectivityThresholds limits)
    {
        var segments = chain.Segments();
        var broken = segments.Select((s, i) => (s, i)).Where(x => !limits.Connected(x.s)).ToList();
        double error = segments.Max(s => s.Barrier(PathMetric.TrainError));
        double loss = segments.Max(s => s.Barrier(PathMetric.TrainLoss));
        string numbers = $"{segments.Count} segments, largest error barrier {error:P2}, largest loss barrier {loss:0.####}";
        if (broken.Count == 0)
        {
            return new SeedFinding(seed, Verdict.Confirmed, numbers);
        }

        string which = string.Join(", ", broken.Select(b => $"{b.i + 1} ({LinearConnectivityThresholds.Describe(b.s)})"));
        return new SeedFinding(seed, Verdict.Refuted, $"{numbers}: segment(s) {which} above the threshold");
    }
}
