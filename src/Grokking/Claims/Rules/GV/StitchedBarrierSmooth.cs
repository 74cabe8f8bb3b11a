using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;
using Grokking.Plots;

namespace Grokking.Claims.Rules.GV;

/// <summary>
/// GV-3: the stitched train-loss plot along the chain of ~10 successive snapshots (MC-4's chain) is "smooth and
/// small", not "wavy". Small: train error stays at most <c>maxTrainError</c> everywhere along the stitched path.
/// Smooth: the plot's total climb — the sum of every rise of the stitched train loss, each climb into and out of a
/// valley counted — is at most the LMC loss threshold of <see cref="LinearConnectivityLimits"/>: the plot as a whole
/// may climb no more than one agreed barrier, where GV-1 bounds each segment on its own. Universal, per seed.
/// Control: the stitched plot through independently initialized solutions (mc-two-inits: the robust points 2 of
/// GV-2's cyclic pairs, end to end), the jumps between separate minima the proposal calls wavy.
/// </summary>
public sealed class StitchedBarrierSmooth : ClaimAnalysis<StitchedBarrierSmooth.Parameters>
{
    public override string Name => "stitched-barrier-smooth";

    public override string? ControlName => "stitched-independent-solutions";

    public override SeedRule SeedRule => SeedRule.EverySeed;

    /// <summary>
    /// GV-3's rule parameters: the robust point 2, the train error that counts as small, and GV-1's connectivity
    /// thresholds (the loss threshold bounds the total climb; the claim file states the error threshold with it).
    /// </summary>
    public sealed record Parameters(RobustPoint2Snapshot Point2, [Within(0, 1)] double MaxTrainError, LinearConnectivityLimits Connectivity);

    public override AnalysisResult Analyze(ClaimContext context, Parameters p)
    {
        double climb = p.Connectivity.For(context.RunOptions).MaxLossBarrier;
        var land = new GrokkingLandscape(context, p.Point2);
        var chains = land.ChainsFromPoint1ToPoint2();
        var coverage = PathVerdicts.Coverage(land, chains, (m, e) => Judge(m.Spec.Seed, e, p.MaxTrainError, climb));
        var comparisons = Compare(
            context, PathVerdicts.PerMember(land, chains, Worst), PathVerdicts.PerMember(land, chains, Climb), chains.Values.ToList(), p);
        var paths = chains.Values.ToList();
        return PathVerdicts.Decide(comparisons, [coverage], Measure(paths, p.MaxTrainError, climb), [Figure(context, paths)]);
    }

    /// <summary>The control: GV-2's independent segments of the companion run (cached), stitched end to end into one plot.</summary>
    public override AnalysisResult AnalyzeControl(ClaimContext context, Parameters p)
    {
        var companion = context.Companion(SuccessiveCheckpointsConnected.TwoInitializations);
        double climb = p.Connectivity.For(companion.RunOptions).MaxLossBarrier;
        var land = new GrokkingLandscape(companion, p.Point2);
        var (_, apart) = LinearConnectivitySanity.Evaluations(land, companion.RunOptions.Train.MetricsEvery);
        var stitched = Stitch(apart, "independent solutions, stitched");
        List<PathEvaluation> paths = stitched is null ? [] : [stitched];
        var comparisons = Compare(companion, paths.Select(Worst).ToList(), paths.Select(Climb).ToList(), paths, p);
        var described = paths.Select(c => (Verdict.Confirmed, Judge(0, c, p.MaxTrainError, climb).Reason)).ToList();
        return PathVerdicts.Decide(comparisons, described, Measure(paths, p.MaxTrainError, climb), []);
    }

    /// <summary>
    /// Segments placed end to end as one chain on t in [0, 1] (segment i on [i/n, (i+1)/n]), each segment's ends the
    /// joins — the stitched plot of GV's Fig. 1. Null without segments.
    /// </summary>
    public static PathEvaluation? Stitch(IReadOnlyList<PathEvaluation> segments, string label)
    {
        if (segments.Count == 0)
        {
            return null;
        }

        int n = segments.Count;
        var points = segments.SelectMany((s, i) => s.Points.Select(q => q with { T = (i + q.T) / n }).Skip(i == 0 ? 0 : 1)).ToList();
        var joins = Enumerable.Range(0, n + 1).Select(i => (double)i / n).ToList();
        return new PathEvaluation(label, PathKind.Chain, segments[0].Seed, joins, points);
    }

