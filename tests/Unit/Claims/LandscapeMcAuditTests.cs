using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Landscape;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Issue 25 for MC's landscape claims (MC-3, MC-4, MC-8): typical claims within noise, MC-8's universal resolution, each
/// rule's negative control on synthetic paths, and MC-4's chain definition (its first segment when point 1 sits next
/// to a line of the snapshot grid) beside the earlier one.
/// </summary>
public class LandscapeMcAuditTests
{
    private static readonly RobustPoint2Snapshot Point2 = new(RobustValAccuracy: 0.99);

    private static readonly StraightSegmentBump.Limits Mc3 =
        new(Point2, MinBump: 0.02, PeakTolerance: 0.15, MaxValRise: 0.02, MaxGradRatio: 0.2, PaperPeakT: 0.35, PaperGradNorm: 0.75);

    private static readonly ChainZeroTrainError.Parameters Mc4 = new(Point2, MaxTrainMistakes: 1, MinFirstOverLast: 3, PaperFirstStart: 585, PaperFirstEnd: 700);

    private static PathPoint Point(double t, double trainError, double valError, double lossL2, double gradNorm) =>
        new(t, 0.01, lossL2, 0.1, 0.2, trainError, valError, (int)Math.Round(trainError * 3724), gradNorm, 10);

    /// <summary>MC-3's straight segment on 61 points: a train-error bump of <paramref name="bump"/> at t = 0.35, falling validation error and norm.</summary>
    private static PathEvaluation Segment(double bump, Func<double, double>? gradNorm = null) =>
        new("segment", PathKind.Segment, 0, [0.0, 1.0], Enumerable.Range(0, 61).Select(i => i / 60.0)
            .Select(t => Point(t, bump * Math.Exp(-Math.Pow((t - 0.35) / 0.08, 2)), 0.9 * (1 - t), 0.1, (gradNorm ?? (x => 0.75 - (0.7 * x)))(t)))
            .ToList());

    /// <summary>
    /// A chain through checkpoints at <paramref name="epochs"/> (equal t per segment, 21 points each, joins shared) on which a
    /// metric that moves with training time, <paramref name="loss"/>(epoch), moves linearly between the checkpoints' values; train
    /// error zero throughout, the gradient norm following the loss.
    /// </summary>
    private static PathEvaluation ChainOver(double[] epochs, Func<double, double> loss)
    {
        int segments = epochs.Length - 1, n = 20 * segments;
        var points = Enumerable.Range(0, n + 1).Select(i =>
        {
            int k = Math.Min(i / 20, segments - 1);
            double s = (i - (20 * k)) / 20.0, value = loss(epochs[k]) + (s * (loss(epochs[k + 1]) - loss(epochs[k])));
            return Point(i / (double)n, 0, 0, value, value);
        }).ToList();
        return new PathEvaluation("chain", PathKind.Chain, 0, [.. Enumerable.Range(0, segments + 1).Select(k => k / (double)segments)], points);
    }

    private static List<SeedFinding> Came(int seeds) => [.. Enumerable.Range(0, seeds).Select(i => new SeedFinding(i, Verdict.Confirmed, "both points"))];

    // ---------------------------------------------------------------- MC-4: the chain's first segment next to a grid line

    // The ci run: 8 steps per epoch, weights every 800 steps (100 epochs), metrics every 80 (10 epochs); seed 3's point 1
    // at epoch 880 and robust point 2 at epoch 1850 (event snapshots), periodic snapshots every 100 epochs.
    private const long PerEpoch = 8, Every = 800, Metrics = 80;

    private static long[] Snapshots(params long[] events) =>
        [.. Enumerable.Range(0, 28).Select(k => k * Every).Concat(events).Order()];

    private static double[] Nodes(long p1, long p2, IReadOnlyList<long> between) => [p1 / (double)PerEpoch, .. between.Select(s => s / (double)PerEpoch), p2 / (double)PerEpoch];

    [Fact]
    public void MC4_chain_joins_the_snapshots_a_whole_interval_from_either_point_where_the_old_chain_joined_every_one()
    {
        long p1 = 880 * PerEpoch, p2 = 1850 * PerEpoch;
        var snapshots = Snapshots(p1, p2);

        var old = GrokkingLandscape.PeriodicSteps(p1, p2, snapshots, Every, Metrics);
        var chosen = GrokkingLandscape.WholeIntervalSteps(p1, p2, snapshots, Every, Metrics);

        Nodes(p1, p2, old).Should().Equal(880, 900, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1800, 1850); // first segment 20 epochs
        Nodes(p1, p2, chosen).Should().Equal(880, 1000, 1100, 1200, 1300, 1400, 1500, 1600, 1700, 1850); // 120 and 150 epochs
    }

