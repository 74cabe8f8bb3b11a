using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Landscape;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// The pure decision functions (Judge) of the landscape claims (MC-3..MC-8, GV-1..GV-3) on synthetic paths, and
/// the curve statistics they rest on (<see cref="CurveShape"/>, <see cref="Barriers"/>).
/// </summary>
public class LandscapeAnalysesTests
{
    /// <summary>The metrics of a synthetic path as functions of t; anything not given is flat and harmless.</summary>
    private sealed record Curves
    {
        public Func<double, double> TrainLoss { get; init; } = _ => 0.01;

        public Func<double, double> TrainLossL2 { get; init; } = _ => 0.1;

        public Func<double, double> TrainError { get; init; } = _ => 0;

        public Func<double, double> ValError { get; init; } = _ => 0;

        public Func<double, double> GradNorm { get; init; } = _ => 1;

        public Func<double, int> TrainMistakes { get; init; } = _ => 0;
    }

    /// <summary>A Gaussian hill of height 1 centred at <paramref name="center"/>.</summary>
    private static double Bump(double t, double center, double width = 0.08) => Math.Exp(-Math.Pow((t - center) / width, 2));

    private static PathPoint Point(double t, Curves c) =>
        new(t, c.TrainLoss(t), c.TrainLossL2(t), 0.1, 0.2, c.TrainError(t), c.ValError(t), c.TrainMistakes(t), c.GradNorm(t), 10);

    /// <summary>A path on the grid t = i / 60 (61 points, MC-3's grid).</summary>
    private static PathEvaluation OnGrid(PathKind kind, Curves c, string label = "synthetic") =>
        new(label, kind, 0, [0.0, 1.0], Enumerable.Range(0, 61).Select(i => Point(i / 60.0, c)).ToList());

    private static PathEvaluation Segment(Curves c, string label = "synthetic segment") => OnGrid(PathKind.Segment, c, label);

    private static PathEvaluation Polyline(Curves c) => OnGrid(PathKind.Polyline, c);

    /// <summary>A chain of <paramref name="segments"/> segments, joins at k / segments, 21 points per segment sharing the joins.</summary>
    private static PathEvaluation Chain(int segments, Curves c)
    {
        int n = 20 * segments;
        var joins = Enumerable.Range(0, segments + 1).Select(k => k / (double)segments).ToList();
        var points = Enumerable.Range(0, n + 1).Select(i => Point(i / (double)n, c)).ToList();
        return new PathEvaluation("synthetic chain", PathKind.Chain, 0, joins, points);
    }

    // ---------------------------------------------------------------- CurveShape

    [Fact]
    public void MaxRise_is_zero_for_a_non_increasing_series_and_the_largest_climb_above_the_running_minimum_otherwise()
    {
        CurveShape.MaxRise([3.0, 2.0, 2.0, 1.0, 0.5]).Should().Be(0);
        CurveShape.MaxRise([1.0, 0.5, 0.8, 0.2]).Should().BeApproximately(0.3, 1e-12);
        CurveShape.MaxRise([1.0, 0.2, 0.5, 0.1, 0.9]).Should().BeApproximately(0.8, 1e-12);
    }

    [Fact]
    public void PlateauStart_is_the_first_t_from_which_the_curve_stays_within_the_band_of_its_end()
    {
        double[] t = [0, 0.25, 0.5, 0.75, 1];
        CurveShape.PlateauStart(t, [1.0, 0.5, 0.08, 0.05, 0.0], 0.1).Should().Be(0.5);

        // Leaving the band and coming back: the plateau starts after the last excursion.
        CurveShape.PlateauStart(t, [0.0, 0.5, 0.0, 0.0, 0.0], 0.1).Should().Be(0.5);
        CurveShape.PlateauStart(t, [0.0, 0.0, 0.0, 0.5, 0.0], 0.1).Should().Be(1);

        // Only the end is in the band.
        CurveShape.PlateauStart(t, [1.0, 0.9, 0.8, 0.7, 0.0], 0.1).Should().Be(1);

        // Everything is in the band.
        CurveShape.PlateauStart(t, [0.05, 0.0, 0.05, 0.0, 0.0], 0.1).Should().Be(0);
    }