    /// <summary>GV-3's comparisons on a run: its resolutions are one training pair and the loss rounding summed over the grid steps.</summary>
    private static List<Comparison> Compare(
        ClaimContext context, IReadOnlyList<double> worst, IReadOnlyList<double> climb, IReadOnlyList<PathEvaluation> paths, Parameters p)
    {
        int terms = paths.Select(c => c.Points.Count - 1).DefaultIfEmpty(1).Max();
        var resolution = (PathVerdicts.TrainPair(context.RunOptions), PathVerdicts.LossRounding(paths, terms));
        return Compare(context.Claim.ScopeKind, worst, climb, p.MaxTrainError, p.Connectivity.For(context.RunOptions).MaxLossBarrier, resolution);
    }

    /// <summary>GV-3's two decisive comparisons: the largest train error along the plot ('small'), and its total climb ('smooth').</summary>
    public static List<Comparison> Compare(
        ClaimScope scope, IReadOnlyList<double> worst, IReadOnlyList<double> climb, double maxTrainError, double lossThreshold,
        (double Error, double Loss) resolution) =>
    [
        Thresholds.Judge(scope, new Quantity("maxTrainError", "largest train error along the stitched path"),
            worst, Relation.AtMost, maxTrainError, resolution.Error),
        Thresholds.Judge(scope, new Quantity("lossClimb", "total climb of the stitched train loss", "nats"),
            climb, Relation.AtMost, lossThreshold, resolution.Loss),
    ];

    /// <summary>The largest train error along a path.</summary>
    public static double Worst(PathEvaluation chain) => chain.Points.Max(q => q.TrainError);

    /// <summary>The total climb of the train loss along a path: the sum of its rises from one grid point to the next.</summary>
    public static double Climb(PathEvaluation chain)
    {
        var loss = chain.Values(PathMetric.TrainLoss);
        return loss.Zip(loss.Skip(1), (a, b) => Math.Max(0, b - a)).Sum();
    }

    /// <summary>The largest train error along each seed's stitched path, its total climb, and the loss hills on it.</summary>
    private static List<MeasuredValue> Measure(IReadOnlyList<PathEvaluation> chains, double maxTrainError, double threshold)
    {
        var worst = chains.Select(Worst).ToList();
        var climb = chains.Select(Climb).ToList();
        var hills = chains.Select(c => (double)Hills(c, threshold)).ToList();
        return
        [
            new("largest train error along the stitched path, max over seeds", MemberSeries.Max(worst), "", null,
                $"<= {maxTrainError}", worst, Key: "maxTrainError"),
            new("total climb of the stitched train loss, max over seeds", MemberSeries.Max(climb), "nats", null,
                $"<= {threshold:0.####}", climb, Key: "lossClimb"),
            new($"train-loss hills with prominence > {threshold:0.####} (the rule before issue 25), max over seeds",
                MemberSeries.Max(hills), "", null, "reported", hills, Key: "hills"),
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

    /// <summary>The rule before issue 25, still reported: hills of the stitched train loss with prominence above the threshold.</summary>
    public static int Hills(PathEvaluation chain, double threshold) =>
        CurveShape.Peaks(chain.Values(PathMetric.TrainLoss)).Count(p => p.Prominence > threshold);

    /// <summary>One seed's stitched path described, and judged on its own by the two thresholds (no resolution).</summary>
    public static SeedFinding Judge(long seed, PathEvaluation chain, double maxTrainError, double lossThreshold)
    {
        double worst = Worst(chain);
        double climb = Climb(chain);
        string numbers = $"train error <= {worst:P2} along {chain.Joins.Count - 1} segments, total loss climb {climb:0.####} nats";
        var failures = new List<string>();
        if (worst > maxTrainError)
        {
            failures.Add($"not small (train error > {maxTrainError:P0})");
        }

        if (climb > lossThreshold)
        {
            failures.Add($"wavy (the train loss climbs {climb:0.####} > {lossThreshold:0.####} nats in all)");
        }

        return failures.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, $"smooth and small: {numbers}")
            : new SeedFinding(seed, Verdict.Refuted, $"{numbers}: {string.Join("; ", failures)}");
    }
}