    [Fact]
    public void MC4_chain_on_the_papers_points_gives_the_papers_first_and_last_segments()
    {
        // MC's Fig. 4: point 1 at epoch 585, point 2 at 2402; its segments are 585 -> 700 and 2300 -> 2402.
        long p1 = 585 * PerEpoch, p2 = 2402 * PerEpoch;
        var snapshots = Snapshots(p1, p2);

        var old = Nodes(p1, p2, GrokkingLandscape.PeriodicSteps(p1, p2, snapshots, Every, Metrics));
        var chosen = Nodes(p1, p2, GrokkingLandscape.WholeIntervalSteps(p1, p2, snapshots, Every, Metrics));

        (old[0], old[1], old[^2], old[^1]).Should().Be((585.0, 600.0, 2400.0, 2402.0));
        (chosen[0], chosen[1], chosen[^2], chosen[^1]).Should().Be((585.0, 700.0, 2300.0, 2402.0));
    }

    [Fact]
    public void MC4_verdict_on_a_series_that_moves_just_after_the_first_grid_line_old_refuted_new_confirmed()
    {
        // The loss and gradient norm hold still for the 20 epochs after point 1 (880), fall steeply from 900 to 1000, then
        // drift slowly: the old first segment (880 -> 900) sees nothing, the chosen one (880 -> 1000) the fall.
        static double Loss(double epoch) => epoch <= 900 ? 1.0 : epoch <= 1000 ? 1.0 - (0.008 * (epoch - 900)) : 0.2 - (0.0001 * (epoch - 1000));
        long p1 = 880 * PerEpoch, p2 = 1850 * PerEpoch;
        var snapshots = Snapshots(p1, p2);
        var oldChain = ChainOver(Nodes(p1, p2, GrokkingLandscape.PeriodicSteps(p1, p2, snapshots, Every, Metrics)), Loss);
        var newChain = ChainOver(Nodes(p1, p2, GrokkingLandscape.WholeIntervalSteps(p1, p2, snapshots, Every, Metrics)), Loss);

        ChainZeroTrainError.Ratio(oldChain, PathMetric.TrainLossL2).Should().Be(0);
        ChainZeroTrainError.Decide(ClaimScope.Typical, [oldChain, oldChain, oldChain], Came(3), Mc4).Verdict.Should().Be(Verdict.Refuted);
        ChainZeroTrainError.Ratio(newChain, PathMetric.TrainLossL2).Should().BeApproximately(0.8 / 0.015, 1e-9);
        ChainZeroTrainError.Decide(ClaimScope.Typical, [newChain, newChain, newChain], Came(3), Mc4).Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void MC4_chain_without_a_snapshot_a_whole_interval_from_both_points_is_one_segment_without_a_ratio()
    {
        long p1 = 880 * PerEpoch, p2 = 1050 * PerEpoch;

        GrokkingLandscape.WholeIntervalSteps(p1, p2, Snapshots(p1, p2), Every, Metrics).Should().BeEmpty();
        double.IsNaN(ChainZeroTrainError.Ratio(ChainOver([880, 1050], e => 1 / e), PathMetric.GradNorm)).Should().BeTrue();
    }

    /// <summary>A two-segment chain whose loss and gradient norm change by <paramref name="first"/> along the first segment and 1 along the last.</summary>
    private static PathEvaluation FirstOverLast(double first) => ChainOver([0, 1, 2], e => e <= 1 ? 1 + first - (first * e) : 2 - e);

    [Fact]
    public void MC4_is_inconclusive_within_noise_when_the_seed_interval_of_the_ratio_straddles_3()
    {
        var result = ChainZeroTrainError.Decide(ClaimScope.Typical, [FirstOverLast(2), FirstOverLast(3.5), FirstOverLast(4)], Came(3), Mc4);

        result.Verdict.Should().Be(Verdict.Inconclusive);
        var loss = result.Comparisons.Single(c => c.Key == "lossRangeRatio");
        loss.PerSeed.Should().Equal(2, 3.5, 4);
        loss.Reason.Should().Contain("within noise");
        loss.SeedsNeeded.Should().NotBeNull();
    }

    [Fact]
    public void MC4_control_the_reversed_chain_is_refuted_where_the_chain_is_confirmed()
    {
        var chains = new PathEvaluation?[] { FirstOverLast(20), FirstOverLast(21), FirstOverLast(22) };

        ChainZeroTrainError.Decide(ClaimScope.Typical, chains, Came(3), Mc4).Verdict.Should().Be(Verdict.Confirmed);
        var reversed = chains.Select(c => (PathEvaluation?)ChainZeroTrainError.Reversed(c!)).ToList();
        var control = ChainZeroTrainError.Decide(ClaimScope.Typical, reversed, Came(3), Mc4);

        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Single(c => c.Key == "lossRangeRatio").PerSeed.Should().Equal(1 / 20.0, 1 / 21.0, 1 / 22.0);
        reversed[0]!.T.Should().BeInAscendingOrder();
    }

    // ---------------------------------------------------------------- MC-3

    [Fact]
    public void MC3_is_inconclusive_within_noise_when_the_seeds_bumps_straddle_2_percent()
    {
        var result = StraightSegmentBump.Decide(ClaimScope.Typical, [Segment(0.01), Segment(0.03), Segment(0.025)], Came(3), Mc3);

        result.Verdict.Should().Be(Verdict.Inconclusive);
        var bump = result.Comparisons.Single(c => c.Key == "bumpHeight");
        bump.Reason.Should().Contain("within noise");
        bump.SeedsNeeded.Should().NotBeNull();
        // The seed without a bump has no peak to place.
        double.IsNaN(result.Comparisons.Single(c => c.Key == "peakDistance").PerSeed[0]).Should().BeTrue();
    }

    [Fact]
    public void MC3_control_the_last_chain_segment_is_refuted_where_the_straight_segment_is_confirmed()
    {
        // A chain on which train error stays zero and the norm drifts slowly late on (-10% over the last segment).
        var chain = ChainOver([880, 1000, 1100, 1850], e => 0.07 * Math.Exp(-(e - 880) / 7000.0) * (e < 1000 ? 5 - (4 * (e - 880) / 120) : 1));
        var last = LastChainSegment.Rescaled(chain.Segments()[^1]);

        StraightSegmentBump.Decide(ClaimScope.Typical, [Segment(0.05), Segment(0.04), Segment(0.06)], Came(3), Mc3).Verdict
            .Should().Be(Verdict.Confirmed);
        var control = StraightSegmentBump.Decide(ClaimScope.Typical, [last, last, last], Came(3), Mc3);

        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        (last.T[0], last.T[^1]).Should().Be((0.0, 1.0));
        control.Comparisons.Single(c => c.Key == "bumpHeight").Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- MC-8 (universal)

    private static AnalysisResult Mc8(double maxRatio, double resolution, params double[] ratios) =>
        GradientNormPoint2BelowPoint1.Decide(ClaimScope.Universal, [.. ratios.Select(r => (1.0, r))], Came(ratios.Length), resolution,
            new GradientNormPoint2BelowPoint1.Parameters(Point2, maxRatio, 0.75));

    [Fact]
    public void MC8_a_seed_past_the_bound_within_the_float_resolution_does_not_refute_and_one_just_beyond_does()
    {
        double resolution = 0.2 * 2 * 8 * Math.Pow(2, -24); // 8 minibatches of 512 in the ci run's 3,724 training pairs

        var within = Mc8(0.2, resolution, 0.1, 0.2 + (0.5 * resolution), 0.15);
        within.Verdict.Should().Be(Verdict.Inconclusive);
        within.Reason.Should().Contain("within the resolution");

        Mc8(0.2, resolution, 0.1, 0.2 + (2 * resolution), 0.15).Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void MC8_control_the_last_chain_segment_is_refuted_by_close_to_zero_where_bare_lower_confirmed_it()
    {
        // The ci numbers: point 2 / point 1 on the straight segment 0.18, 0.16, 0.19; along the last chain segment 0.89, 0.90, 0.93.
        Mc8(0.2, 0, 0.18, 0.16, 0.19).Verdict.Should().Be(Verdict.Confirmed);
        Mc8(0.2, 0, 0.89, 0.90, 0.93).Verdict.Should().Be(Verdict.Refuted);

        // The rule before issue 25 ('lower', at most 1) confirmed the control too: it could not discriminate.
        Mc8(1.0, 0, 0.89, 0.90, 0.93).Verdict.Should().Be(Verdict.Confirmed);
    }
}