    [Fact]
    public void Range_is_largest_minus_smallest() =>
        CurveShape.Range([0.5, -1.0, 2.0, 0.0]).Should().Be(3);

    [Fact]
    public void Peaks_have_topographic_prominence()
    {
        var peaks = CurveShape.Peaks([0.0, 2.0, 1.0, 3.0, 0.0]);

        peaks.Should().HaveCount(2);
        peaks[0].Index.Should().Be(1);
        peaks[0].Prominence.Should().Be(1); // descends to 1 before reaching the higher 3
        peaks[1].Index.Should().Be(3);
        peaks[1].Prominence.Should().Be(3); // the highest peak: down to 0 on both sides
    }

    [Fact]
    public void Peaks_count_a_flat_top_once_and_ignore_monotone_curves_and_ends()
    {
        var flat = CurveShape.Peaks([0.0, 2.0, 2.0, 0.5]);
        flat.Should().ContainSingle();
        flat[0].Index.Should().Be(1);
        flat[0].Prominence.Should().Be(1.5);

        CurveShape.Peaks([3.0, 2.0, 1.0, 0.0]).Should().BeEmpty();
        CurveShape.Peaks([0.0, 1.0, 2.0, 3.0]).Should().BeEmpty();
        CurveShape.Peaks([0.0, 1.0, 1.0]).Should().BeEmpty(); // a rise to a plateau at the end is no hill
    }

    // ---------------------------------------------------------------- Barriers

    [Fact]
    public void Barrier_of_a_straight_line_is_zero()
    {
        double[] t = [0, 0.25, 0.5, 0.75, 1];
        double[] line = [1, 0.75, 0.5, 0.25, 0];

        Barriers.Of(t, line).Should().BeApproximately(0, 1e-12);
        Barriers.At(t, line).Should().Be(0);
    }

    [Fact]
    public void Barrier_is_the_largest_rise_above_the_line_between_the_ends()
    {
        double[] t = [0, 0.5, 1];

        Barriers.Of(t, [0.0, 1.0, 0.0]).Should().Be(1);
        Barriers.At(t, [0.0, 1.0, 0.0]).Should().Be(0.5);

        // Unequal ends: the line at t = 0.5 is 0.5, so 1.5 rises 1.0 above it.
        Barriers.Of(t, [1.0, 1.5, 0.0]).Should().BeApproximately(1.0, 1e-12);
        Barriers.At(t, [1.0, 1.5, 0.0]).Should().Be(0.5);

        // Below the line: no barrier.
        Barriers.Of(t, [0.0, -1.0, 0.0]).Should().Be(0);
        Barriers.At(t, [0.0, -1.0, 0.0]).Should().Be(0);
    }

    [Fact]
    public void Barrier_of_a_segment_inside_a_chain_uses_its_own_t_range()
    {
        double[] t = [0.4, 0.45, 0.5, 0.55, 0.6];
        double[] v = [1.0, 1.0, 1.2, 0.5, 0.0];

        // The line at t = 0.5 is 0.5, at 0.45 it is 0.75.
        Barriers.Of(t, v).Should().BeApproximately(0.7, 1e-12);
        Barriers.At(t, v).Should().Be(0.5);
    }

