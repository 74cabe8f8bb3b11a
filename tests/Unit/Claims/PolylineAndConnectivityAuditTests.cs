using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.GV;
using Grokking.Claims.Rules.MC;
using Grokking.Claims.Toolkit;
using Grokking.Landscape;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// Issue 25 for the landscape claims MC-5..MC-7 and GV-1..GV-3: their decisive comparisons by scope (typical: a
/// series near the threshold is INCONCLUSIVE within noise; universal: a counterexample within the resolution does
/// not refute, one just past it does), each rule against its negative control on synthetic paths, and GV-3's new
/// reading of the stitched plot (total climb) beside the old one (hills).
/// </summary>
public class PolylineAndConnectivityAuditTests
{
    // Resolutions of a run with 4,704 training and 4,705 validation pairs (97 x 97 at train fraction 0.5) on a 61-point grid.
    private const double TrainPair = 1.0 / 4704;
    private const double ValPair = 1.0 / 4705;
    private const double GridStep = 1.0 / 60;
    private const double LossRounding = 1e-7;

    private static readonly RobustPoint2Snapshot Point2 = new(RobustValAccuracy: 0.99);

    private static readonly LinearConnectivityThresholds Lmc =
        new LinearConnectivityLimits(MaxErrorBarrier: 0.02, LossBarrierShareOfChance: 0.02).For(classes: 97);

    private sealed record Curves
    {
        public Func<double, double> TrainLoss { get; init; } = t => 0.05 - (0.04 * t);

        public Func<double, double> TrainError { get; init; } = _ => 0;

        public Func<double, double> ValError { get; init; } = _ => 0;

        public Func<double, double> GradNorm { get; init; } = _ => 1;
    }

    private static double Bump(double t, double center, double width = 0.08) => Math.Exp(-Math.Pow((t - center) / width, 2));

    private static PathPoint Point(double t, Curves c) =>
        new(t, c.TrainLoss(t), c.TrainLoss(t) + 0.1, 0.1, 0.2, c.TrainError(t), c.ValError(t), 0, c.GradNorm(t), 10);

    private static PathEvaluation OnGrid(PathKind kind, Curves c, string label = "synthetic") =>
        new(label, kind, 0, [0.0, 1.0], Enumerable.Range(0, 61).Select(i => Point(i / 60.0, c)).ToList());

    private static PathEvaluation Segment(Curves c) => OnGrid(PathKind.Segment, c);

    private static PathEvaluation Polyline(Curves c) => OnGrid(PathKind.Polyline, c);

    private static PathEvaluation Chain(int segments, Curves c)
    {
        int n = 20 * segments;
        var joins = Enumerable.Range(0, segments + 1).Select(k => k / (double)segments).ToList();
        return new PathEvaluation("synthetic chain", PathKind.Chain, 0, joins, Enumerable.Range(0, n + 1).Select(i => Point(i / (double)n, c)).ToList());
    }

    private static Comparison Key(IReadOnlyList<Comparison> comparisons, string key) => comparisons.Single(c => c.Key == key);

    private static Verdict Overall(IReadOnlyList<Comparison> comparisons) => Thresholds.Combine(comparisons).Verdict;

    // ---------------------------------------------------------------- MC-5 (typical)

    private static readonly FittedPolylinePlateau.Limits Mc5 = new(Point2, MaxTrainError: 0.01, Band: 0.02, MinLead: 0.1, PaperPlateauT: 0.6);

    private static List<Comparison> Mc5Compare(double[] worst, double[] lead) =>
        FittedPolylinePlateau.Compare(ClaimScope.Typical, worst, lead, Mc5, (TrainPair, GridStep));