    [Fact]
    public void Barrier_needs_one_value_per_t_and_at_least_two_points()
    {
        var mismatched = () => Barriers.Of([0.0, 1.0], [0.0]);
        var single = () => Barriers.Of([0.0], [0.0]);

        mismatched.Should().Throw<ArgumentException>();
        single.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Chain_splits_into_segments_sharing_their_joins()
    {
        var chain = Chain(5, new Curves());
        var segments = chain.Segments();

        chain.Points.Should().HaveCount(101);
        segments.Should().HaveCount(5);
        segments.Should().OnlyContain(s => s.Points.Count == 21 && s.Kind == PathKind.Segment);
        segments[2].Points[0].T.Should().BeApproximately(0.4, 1e-12);
        segments[2].Points[^1].T.Should().BeApproximately(0.6, 1e-12);
    }

    // ---------------------------------------------------------------- MC-3: straight segment bump

    private static readonly RobustPoint2Snapshot Point2 = new(RobustValAccuracy: 0.99);

    private static readonly StraightSegmentBump.Limits Mc3 =
        new(Point2, MinBump: 0.02, PeakTolerance: 0.15, MaxValRise: 0.02, MaxGradRatio: 0.2, PaperPeakT: 0.35, PaperGradNorm: 0.7);

    private static readonly Curves Mc3Holds = new()
    {
        TrainError = t => 0.1 * Bump(t, 0.35),
        ValError = t => 0.9 * (1 - t),
        GradNorm = t => 0.75 - (0.7 * t),
    };

    /// <summary>Three seeds whose paths all look like <paramref name="path"/>: the seed interval collapses on its values.</summary>
    private static (List<PathEvaluation?> Paths, List<SeedFinding> Events) ThreeSeeds(PathEvaluation path, long firstSeed = 0) =>
        ([path, path, path], [.. Enumerable.Range(0, 3).Select(i => new SeedFinding(firstSeed + i, Verdict.Confirmed, "both points"))]);

    private static AnalysisResult Mc3Decide(PathEvaluation segment, long firstSeed = 0)
    {
        var (paths, events) = ThreeSeeds(segment, firstSeed);
        return StraightSegmentBump.Decide(ClaimScope.Typical, paths, events, Mc3);
    }

    [Fact]
    public void MC3_is_confirmed_by_a_train_error_bump_near_0_35_with_falling_validation_error_and_gradient_norm()
    {
        var result = Mc3Decide(Segment(Mc3Holds), firstSeed: 7);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Reason.Should().Contain("seed 7");
    }

    [Fact]
    public void MC3_is_refuted_without_a_bump()
    {
        var result = Mc3Decide(Segment(Mc3Holds with { TrainError = _ => 0 }));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: train-error barrier");
    }

    [Fact]
    public void MC3_is_refuted_by_a_bump_too_small()
    {
        var result = Mc3Decide(Segment(Mc3Holds with { TrainError = t => 0.01 * Bump(t, 0.35) }));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: train-error barrier");
    }

    [Fact]
    public void MC3_is_refuted_by_a_bump_far_from_the_papers_t()
    {
        var result = Mc3Decide(Segment(Mc3Holds with { TrainError = t => 0.1 * Bump(t, 0.8) }));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: distance of the train-error peak");
    }

    [Fact]
    public void MC3_accepts_a_bump_within_the_peak_tolerance()
    {
        var result = Mc3Decide(Segment(Mc3Holds with { TrainError = t => 0.1 * Bump(t, 0.45) }));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
    }

    [Fact]
    public void MC3_is_refuted_when_validation_error_climbs_back_in_the_middle()
    {
        var curves = Mc3Holds with { ValError = t => (0.9 * (1 - t)) + (t >= 0.5 ? 0.1 : 0) };

        var result = Mc3Decide(Segment(curves));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: validation-error rise");
    }

    [Fact]
    public void MC3_is_refuted_when_the_gradient_norm_does_not_fall_to_about_zero()
    {
        var result = Mc3Decide(Segment(Mc3Holds with { GradNorm = t => 0.75 - (0.25 * t) }));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: gradient norm point 2 / point 1");
    }

    // ---------------------------------------------------------------- MC-8: gradient norm at point 2 below point 1

    private static AnalysisResult Mc8Decide(double atPoint1, double atPoint2, double maxRatio) =>
        GradientNormPoint2BelowPoint1.Decide(
            ClaimScope.Universal, [.. Enumerable.Repeat((atPoint1, atPoint2), 3)], ThreeSeeds(Segment(Mc3Holds)).Events, 0,
            new GradientNormPoint2BelowPoint1.Parameters(Point2, maxRatio, 0.75));

    [Fact]
    public void MC8_is_confirmed_when_the_gradient_norm_falls_from_point_1_to_point_2() =>
        Mc8Decide(0.75, 0.1, 1.0).Verdict.Should().Be(Verdict.Confirmed);

    [Fact]
    public void MC8_is_refuted_when_the_gradient_norm_rises_or_stays_above_the_bound()
    {
        Mc8Decide(0.75, 0.9, 1.0).Verdict.Should().Be(Verdict.Refuted);
        Mc8Decide(0.75, 0.5, 0.5).Verdict.Should().Be(Verdict.Refuted); // 0.5 is past 0.5 x 0.75
        Mc8Decide(0.75, 0.75, 1.0).Verdict.Should().Be(Verdict.Confirmed); // at the bound holds (at most)
    }

    // ---------------------------------------------------------------- MC-4: chain with zero train error

    private static readonly Curves Mc4Holds = new()
    {
        TrainLossL2 = t => 0.01 + (0.5 * Math.Exp(-10 * t)),
        GradNorm = t => 0.01 + (0.75 * Math.Exp(-10 * t)),
    };

    private static readonly ChainZeroTrainError.Parameters Mc4 = new(Point2, MaxTrainMistakes: 1, MinFirstOverLast: 3, PaperFirstStart: 585, PaperFirstEnd: 700);

    private static AnalysisResult Mc4Decide(PathEvaluation chain)
    {
        var (paths, events) = ThreeSeeds(chain);
        return ChainZeroTrainError.Decide(ClaimScope.Typical, paths, events, Mc4);
    }

    [Fact]
    public void MC4_is_confirmed_by_zero_mistakes_and_a_first_segment_changing_far_more_than_the_last()
    {
        var result = Mc4Decide(Chain(5, Mc4Holds));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        ChainZeroTrainError.Ratio(Chain(5, Mc4Holds), PathMetric.TrainLossL2).Should().BeGreaterThan(100);
    }

    [Fact]
    public void MC4_tolerates_mistakes_up_to_the_limit()
    {
        var result = Mc4Decide(Chain(5, Mc4Holds with { TrainMistakes = _ => 1 }));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
    }

    [Fact]
    public void MC4_is_refuted_by_three_mistakes_at_one_point()
    {
        var curves = Mc4Holds with { TrainMistakes = t => Math.Abs(t - 0.5) < 1e-9 ? 3 : 0 };

        var result = Mc4Decide(Chain(5, curves));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: most misclassified training pairs");
    }

    [Fact]
    public void MC4_is_refuted_when_the_first_segment_changes_the_metrics_no_more_than_the_last()
    {
        var linear = Mc4Holds with { TrainLossL2 = t => 1 - (0.5 * t), GradNorm = t => 0.75 - (0.5 * t) };

        var result = Mc4Decide(Chain(5, linear));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: loss range first / last segment");
        ChainZeroTrainError.Ratio(Chain(5, linear), PathMetric.GradNorm).Should().BeApproximately(1, 1e-9);
    }

    [Fact]
    public void MC4_needs_both_the_loss_and_the_gradient_norm_to_change_mostly_in_the_first_segment()
    {
        var flatLoss = Mc4Holds with { TrainLossL2 = t => 1 - (0.5 * t) };
        var flatGrad = Mc4Holds with { GradNorm = t => 0.75 - (0.5 * t) };

        Mc4Decide(Chain(5, flatLoss)).Verdict.Should().Be(Verdict.Refuted);
        Mc4Decide(Chain(5, flatGrad)).Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- MC-5: fitted polyline plateau

    private static readonly FittedPolylinePlateau.Limits Mc5 = new(Point2, MaxTrainError: 0.01, Band: 0.02, MinLead: 0.1, PaperPlateauT: 0.6);

    /// <summary>Validation error falling linearly from 0.9 to 0 at <paramref name="plateau"/>, then staying at 0.</summary>
    private static Curves ReachesPlateauAt(double plateau) => new() { ValError = t => Math.Max(0, 0.9 * (1 - (t / plateau))) };

    [Fact]
    public void MC5_is_confirmed_when_the_polyline_plateaus_well_before_the_segment()
    {
        var polyline = Polyline(ReachesPlateauAt(0.4));
        var segment = Segment(ReachesPlateauAt(0.9));

        FittedPolylinePlateau.Plateau(polyline, Mc5.Band).Should().BeApproximately(0.4, 1e-9);
        FittedPolylinePlateau.Plateau(segment, Mc5.Band).Should().BeInRange(0.85, 0.9);
        FittedPolylinePlateau.Judge(0, polyline, segment, Mc5).Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void MC5_is_refuted_when_train_error_rises_along_the_polyline()
    {
        var polyline = Polyline(ReachesPlateauAt(0.4) with { TrainError = t => Math.Abs(t - 0.5) < 1e-9 ? 0.05 : 0 });

        var finding = FittedPolylinePlateau.Judge(0, polyline, Segment(ReachesPlateauAt(0.9)), Mc5);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("train error not ~0");
    }

    [Fact]
    public void MC5_is_refuted_when_the_polyline_leads_by_too_little()
    {
        var finding = FittedPolylinePlateau.Judge(0, Polyline(ReachesPlateauAt(0.4)), Segment(ReachesPlateauAt(0.42)), Mc5);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("plateau not reached earlier");
    }

    [Fact]
    public void MC5_is_refuted_when_the_segment_plateaus_first()
    {
        var finding = FittedPolylinePlateau.Judge(0, Polyline(ReachesPlateauAt(0.9)), Segment(ReachesPlateauAt(0.4)), Mc5);

        finding.Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- MC-6: polyline between points 1 and 1'

    private static readonly FittedPolylineMemorizationPair.Limits Mc6 = new(Point2, MaxTrainError: 0.01, Center: 0.5, Window: 0.15, MinGain: 0.2);

    private static readonly Curves Mc6Holds = new()
    {
        ValError = t => 0.9 - (0.7 * Bump(t, 0.5, 0.1)),
        GradNorm = t => 1 - (0.5 * Bump(t, 0.5, 0.1)),
    };

    [Fact]
    public void MC6_is_confirmed_by_a_wide_well_generalizing_middle()
    {
        var finding = FittedPolylineMemorizationPair.Judge(2, "seeds 0-1", Polyline(Mc6Holds), Mc6);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Subject.Should().Be("seeds 0-1");
        var (best, gain) = FittedPolylineMemorizationPair.Middle(Polyline(Mc6Holds), Mc6);
        best.T.Should().Be(0.5);
        gain.Should().BeApproximately(0.7, 1e-6);
    }

    [Fact]
    public void MC6_is_refuted_when_the_middle_gains_too_little()
    {
        var curves = Mc6Holds with { ValError = t => 0.9 - (0.1 * Bump(t, 0.5, 0.1)) };

        var finding = FittedPolylineMemorizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc6);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("no good generalization");
    }

    [Fact]
    public void MC6_is_refuted_when_the_good_point_lies_outside_the_middle_window()
    {
        var curves = Mc6Holds with { ValError = t => 0.9 - (0.7 * Bump(t, 0.85, 0.05)) };

        var finding = FittedPolylineMemorizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc6);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("no good generalization");
    }

    [Fact]
    public void MC6_is_refuted_when_the_middle_is_sharper_than_the_ends()
    {
        var curves = Mc6Holds with { GradNorm = t => 1 + (0.5 * Bump(t, 0.5, 0.1)) };

        var finding = FittedPolylineMemorizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc6);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("not wider");
    }

    [Fact]
    public void MC6_is_refuted_when_the_path_leaves_the_memorizing_solutions()
    {
        var curves = Mc6Holds with { TrainError = t => 0.05 * Bump(t, 0.3, 0.05) };

        var finding = FittedPolylineMemorizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc6);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("not a path of memorizing solutions");
    }

    // ---------------------------------------------------------------- MC-7: polyline between points 2 and 2'

    private static readonly FittedPolylineGeneralizationPair.Limits Mc7 =
        new(Point2, MaxTrainError: 0.01, MaxValError: 0.05, MinProminence: 0.25, Symmetry: 0.1);

    private static Curves Hills(params double[] at) => new()
    {
        ValError = _ => 0.01,
        GradNorm = t => 0.2 + at.Sum(c => Bump(t, c, 0.07)),
    };

    [Fact]
    public void MC7_is_confirmed_by_two_gradient_norm_hills_mirrored_about_the_middle()
    {
        var curve = Polyline(Hills(0.25, 0.75));

        FittedPolylineGeneralizationPair.Hills(curve, Mc7.MinProminence).Should().Equal(0.25, 0.75);
        var finding = FittedPolylineGeneralizationPair.Judge(1, "seeds 1-2", curve, Mc7);
        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Subject.Should().Be("seeds 1-2");
    }

    [Fact]
    public void MC7_ignores_ripples_below_the_prominence_share()
    {
        var curves = Hills(0.25, 0.75) with { GradNorm = t => 0.2 + Bump(t, 0.25, 0.07) + Bump(t, 0.75, 0.07) + (0.05 * Bump(t, 0.5, 0.03)) };

        var finding = FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc7);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
    }

    [Fact]
    public void MC7_is_refuted_by_a_single_hill()
    {
        var finding = FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(Hills(0.5)), Mc7);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("two hills");
    }

    [Fact]
    public void MC7_is_refuted_by_three_hills() =>
        FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(Hills(0.2, 0.5, 0.8)), Mc7).Verdict.Should().Be(Verdict.Refuted);

    [Fact]
    public void MC7_is_refuted_by_asymmetric_hills()
    {
        var finding = FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(Hills(0.2, 0.6)), Mc7);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("two hills");
    }

    [Fact]
    public void MC7_is_refuted_by_two_hills_on_the_same_side() =>
        FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(Hills(0.15, 0.4)), Mc7).Verdict.Should().Be(Verdict.Refuted);

    [Fact]
    public void MC7_is_refuted_when_validation_error_rises_along_the_path()
    {
        var curves = Hills(0.25, 0.75) with { ValError = t => 0.01 + (0.09 * Bump(t, 0.5, 0.05)) };

        var finding = FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc7);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("validation error not kept low");
    }

    [Fact]
    public void MC7_is_refuted_when_train_error_rises_along_the_path()
    {
        var curves = Hills(0.25, 0.75) with { TrainError = t => 0.03 * Bump(t, 0.5, 0.05) };

        FittedPolylineGeneralizationPair.Judge(0, "seeds 0-1", Polyline(curves), Mc7).Verdict.Should().Be(Verdict.Refuted);
    }

    // ---------------------------------------------------------------- GV-1: successive checkpoints connected

    private static readonly LinearConnectivityThresholds Lmc =
        new LinearConnectivityLimits(MaxErrorBarrier: 0.02, LossBarrierShareOfChance: 0.02).For(classes: 97);

    [Fact]
    public void The_loss_barrier_threshold_is_the_stated_share_of_the_chance_loss_of_the_runs_classes()
    {
        var limits = new LinearConnectivityLimits(MaxErrorBarrier: 0.02, LossBarrierShareOfChance: 0.02);

        Lmc.MaxErrorBarrier.Should().Be(0.02);
        Lmc.MaxLossBarrier.Should().BeApproximately(0.02 * Math.Log(97), 1e-15).And.BeApproximately(0.0915, 1e-4);
        limits.For(classes: 2).MaxLossBarrier.Should().BeApproximately(0.02 * Math.Log(2), 1e-15);
    }

    private static readonly Curves Smooth = new() { TrainLoss = t => 0.01 + (0.5 * Math.Exp(-5 * t)) };

    [Fact]
    public void GV1_is_confirmed_when_every_segment_is_flat()
    {
        var finding = SuccessiveCheckpointsConnected.Judge(0, Chain(5, Smooth), Lmc);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
    }

    [Fact]
    public void GV1_is_refuted_by_one_segment_with_an_error_barrier_of_5_percent()
    {
        var curves = Smooth with { TrainError = t => 0.05 * Bump(t, 0.5, 0.03) };

        var finding = SuccessiveCheckpointsConnected.Judge(0, Chain(5, curves), Lmc);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("segment(s) 3 (");
    }

    [Fact]
    public void GV1_is_refuted_by_a_loss_barrier_above_the_threshold()
    {
        var curves = Smooth with { TrainLoss = t => Smooth.TrainLoss(t) + (0.2 * Bump(t, 0.1, 0.03)) };

        var finding = SuccessiveCheckpointsConnected.Judge(0, Chain(5, curves), Lmc);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("segment(s) 1 (");
    }

    [Fact]
    public void GV1_accepts_a_loss_barrier_below_the_threshold()
    {
        var curves = Smooth with { TrainLoss = t => Smooth.TrainLoss(t) + (0.05 * Bump(t, 0.5, 0.03)) };

        SuccessiveCheckpointsConnected.Judge(0, Chain(5, curves), Lmc).Verdict.Should().Be(Verdict.Confirmed);
    }

    // ---------------------------------------------------------------- GV-2: linear connectivity sanity

    private static readonly Curves FlatSegment = new() { TrainLoss = t => 0.05 - (0.04 * t) };

    private static readonly Curves BumpySegment = FlatSegment with
    {
        TrainError = t => 0.5 * Bump(t, 0.5, 0.1),
        TrainLoss = t => 0.05 - (0.04 * t) + (2 * Bump(t, 0.5, 0.1)),
    };

    [Fact]
    public void GV2_confirms_nearby_snapshots_on_a_flat_segment()
    {
        Lmc.Connected(Segment(FlatSegment)).Should().BeTrue();
        var finding = LinearConnectivitySanity.Judge(0, Segment(FlatSegment, "seed 0 nearby"), Lmc, expectConnected: true);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Subject.Should().Be("seed 0 nearby");
    }

    [Fact]
    public void GV2_is_refuted_when_independent_solutions_are_linearly_connected()
    {
        var finding = LinearConnectivitySanity.Judge(0, Segment(FlatSegment), Lmc, expectConnected: false);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("linearly connected although independently initialized");
    }

    [Fact]
    public void GV2_confirms_a_barrier_between_independent_solutions()
    {
        Lmc.Connected(Segment(BumpySegment)).Should().BeFalse();
        LinearConnectivitySanity.Judge(0, Segment(BumpySegment), Lmc, expectConnected: false).Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void GV2_counts_a_loss_barrier_alone_as_a_barrier()
    {
        var lossOnly = FlatSegment with { TrainLoss = t => 0.05 + (0.5 * Bump(t, 0.5, 0.1)) };

        LinearConnectivitySanity.Judge(0, Segment(lossOnly), Lmc, expectConnected: false).Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void GV2_is_refuted_by_a_barrier_between_nearby_snapshots()
    {
        var finding = LinearConnectivitySanity.Judge(0, Segment(BumpySegment), Lmc, expectConnected: true);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("a barrier between nearby snapshots");
    }

    // ---------------------------------------------------------------- GV-3: stitched barrier smooth and small

    [Fact]
    public void GV3_is_confirmed_by_a_smooth_decreasing_stitched_loss()
    {
        var finding = StitchedBarrierSmooth.Judge(0, Chain(10, Smooth), maxTrainError: 0.02, lossThreshold: Lmc.MaxLossBarrier);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Reason.Should().Contain("smooth and small");
    }

    [Fact]
    public void GV3_ignores_ripples_below_the_loss_threshold()
    {
        var curves = Smooth with { TrainLoss = t => Smooth.TrainLoss(t) + (0.03 * Bump(t, 0.5, 0.03)) };

        StitchedBarrierSmooth.Judge(0, Chain(10, curves), 0.02, Lmc.MaxLossBarrier).Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void GV3_is_refuted_by_a_loss_hill_of_prominence_0_5()
    {
        var curves = Smooth with { TrainLoss = t => 0.1 + (0.5 * Bump(t, 0.5, 0.05)) };

        StitchedBarrierSmooth.Hills(Chain(10, curves), Lmc.MaxLossBarrier).Should().Be(1);
        var finding = StitchedBarrierSmooth.Judge(0, Chain(10, curves), 0.02, Lmc.MaxLossBarrier);
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("wavy");
    }

    [Fact]
    public void GV3_is_refuted_when_train_error_is_not_small()
    {
        var curves = Smooth with { TrainError = t => 0.05 * Bump(t, 0.5, 0.05) };

        var finding = StitchedBarrierSmooth.Judge(0, Chain(10, curves), 0.02, Lmc.MaxLossBarrier);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("not small");
    }
}