    [Fact]
    public void MC5_is_confirmed_when_the_lead_interval_lies_above_the_threshold()
    {
        var comparisons = Mc5Compare([0.001, 0.002, 0.0015], [0.5, 0.52, 0.48]);

        Overall(comparisons).Should().Be(Verdict.Confirmed);
        Key(comparisons, "plateauLead").Low.Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void MC5_is_refuted_when_the_lead_interval_lies_below_the_threshold()
    {
        var comparisons = Mc5Compare([0.001, 0.002, 0.0015], [0.0, 0.01, 0.02]);

        Key(comparisons, "plateauLead").Verdict.Should().Be(Verdict.Refuted);
        Overall(comparisons).Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void MC5_is_inconclusive_within_noise_when_the_lead_interval_straddles_the_threshold()
    {
        var lead = Key(Mc5Compare([0.001, 0.002, 0.0015], [0.05, 0.1, 0.2]), "plateauLead");

        lead.Verdict.Should().Be(Verdict.Inconclusive);
        lead.Reason.Should().Contain("within noise");
        lead.SeedsNeeded.Should().NotBeNull();
    }

    private static Curves ReachesPlateauAt(double plateau) => new() { ValError = t => Math.Max(0, 0.9 * (1 - (t / plateau))) };

    [Fact]
    public void MC5_control_the_unfitted_polyline_is_the_segment_and_is_refuted_while_the_fitted_one_confirms()
    {
        var segments = Enumerable.Range(0, 3).Select(i => Segment(ReachesPlateauAt(0.85 + (0.02 * i)) with
        {
            TrainError = t => 0.05 * Bump(t, 0.35),
        })).ToList();
        var polylines = Enumerable.Range(0, 3).Select(i => Polyline(ReachesPlateauAt(0.4 + (0.02 * i)))).ToList();
        double[] Worst(List<PathEvaluation> paths) => paths.Select(p => p.Points.Max(x => x.TrainError)).ToArray();
        double[] Lead(List<PathEvaluation> paths) =>
            segments.Zip(paths, (s, p) => FittedPolylinePlateau.Plateau(s, Mc5.Band) - FittedPolylinePlateau.Plateau(p, Mc5.Band)).ToArray();

        Overall(Mc5Compare(Worst(polylines), Lead(polylines))).Should().Be(Verdict.Confirmed);
        var control = Mc5Compare(Worst(segments), Lead(segments));
        Key(control, "plateauLead").Estimate.Should().Be(0);
        Overall(control).Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- MC-6 (typical)

    private static readonly FittedPolylineMemorizationPair.Limits Mc6 = new(Point2, MaxTrainError: 0.01, Center: 0.5, Window: 0.15, MinGain: 0.2);

    private static Curves Gains(double gain) => new()
    {
        ValError = t => 0.9 - (gain * Bump(t, 0.5, 0.1)),
        GradNorm = t => 1 - (0.5 * Bump(t, 0.5, 0.1)),
    };

    private static List<Comparison> Mc6Compare(params double[] gains) =>
        FittedPolylineMemorizationPair.Compare(ClaimScope.Typical, gains.Select(g => Polyline(Gains(g))).ToList(), Mc6, (TrainPair, ValPair));

    [Fact]
    public void MC6_is_confirmed_by_wide_well_generalizing_middles_in_every_pair()
    {
        var comparisons = Mc6Compare(0.6, 0.65, 0.7);

        Overall(comparisons).Should().Be(Verdict.Confirmed);
        Key(comparisons, "midGradNormRatio").Estimate.Should().BeApproximately(0.5, 1e-9);
    }

    [Fact]
    public void MC6_is_refuted_when_the_middles_gain_too_little()
    {
        var comparisons = Mc6Compare(0.05, 0.06, 0.07);

        Key(comparisons, "valErrorGain").Verdict.Should().Be(Verdict.Refuted);
        Overall(comparisons).Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void MC6_is_inconclusive_within_noise_when_the_gain_interval_straddles_the_threshold()
    {
        var gain = Key(Mc6Compare(0.1, 0.25, 0.4), "valErrorGain");

        gain.Verdict.Should().Be(Verdict.Inconclusive);
        gain.Reason.Should().Contain("within noise");
        gain.SeedsNeeded.Should().NotBeNull();
    }

    [Fact]
    public void MC6_control_generalizing_ends_leave_nothing_to_gain_and_are_refuted()
    {
        var generalizing = Enumerable.Range(0, 3).Select(i => Polyline(new Curves { ValError = t => 0.01 - (0.002 * i * Bump(t, 0.5)) })).ToList();

        Overall(Mc6Compare(0.6, 0.65, 0.7)).Should().Be(Verdict.Confirmed);
        var control = FittedPolylineMemorizationPair.Compare(ClaimScope.Typical, generalizing, Mc6, (TrainPair, ValPair));
        Key(control, "valErrorGain").Verdict.Should().Be(Verdict.Refuted);
        Overall(control).Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- MC-7 (universal)

    private static readonly FittedPolylineGeneralizationPair.Limits Mc7 =
        new(Point2, MaxTrainError: 0.01, MaxValError: 0.05, MinProminence: 0.25, Symmetry: 0.1);

    private static Curves TwoHills(double peakValError) => new()
    {
        ValError = t => 0.01 + ((peakValError - 0.01) * Bump(t, 0.5, 0.1)),
        GradNorm = t => 0.2 + Bump(t, 0.25, 0.07) + Bump(t, 0.75, 0.07),
    };

    private static List<Comparison> Mc7Compare(params double[] peakValErrors) =>
        FittedPolylineGeneralizationPair.Compare(
            ClaimScope.Universal, peakValErrors.Select(v => Polyline(TwoHills(v))).ToList(), Mc7, (TrainPair, ValPair, GridStep));

    [Fact]
    public void MC7_a_pair_past_the_validation_threshold_within_one_validation_pair_does_not_refute()
    {
        var val = Key(Mc7Compare(0.02, 0.03, 0.05 + (0.5 * ValPair)), "maxValError");

        val.Verdict.Should().Be(Verdict.Inconclusive);
        val.Reason.Should().Contain("within the resolution");
    }

    [Fact]
    public void MC7_a_pair_past_the_validation_threshold_by_more_than_one_validation_pair_refutes()
    {
        var comparisons = Mc7Compare(0.02, 0.03, 0.05 + (2 * ValPair));

        Key(comparisons, "maxValError").Verdict.Should().Be(Verdict.Refuted);
        Overall(comparisons).Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void MC7_hills_mirrored_about_the_middle_have_no_asymmetry_and_a_single_hill_has_none_to_measure()
    {
        FittedPolylineGeneralizationPair.Asymmetry(Polyline(TwoHills(0.02)), Mc7).Should().BeApproximately(0, 1e-9);
        var single = new Curves { GradNorm = t => 0.2 + Bump(t, 0.5, 0.07) };
        FittedPolylineGeneralizationPair.Asymmetry(Polyline(single), Mc7).Should().Be(double.NaN);
    }

    [Fact]
    public void MC7_control_memorizing_ends_do_not_keep_validation_error_low_and_are_refuted()
    {
        var memorizing = Enumerable.Range(0, 3)
            .Select(i => Polyline(TwoHills(0.02) with { ValError = t => 0.6 + (0.05 * i) - (0.55 * Bump(t, 0.5, 0.1)) }))
            .ToList();

        Overall(Mc7Compare(0.02, 0.03, 0.04)).Should().Be(Verdict.Confirmed);
        var control = FittedPolylineGeneralizationPair.Compare(ClaimScope.Universal, memorizing, Mc7, (TrainPair, ValPair, GridStep));
        Key(control, "maxValError").Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- GV-1 (universal)

    private static List<Comparison> Gv1Compare(double[] error, double[] loss) =>
        SuccessiveCheckpointsConnected.Compare(ClaimScope.Universal, error, loss, Lmc, (TrainPair, LossRounding));

    [Fact]
    public void GV1_an_error_barrier_past_the_threshold_within_one_training_pair_does_not_refute()
    {
        var error = Key(Gv1Compare([0, 0, 0.02 + (0.5 * TrainPair)], [0, 0, 0]), "maxErrorBarrier");

        error.Verdict.Should().Be(Verdict.Inconclusive);
        error.Reason.Should().Contain("within the resolution");
    }

    [Fact]
    public void GV1_an_error_barrier_past_the_threshold_by_more_than_one_training_pair_refutes()
    {
        var comparisons = Gv1Compare([0, 0, 0.02 + (2 * TrainPair)], [0, 0, 0]);

        Key(comparisons, "maxErrorBarrier").Verdict.Should().Be(Verdict.Refuted);
        Overall(comparisons).Should().Be(Verdict.Refuted);
    }

    private static readonly Curves Barrier = new()
    {
        TrainError = t => 0.9 * Bump(t, 0.5, 0.1),
        TrainLoss = t => 0.05 + (4 * Bump(t, 0.5, 0.1)),
    };

    [Fact]
    public void GV1_control_independent_solutions_with_a_barrier_are_refuted_while_flat_chains_confirm()
    {
        var chains = Enumerable.Range(0, 3).Select(_ => Chain(5, new Curves())).ToList();
        var independent = Enumerable.Range(0, 4).Select(_ => Segment(Barrier)).ToList();
        List<Comparison> On(List<PathEvaluation> paths) => Gv1Compare(
            paths.Select(SuccessiveCheckpointsConnected.Largest(PathMetric.TrainError)).ToArray(),
            paths.Select(SuccessiveCheckpointsConnected.Largest(PathMetric.TrainLoss)).ToArray());

        Overall(On(chains)).Should().Be(Verdict.Confirmed);
        Overall(On(independent)).Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- GV-2 (universal)

    private static List<Comparison> Gv2Compare(List<PathEvaluation> near, List<PathEvaluation> apart) =>
        LinearConnectivitySanity.Compare(ClaimScope.Universal, near, apart, Lmc, (TrainPair, LossRounding));

    private static List<PathEvaluation> Flat(int n) => Enumerable.Range(0, n).Select(_ => Segment(new Curves())).ToList();

    private static PathEvaluation ErrorBarrierOf(double height) => Segment(new Curves { TrainError = t => height * Bump(t, 0.5, 0.1) });

    [Fact]
    public void GV2_an_independent_pair_below_its_threshold_within_one_training_pair_does_not_refute()
    {
        var apart = new List<PathEvaluation> { Segment(Barrier), Segment(Barrier), ErrorBarrierOf(0.02 - (0.5 * TrainPair)) };

        var share = Key(Gv2Compare(Flat(3), apart), "independentBarrierShare");

        share.Verdict.Should().Be(Verdict.Inconclusive);
        share.Reason.Should().Contain("within the resolution");
    }

    [Fact]
    public void GV2_an_independent_pair_below_its_threshold_by_more_than_one_training_pair_refutes()
    {
        var apart = new List<PathEvaluation> { Segment(Barrier), Segment(Barrier), ErrorBarrierOf(0.02 - (2 * TrainPair)) };

        Key(Gv2Compare(Flat(3), apart), "independentBarrierShare").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void GV2_control_swapped_arms_are_refuted_while_the_right_arms_confirm()
    {
        var apart = Enumerable.Range(0, 3).Select(_ => Segment(Barrier)).ToList();

        LinearConnectivitySanity.BarrierShare(Segment(Barrier), Lmc).Should().BeGreaterThan(1);
        Overall(Gv2Compare(Flat(3), apart)).Should().Be(Verdict.Confirmed);
        var control = Gv2Compare(apart, Flat(3));
        control.Should().OnlyContain(c => c.Verdict == Verdict.Refuted);
    }

    // ---------------------------------------------------------------- GV-3 (universal; the new reading of the stitched plot)

    private static List<Comparison> Gv3Compare(double[] worst, double[] climb) =>
        StitchedBarrierSmooth.Compare(ClaimScope.Universal, worst, climb, 0.02, Lmc.MaxLossBarrier, (TrainPair, LossRounding));

    [Fact]
    public void GV3_ten_small_climbs_each_under_GV1s_bound_make_a_wavy_plot_which_the_old_hill_rule_accepted()
    {
        // One ripple of 0.03 nats in the middle of each of 10 segments: GV-1 (per segment) and the old GV-3 rule (hills above
        // 0.0915) accept it; in all the plot climbs 10 x 0.03 = 0.3 nats, which the new rule calls wavy.
        var rippled = new Curves { TrainLoss = t => 0.05 + Enumerable.Range(0, 10).Sum(k => 0.03 * Bump(t, (k + 0.5) / 10, 0.02)) };
        var chain = Chain(10, rippled);

        SuccessiveCheckpointsConnected.Judge(0, chain, Lmc).Verdict.Should().Be(Verdict.Confirmed);
        StitchedBarrierSmooth.Hills(chain, Lmc.MaxLossBarrier).Should().Be(0, "the old rule saw no hill");
        StitchedBarrierSmooth.Climb(chain).Should().BeApproximately(0.3, 0.01);
        StitchedBarrierSmooth.Judge(0, chain, 0.02, Lmc.MaxLossBarrier).Verdict.Should().Be(Verdict.Refuted);
        Overall(Gv3Compare([0, 0, 0], [0, 0, StitchedBarrierSmooth.Climb(chain)])).Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void GV3_a_climb_past_the_threshold_within_the_loss_rounding_does_not_refute_and_one_past_it_does()
    {
        double threshold = Lmc.MaxLossBarrier;

        var within = Key(Gv3Compare([0, 0, 0], [0, 0, threshold + (0.5 * LossRounding)]), "lossClimb");
        var past = Key(Gv3Compare([0, 0, 0], [0, 0, threshold + (2 * LossRounding)]), "lossClimb");

        within.Verdict.Should().Be(Verdict.Inconclusive);
        past.Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void GV3_control_the_stitched_plot_through_independent_solutions_is_wavy_and_refuted()
    {
        var stitched = StitchedBarrierSmooth.Stitch(Enumerable.Range(0, 4).Select(_ => Segment(Barrier)).ToList(), "independent")!;
        var smooth = Chain(10, new Curves());

        stitched.Joins.Should().Equal(0, 0.25, 0.5, 0.75, 1);
        stitched.Points.Should().HaveCount(1 + (4 * 60));
        Overall(Gv3Compare([0, 0, 0], [StitchedBarrierSmooth.Climb(smooth), 0, 0])).Should().Be(Verdict.Confirmed);
        var control = Gv3Compare([StitchedBarrierSmooth.Worst(stitched)], [StitchedBarrierSmooth.Climb(stitched)]);
        StitchedBarrierSmooth.Climb(stitched).Should().BeApproximately(16, 0.1);
        control.Should().OnlyContain(c => c.Verdict == Verdict.Refuted);
    }
}
