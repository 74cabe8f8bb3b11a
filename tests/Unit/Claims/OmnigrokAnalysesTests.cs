using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// The Omnigrok analyses (OG-1 lu-shape, OG-2 init-decay-matrix, OG-3 decay-time-scaling) and their helpers
/// (<see cref="LogLogFit"/>, <see cref="GeneralizationRegimes"/>, <see cref="LuCurve"/>) on synthetic runs whose
/// verdicts and numbers are worked out by hand.
/// </summary>
public class OmnigrokAnalysesTests
{
    private const long MetricEvery = 100;

    /// <summary>The notebook's grid, alpha = 10^linspace(-1, 1, 11); index 5 is exactly 1.</summary>
    private static readonly double[] Alphas = [.. Enumerable.Range(0, 11).Select(i => Math.Pow(10, -1 + (0.2 * i)))];

    /// <summary>An "L": falls from 1 to 1e-4 and stays there for alpha >= 1 (index 5 on).</summary>
    private static readonly double[] LTrain = [1, 0.5, 0.2, 0.05, 0.01, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4];

    /// <summary>A "U" with its minimum 0.2 at alpha = 1 and both ends 1.0 (5x the minimum).</summary>
    private static readonly double[] UTest = [1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.3, 0.4, 0.6, 0.8, 1.0];

    private static readonly double[] Decays = [0.03, 0.05, 0.1, 0.2, 0.5, 1];

    private static readonly long[] Seeds = [0, 1, 2];

    // ---------------------------------------------------------------- LogLogFit

    [Fact]
    public void LogLogFit_recovers_an_exact_power_law_with_a_degenerate_bootstrap_interval()
    {
        double[] xs = [0.03, 0.05, 0.1, 0.2, 0.5, 1];
        var points = Seeds.SelectMany(g => xs.Select(x => (X: x, Y: 5 / x, Group: g))).ToList();

        var fit = LogLogFit.Fit(points);

        fit.Slope.Should().BeApproximately(-1, 1e-9);
        fit.Intercept.Should().BeApproximately(Math.Log10(5), 1e-9);
        fit.RSquared.Should().BeApproximately(1, 1e-9);
        // Every resample of whole groups is the same line.
        fit.SlopeLow.Should().BeApproximately(-1, 1e-9);
        fit.SlopeHigh.Should().BeApproximately(-1, 1e-9);
        fit.Points.Should().Be(18);
    }

    [Fact]
    public void LogLogFit_line_matches_a_hand_computed_least_squares_fit()
    {
        // Points (0,1), (1,3), (2,4): mean x = 1, mean y = 8/3.
        // sxx = 1 + 0 + 1 = 2; sxy = (-1)(-5/3) + 0 + (1)(4/3) = 3; syy = 25/9 + 1/9 + 16/9 = 14/3.
        // slope = sxy / sxx = 1.5; intercept = 8/3 - 1.5 = 7/6; R² = sxy² / (sxx syy) = 9 / (28/3) = 27/28.
        var (slope, intercept, r2) = LogLogFit.Line([(0, 1), (1, 3), (2, 4)]);

        slope.Should().BeApproximately(1.5, 1e-12);
        intercept.Should().BeApproximately(7.0 / 6, 1e-12);
        r2.Should().BeApproximately(27.0 / 28, 1e-12);
    }

    [Fact]
    public void LogLogFit_line_is_NaN_for_one_point_or_a_single_x()
    {
        double.IsNaN(LogLogFit.Line([(1, 2)]).Slope).Should().BeTrue();
        var same = LogLogFit.Line([(1, 2), (1, 3), (1, 4)]);
        double.IsNaN(same.Slope).Should().BeTrue();
        double.IsNaN(same.RSquared).Should().BeTrue();
    }

    [Theory]
    [InlineData(0.1, 0.0)]
    [InlineData(0.1, -2.0)]
    [InlineData(0.0, 3.0)]
    [InlineData(0.1, double.NaN)]
    [InlineData(double.PositiveInfinity, 3.0)]
    public void LogLogFit_rejects_points_that_are_not_positive_and_finite(double badX, double badY)
    {
        var points = new List<(double X, double Y, long Group)> { (1, 1, 0), (2, 0.5, 0), (badX, badY, 1) };

        var act = () => LogLogFit.Fit(points);

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void LogLogFit_bootstrap_interval_over_noisy_groups_contains_the_estimate()
    {
        // Three seeds with slopes -0.8, -1.0, -1.2 over the same x: the pooled slope is their mean, -1, and every
        // resample's slope is the mean of three drawn seeds' slopes, so the interval lies within [-1.2, -0.8].
        double[] xs = [0.03, 0.05, 0.1, 0.2, 0.5, 1];
        double[] slopes = [-0.8, -1.0, -1.2];
        var points = Enumerable.Range(0, 3).SelectMany(g => xs.Select(x => (X: x, Y: 100 * Math.Pow(x, slopes[g]), Group: (long)g))).ToList();

        var fit = LogLogFit.Fit(points);

        fit.Slope.Should().BeApproximately(-1, 1e-9);
        fit.RSquared.Should().BeLessThan(1);
        fit.SlopeLow.Should().BeLessThan(fit.Slope).And.BeGreaterThanOrEqualTo(-1.2 - 1e-9);
        fit.SlopeHigh.Should().BeGreaterThan(fit.Slope).And.BeLessThanOrEqualTo(-0.8 + 1e-9);
        LogLogFit.Fit(points).Should().Be(fit, "the bootstrap is seeded");
    }

    [Fact]
    public void LogLogFit_has_no_bootstrap_interval_for_a_single_group()
    {
        var fit = LogLogFit.Fit([(1, 10, 0), (10, 1, 0), (100, 0.1, 0)]);

        fit.Slope.Should().BeApproximately(-1, 1e-12);
        double.IsNaN(fit.SlopeLow).Should().BeTrue();
        double.IsNaN(fit.SlopeHigh).Should().BeTrue();
    }

    // ---------------------------------------------------------------- GeneralizationRegimes

    [Fact]
    public void Classify_is_no_fit_when_train_never_reaches_the_level()
    {
        GeneralizationRegimes.Classify(new AccuracyTimes(double.NaN, 500, false), 10).Should().Be(GeneralizationRegime.NoFit);
        GeneralizationRegimes.Classify(new AccuracyTimes(double.NaN, double.NaN, false), 10).Should().Be(GeneralizationRegime.NoFit);
    }

    [Fact]
    public void Classify_is_no_generalization_when_test_never_reaches_the_level()
    {
        GeneralizationRegimes.Classify(new AccuracyTimes(200, double.NaN, false), 10).Should().Be(GeneralizationRegime.NoGeneralization);
    }

    [Fact]
    public void Classify_is_grokking_from_exactly_the_delay_factor_on()
    {
        GeneralizationRegimes.Classify(new AccuracyTimes(200, 2000, false), 10).Should().Be(GeneralizationRegime.Grokking); // 2000 / 200 = 10
        GeneralizationRegimes.Classify(new AccuracyTimes(200, 20000, false), 10).Should().Be(GeneralizationRegime.Grokking);
    }

    [Fact]
    public void Classify_is_fast_below_the_delay_factor()
    {
        GeneralizationRegimes.Classify(new AccuracyTimes(200, 1999, false), 10).Should().Be(GeneralizationRegime.Fast); // 9.995
        GeneralizationRegimes.Classify(new AccuracyTimes(300, 500, false), 10).Should().Be(GeneralizationRegime.Fast);
    }

    // ---------------------------------------------------------------- LuCurve

    private static LuCurve Judge(double[] train, double[] test) => LuCurve.Judge(Alphas, train, test, 0.05, 0.1, 0.25, 2.52);

    [Fact]
    public void LuCurve_holds_for_an_L_train_curve_and_a_U_test_curve_with_its_minimum_at_one()
    {
        var shape = Judge(LTrain, UTest);

        shape.Holds.Should().BeTrue();
        shape.TestMinimumAlpha.Should().Be(1);
        shape.WorstRise.Should().Be(0);
        shape.FlatRatio.Should().BeApproximately(1e-4, 1e-15); // 1e-4 / 1
        shape.EndRatio.Should().BeApproximately(5, 1e-12); // min(1, 1) / 0.2
    }

    [Fact]
    public void LuCurve_train_rising_by_more_than_the_slack_is_not_monotone()
    {
        double[] train = [.. LTrain];
        train[9] = 0.06; // alpha 6.31: rise (0.06 - 1e-4) / (1 - 1e-4) = 5.99% of the range; still flat (6% <= 10%)

        var shape = Judge(train, UTest);

        shape.TrainMonotone.Should().BeFalse();
        shape.TrainFlat.Should().BeTrue();
        shape.Holds.Should().BeFalse();
        shape.WorstRise.Should().BeApproximately((0.06 - 1e-4) / (1 - 1e-4), 1e-12);
        shape.FlatRatio.Should().BeApproximately(0.06, 1e-12);
    }

    [Fact]
    public void LuCurve_train_rising_within_the_slack_is_monotone()
    {
        double[] train = [.. LTrain];
        train[9] = 0.04; // rise 3.99% of the range

        var shape = Judge(train, UTest);

        shape.TrainMonotone.Should().BeTrue();
        shape.Holds.Should().BeTrue();
    }

    [Fact]
    public void LuCurve_train_not_flat_for_alpha_at_least_one_fails()
    {
        double[] train = [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.12]; // max over alpha >= 1 is 0.5 of train[0]

        var shape = Judge(train, UTest);

        shape.TrainMonotone.Should().BeTrue();
        shape.TrainFlat.Should().BeFalse();
        shape.FlatRatio.Should().BeApproximately(0.5, 1e-12);
        shape.Holds.Should().BeFalse();
    }

    [Fact]
    public void LuCurve_test_minimum_at_the_end_of_the_grid_is_not_interior()
    {
        double[] test = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1];

        var shape = Judge(LTrain, test);

        shape.TestInterior.Should().BeFalse();
        shape.TestMinimumAlpha.Should().BeApproximately(10, 1e-12);
        shape.Holds.Should().BeFalse();
    }

    [Fact]
    public void LuCurve_test_minimum_at_alpha_4_is_not_near_one()
    {
        double[] test = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.5, 1.0];

        var shape = Judge(LTrain, test);

        shape.TestMinimumAlpha.Should().BeApproximately(3.981072, 1e-6);
        shape.TestInterior.Should().BeTrue();
        shape.TestDeep.Should().BeTrue();
        shape.MinimumNearOne.Should().BeFalse(); // ln 3.98 = 1.38 > ln 2.52 = 0.92
        shape.Holds.Should().BeFalse();
    }

    [Fact]
    public void LuCurve_test_minimum_one_grid_step_from_one_is_near_one()
    {
        double[] test = [1.0, 0.8, 0.6, 0.4, 0.3, 0.25, 0.2, 0.4, 0.6, 0.8, 1.0];

        var shape = Judge(LTrain, test);

        shape.TestMinimumAlpha.Should().BeApproximately(1.584893, 1e-6);
        shape.MinimumNearOne.Should().BeTrue();
        shape.Holds.Should().BeTrue();
    }

    [Fact]
    public void LuCurve_test_minimum_two_grid_steps_from_one_is_near_one_as_OG1_states()
    {
        double[] test = [1.0, 0.8, 0.6, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0]; // minimum at alpha 10^-0.4 = 0.398

        var shape = Judge(LTrain, test);

        shape.MinimumNearOne.Should().BeTrue();
    }

    [Fact]
    public void LuCurve_a_shallow_U_is_not_deep()
    {
        double[] test = [1.1, 1.08, 1.06, 1.04, 1.02, 1.0, 1.02, 1.04, 1.06, 1.08, 1.1]; // ends only 10% above the minimum

        var shape = Judge(LTrain, test);

        shape.TestInterior.Should().BeTrue();
        shape.TestDeep.Should().BeFalse();
        shape.EndRatio.Should().BeApproximately(1.1, 1e-12);
        shape.Holds.Should().BeFalse();
    }

    [Fact]
    public void LuCurve_one_low_end_decides_the_depth()
    {
        double[] test = [1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.22, 0.23, 0.24, 0.24, 0.24]; // right end 1.2x the minimum

        var shape = Judge(LTrain, test);

        shape.EndRatio.Should().BeApproximately(1.2, 1e-12);
        shape.TestDeep.Should().BeFalse();
    }

    [Fact]
    public void LuCurve_rejects_alphas_that_do_not_increase()
    {
        double[] reversed = [.. Alphas.OrderDescending()];
        double[] repeated = [0.1, 1, 1, 10];

        var act1 = () => LuCurve.Judge(reversed, LTrain, UTest, 0.05, 0.1, 0.25, 2.52);
        var act2 = () => LuCurve.Judge(repeated, [1, 0.1, 0.01, 0.01], [1, 0.2, 0.3, 1], 0.05, 0.1, 0.25, 2.52);
        var act3 = () => LuCurve.Judge([0.1, 1], [1, 0.1], [1, 0.2], 0.05, 0.1, 0.25, 2.52);

        act1.Should().Throw<ArgumentException>();
        act2.Should().Throw<ArgumentException>();
        act3.Should().Throw<ArgumentException>();
    }

    // ---------------------------------------------------------------- shared run builder

    private sealed record Member(MemberSpec Spec, List<MetricRow> Rows, MemberEvents Events);

    private static MetricRow Row(int member, long step, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy, long divergedAt = MemberEvents.Never) =>
        new(step, step / (double)MetricEvery, member, trainLoss, trainLoss, trainAccuracy, valLoss, valLoss, valAccuracy, 1, 1e-3, 1, 1, null, divergedAt);

    private static AnalysisResult Analyze(IClaimAnalysis analysis, ClaimDefinition claim, long stepsCompleted, List<Member> members) =>
        analysis.Analyze(ContextOf(claim, stepsCompleted, members));

    /// <summary>The analysis's negative control on the same synthetic run (issue 25).</summary>
    private static AnalysisResult AnalyzeControl(IClaimAnalysis analysis, ClaimDefinition claim, long stepsCompleted, List<Member> members) =>
        analysis.AnalyzeControl(ContextOf(claim, stepsCompleted, members));

    private static ClaimContext ContextOf(ClaimDefinition claim, long stepsCompleted, List<Member> members)
    {
        var ordered = members.OrderBy(m => m.Spec.Index).ToList();
        ordered.Select(m => m.Spec.Index).Should().Equal(Enumerable.Range(0, ordered.Count), "events are indexed by member");
        var result = new TrainingResult
        {
            Members = ordered.Select(m => m.Spec).ToList(),
            Metrics = ordered.SelectMany(m => m.Rows).ToList(),
            Events = ordered.Select(m => m.Events).ToList(),
            StepLosses = ordered.Select(_ => Array.Empty<float>()).ToList(),
            StepsPerEpoch = MetricEvery,
            StepsCompleted = stepsCompleted,
            Interrupted = false,
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report);
    }

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    private static MeasuredValue Measured(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key);

    /// <summary>
    /// A member with metric rows every 100 steps up to <paramref name="steps"/>: train accuracy 1 from
    /// <paramref name="trainStep"/> on (0.5 before), test accuracy 1 from <paramref name="testStep"/> on (0.1 before;
    /// null = never). A diverged member's rows from <paramref name="divergedStep"/> on repeat its frozen state.
    /// </summary>
    private static Member AccuracyMember(int index, long seed, double alpha, double wd, long trainStep, long? testStep, long steps, long divergedStep = MemberEvents.Never)
    {
        bool diverged = divergedStep != MemberEvents.Never;
        var rows = new List<MetricRow>();
        for (long step = MetricEvery; step <= steps; step += MetricEvery)
        {
            long s = diverged && step >= divergedStep ? divergedStep - MetricEvery : step;
            double train = s >= trainStep ? 1.0 : 0.5;
            double val = testStep is { } t && s >= t ? 1.0 : 0.1;
            rows.Add(Row(index, step, 1 - train + 0.01, train, 1 - val + 0.01, val, diverged && step >= divergedStep ? divergedStep : MemberEvents.Never));
        }

        long Before(long step) => !diverged || step < divergedStep ? step : MemberEvents.Never;
        var events = new MemberEvents(index, Before(trainStep), testStep is { } v ? Before(v) : MemberEvents.Never, divergedStep);
        return new Member(new MemberSpec(index, seed, 1e-3, wd, alpha), rows, events);
    }

    // ---------------------------------------------------------------- OG-1 lu-shape

    private static ClaimDefinition Og1() => new()
    {
        Id = "OG-1",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(WeightDecay: 0),
        Paper = [new PaperValue("test minimum alpha", 1.0)],
        RuleParameters = [new("monotoneSlack", 0.05, "r"), new("flatShare", 0.1, "r"), new("uDepth", 0.25, "r"), new("nearOneFactor", 2.52, "r")],
    };

    /// <summary>
    /// 3 seeds x 11 alphas, members listed from the largest alpha down (the analysis must sort). Each member has an
    /// early row (constant losses, no L and no U) and, listed before it, the final row with the curve values.
    /// </summary>
    private static List<Member> LuRun(Func<long, double[]> testOf)
    {
        var members = new List<Member>();
        int index = 0;
        foreach (long seed in Seeds)
        {
            var test = testOf(seed);
            for (int i = Alphas.Length - 1; i >= 0; i--)
            {
                var rows = new List<MetricRow>
                {
                    Row(index, 10000, LTrain[i], 1, test[i], 1),
                    Row(index, 5000, 2.0, 1, 0.5, 1),
                };
                members.Add(new Member(new MemberSpec(index, seed, 3e-4, 0, Alphas[i]), rows, MemberEvents.None(index)));
                index++;
            }
        }

        return members;
    }

    [Fact]
    public void OG1_is_confirmed_when_every_seed_shows_the_L_and_the_U_with_its_minimum_at_one()
    {
        var analysis = new LuShape();
        analysis.Name.Should().Be("lu-shape");

        var result = Analyze(analysis, Og1(), 10000, LuRun(_ => UTest));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var min = Measured(result, "testMinAlpha");
        min.Value.Should().Be(1);
        min.Paper.Should().Be(1);
        min.PerSeed.Should().Equal(1, 1, 1);
        Measured(result, "test-a1").Value.Should().Be(0.2);
        Measured(result, "train-a0.1").Value.Should().Be(1);
        Measured(result, "test-a10").Value.Should().Be(1.0);
        result.Figures.Should().ContainSingle();
    }

    /// <summary>A test curve falling over the whole grid: its minimum is at alpha 10, the end (no U).</summary>
    private static readonly double[] Falling = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1];

    [Fact]
    public void OG1_one_seed_without_a_U_among_three_is_inconclusive_within_noise()
    {
        // Typical: the U depths are 5, 5, 1 (mean 3.67, sd 2.31, t-interval [-2.07, 9.40]) against 1.25: a straddle.
        var result = Analyze(new LuShape(), Og1(), 10000, LuRun(seed => seed == 2 ? Falling : UTest));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var depth = Compared(result, "uDepth");
        depth.Verdict.Should().Be(Verdict.Inconclusive);
        depth.Reason.Should().Contain("within noise");
        depth.SeedsNeeded.Should().NotBeNull();
        depth.PerSeed.Should().Equal(5, 5, 1);
        result.Reason.Should().Contain("seed 2").And.Contain("at an end of the grid");
        var min = Measured(result, "testMinAlpha");
        min.PerSeed![2].Should().BeApproximately(10, 1e-12);
        min.Value.Should().Be(1); // median of 1, 1, 10
    }

    [Fact]
    public void OG1_is_refuted_when_every_seed_has_its_test_minimum_at_the_end_of_the_grid()
    {
        var result = Analyze(new LuShape(), Og1(), 10000, LuRun(_ => Falling));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "uDepth").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "minimumOffset").Verdict.Should().Be(Verdict.Refuted); // |log10 10| = 1 > log10 2.52
        Compared(result, "trainRise").Verdict.Should().Be(Verdict.Confirmed);
    }

    /// <summary>A U whose minimum is at alpha 3.98, two grid steps past 2.52 from 1.</summary>
    private static readonly double[] ShiftedU = [1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.5, 1.0];

    [Fact]
    public void Without_nearOneFactor_the_minimums_place_is_reported_not_judged()
    {
        // OG-16 (Fig. 9) states the L and the U but not where the U's minimum lies; OG-1 (Fig. 2a) states alpha ~ 1.
        var og16 = Og1();
        og16.Id = "OG-16";
        og16.Paper = [];
        og16.RuleParameters = [.. og16.RuleParameters.Where(r => r.Name != "nearOneFactor")];

        var placed = Analyze(new LuShape(), Og1(), 10000, LuRun(_ => ShiftedU));
        var open = Analyze(new LuShape(), og16, 10000, LuRun(_ => ShiftedU));

        placed.Verdict.Should().Be(Verdict.Refuted, placed.Reason);
        Compared(placed, "minimumOffset").Verdict.Should().Be(Verdict.Refuted); // |log10 3.98| = 0.6 > log10 2.52
        open.Verdict.Should().Be(Verdict.Confirmed, open.Reason);
        open.Comparisons.Select(c => c.Key).Should().Equal("trainRise", "trainFlat", "uDepth");
        var min = Measured(open, "testMinAlpha");
        min.Value.Should().BeApproximately(Math.Pow(10, 0.6), 1e-12);
        min.Paper.Should().BeNull();
        min.Tolerance.Should().BeNull();
    }

    [Fact]
    public void OG1_control_reads_the_train_curve_as_the_test_curve_and_is_refuted_where_the_claim_is_confirmed()
    {
        var members = LuRun(_ => UTest);
        new LuShape().ControlName.Should().Be("train-curve-as-test");

        var claim = Analyze(new LuShape(), Og1(), 10000, members);
        var control = AnalyzeControl(new LuShape(), Og1(), 10000, members);

        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        // The L read as a test curve: its minimum 1e-4 first reached at alpha 1, its alpha-10 end equal to it (depth 1).
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "uDepth").PerSeed.Should().Equal(1, 1, 1);
        control.Figures.Should().BeEmpty("the control must not overwrite the claim's figure");
    }

    [Fact]
    public void LuCurve_digits_below_the_float_precision_of_the_curve_make_no_U()
    {
        // A train curve converged to ~1e-12 with a 23x dip at alpha 3.98 (as seed 2 at ci): read to every digit it is a
        // "U"; floored at float32 epsilon times the curve's largest value (1.19e-9) it is flat, depth 1.
        double[] converged = [1e-2, 6e-3, 2e-3, 2e-4, 6e-7, 3.7e-7, 4.2e-7, 2.2e-8, 6.5e-14, 2.9e-10, 1.5e-12];

        var everyDigit = LuCurve.Judge(Alphas, converged, converged, 0.05, 0.1, 0.25, 2.52);
        var floored = LuCurve.Judge(Alphas, converged, converged, 0.05, 0.1, 0.25, 2.52, MathF.BitIncrement(1f) - 1f);

        everyDigit.EndRatio.Should().BeApproximately(1.5e-12 / 6.5e-14, 1e-6);
        everyDigit.TestDeep.Should().BeTrue();
        floored.EndRatio.Should().Be(1);
        floored.TestDeep.Should().BeFalse();
    }

    [Fact]
    public void OG1_ignores_members_outside_its_weight_decay_filter()
    {
        var members = LuRun(_ => UTest);
        // A weight-decay member at an extra alpha with a test loss below every other: read, it would move the minimum.
        members.Add(new Member(new MemberSpec(members.Count, 0, 3e-4, 0.1, 20), [Row(members.Count, 10000, 1e-4, 1, 0.01, 1)], MemberEvents.None(members.Count)));

        var result = Analyze(new LuShape(), Og1(), 10000, members);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "testMinAlpha").Value.Should().Be(1);
    }

    // ---------------------------------------------------------------- OG-2 init-decay-matrix

    private static ClaimDefinition Og2() => new()
    {
        Id = "OG-2",
        Scope = new ScopeDeclaration { Kind = "universal", Reason = "r" },
        Seeds = [0, 1, 2],
        Members = new MemberFilter(),
        Paper = [],
        RuleParameters =
        [
            new("accuracyLevel", 0.95, "r"), new("grokkingDelay", 10, "r"), new("largeInit", 2, "r"), new("smallInit", 0.5, "r"),
            new("smallDecay", 0.03, "r"), new("largeDecay", 1, "r"), new("minBudgetOverGrokking", 2, "r"),
        ],
    };

    /// <summary>The paper's matrix: alpha 2 wd 0 never generalizes, wd 0.03 groks, wd 1 is fast; alpha 0.5 is fast.</summary>
    private static (long Train, long? Test) PaperCell(double alpha, double wd)
    {
        if (alpha == 0.5)
        {
            return (300, 500);
        }

        return wd == 0 ? (200, (long?)null) : wd == 0.03 ? (200, 20000) : (200, 700);
    }

    private static List<Member> MatrixRun(long steps, Func<long, double, double, (long Train, long? Test)> cell, Func<long, double, double, long>? diverged = null)
    {
        var members = new List<Member>();
        foreach (long seed in Seeds)
        {
            foreach (double alpha in new[] { 0.5, 2.0 })
            {
                foreach (double wd in new[] { 0, 0.03, 1 })
                {
                    var (train, test) = cell(seed, alpha, wd);
                    members.Add(AccuracyMember(members.Count, seed, alpha, wd, train, test, steps, diverged?.Invoke(seed, alpha, wd) ?? MemberEvents.Never));
                }
            }
        }

        return members;
    }

    [Fact]
    public void OG2_is_confirmed_when_every_seed_shows_the_papers_matrix()
    {
        var analysis = new InitDecayMatrix();
        analysis.Name.Should().Be("init-decay-matrix");

        var result = Analyze(analysis, Og2(), 100000, MatrixRun(100000, (_, a, wd) => PaperCell(a, wd)));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "tTest-a2-wd0.03").Value.Should().Be(20000);
        Measured(result, "tTrain-a2-wd0.03").Value.Should().Be(200);
        Measured(result, "tTest-a2-wd1").Value.Should().Be(700);
        Measured(result, "tTest-a0.5-wd0").Value.Should().Be(500);
        Measured(result, "tTrain-a0.5-wd1").Value.Should().Be(300);
        var never = Measured(result, "tTest-a2-wd0");
        double.IsNaN(never.Value).Should().BeTrue();
        never.PerSeed!.Should().OnlyContain(v => double.IsNaN(v));
        Measured(result, "budget").Value.Should().Be(100000);
        result.Measured.Should().HaveCount(13); // 6 cells x (train, test) + budget
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void OG2_is_refuted_when_the_small_initialization_groks_without_weight_decay()
    {
        var result = Analyze(new InitDecayMatrix(), Og2(), 100000, MatrixRun(100000, (seed, a, wd) => seed == 1 && a == 0.5 && wd == 0 ? (300, 5000) : PaperCell(a, wd)));

        result.Verdict.Should().Be(Verdict.Refuted);
        var cell = Compared(result, "delay-a0.5-wd0");
        cell.Verdict.Should().Be(Verdict.Refuted);
        cell.Worst.Should().BeApproximately(5000.0 / 300, 1e-12);
        cell.Reason.Should().Contain("counterexample");
        Measured(result, "tTest-a0.5-wd0").PerSeed.Should().Equal(500, 5000, 500);
    }

    [Fact]
    public void OG2_is_refuted_when_the_small_decay_generalizes_fast_by_more_than_the_resolution()
    {
        // 1800 / 200 = 9 < 10 by 1, more than the resolution of one metric interval over the train time (100 / 200 = 0.5).
        var result = Analyze(new InitDecayMatrix(), Og2(), 100000, MatrixRun(100000, (seed, a, wd) => seed == 0 && a == 2 && wd == 0.03 ? (200, 1800) : PaperCell(a, wd)));

        result.Verdict.Should().Be(Verdict.Refuted);
        var cell = Compared(result, "delay-a2-wd0.03");
        cell.Resolution.Should().Be(0.5);
        cell.Worst.Should().Be(9);
        cell.Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void OG2_a_counterexample_within_the_resolution_does_not_refute()
    {
        // 1900 / 200 = 9.5: past 10 by 0.5, exactly the resolution (one 100-step interval over 200 steps): not clear.
        var result = Analyze(new InitDecayMatrix(), Og2(), 100000, MatrixRun(100000, (seed, a, wd) => seed == 0 && a == 2 && wd == 0.03 ? (200, 1900) : PaperCell(a, wd)));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var cell = Compared(result, "delay-a2-wd0.03");
        cell.Verdict.Should().Be(Verdict.Inconclusive);
        cell.Reason.Should().Contain("within the resolution");
    }

    [Fact]
    public void OG2_control_swaps_the_initializations_and_is_refuted_where_the_claim_is_confirmed()
    {
        var members = MatrixRun(100000, (_, a, wd) => PaperCell(a, wd));
        new InitDecayMatrix().ControlName.Should().Be("small-init-as-large");

        var claim = Analyze(new InitDecayMatrix(), Og2(), 100000, members);
        var control = AnalyzeControl(new InitDecayMatrix(), Og2(), 100000, members);

        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        // Alpha 0.5 without weight decay generalizes (test accuracy 1 >= 0.95) and its small-decay cell is fast (500 / 300).
        Compared(control, "bestTest-a0.5-wd0").Verdict.Should().Be(Verdict.Refuted);
        Compared(control, "delay-a0.5-wd0.03").Verdict.Should().Be(Verdict.Refuted);
        control.Figures.Should().BeEmpty();
    }

    [Fact]
    public void OG2_is_inconclusive_when_the_budget_is_shorter_than_twice_the_grokking_test_time()
    {
        // Grokking at 20000 steps needs a budget of 40000 before 'never' counts; 30000 is too short.
        var result = Analyze(new InitDecayMatrix(), Og2(), 30000, MatrixRun(30000, (_, a, wd) => PaperCell(a, wd)));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("budget");
        Measured(result, "budget").Value.Should().Be(30000);
    }

    [Fact]
    public void OG2_budget_of_exactly_twice_the_grokking_test_time_suffices()
    {
        var result = Analyze(new InitDecayMatrix(), Og2(), 40000, MatrixRun(40000, (_, a, wd) => PaperCell(a, wd)));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
    }

    [Fact]
    public void OG2_does_not_confirm_no_generalization_from_a_member_that_diverged_early()
    {
        var result = Analyze(new InitDecayMatrix(), Og2(), 100000, MatrixRun(100000, (_, a, wd) => PaperCell(a, wd), (seed, a, wd) => seed == 0 && a == 2 && wd == 0 ? 1000 : MemberEvents.Never));

        // Its best test accuracy before diverging (0.1) is no evidence of "never": that seed has no value, 2 of 3 are too few.
        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var never = Compared(result, "bestTest-a2-wd0");
        double.IsNaN(never.PerSeed[0]).Should().BeTrue();
        never.Reason.Should().Contain("1 seed(s) without the value");
    }

    // ---------------------------------------------------------------- OG-3 decay-time-scaling

    private static ClaimDefinition Og3() => new()
    {
        Id = "OG-3",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(),
        Paper = [new PaperValue("slope", -1)],
        RuleParameters =
        [
            new("accuracyLevel", 0.95, "r"), new("initScale", 2, "r"), new("minDecay", 0.03, "r"), new("maxDecay", 1, "r"),
            new("slopeTolerance", 0.25, "r"), new("minRSquared", 0.9, "r"), new("maxTrainSpread", 2, "r"), new("minDecays", 5, "r"),
        ],
    };

    [Fact]
    public void OG3_parameters_need_a_whole_number_of_decays_and_a_positive_decay_range()
    {
        var fractional = Og3();
        fractional.RuleParameters = [.. fractional.RuleParameters.Select(p => p.Name == "minDecays" ? p with { Value = 4.5 } : p)];
        var zero = Og3();
        zero.RuleParameters = [.. zero.RuleParameters.Select(p => p.Name == "minDecay" ? p with { Value = 0 } : p)];

        Og3().ParametersAs<DecayTimeScaling.Parameters>().MinDecays.Should().Be(5);
        Og3().ParametersAs<DecayTimeScaling.Parameters>().PaperSlope.Should().Be(-1);
        fractional.Invoking(c => c.ParametersAs<DecayTimeScaling.Parameters>()).Should().Throw<ClaimDefinitionException>()
            .WithMessage("*'ruleParameters.minDecays' is 4.5, but it counts*");
        zero.Invoking(c => c.ParametersAs<DecayTimeScaling.Parameters>()).Should().Throw<ClaimDefinitionException>()
            .WithMessage("*'ruleParameters.minDecay' is 0, outside its range*");
    }

    /// <summary>
    /// alpha-2 members over <see cref="Decays"/> x 3 seeds, plus two that OG-3 must ignore (alpha 2 wd 0 and alpha 0.5
    /// wd 0.1, both never generalizing).
    /// </summary>
    private static List<Member> ScalingRun(long steps, Func<long, double, (long Train, long? Test)> cell)
    {
        var members = new List<Member>();
        foreach (long seed in Seeds)
        {
            foreach (double wd in Decays)
            {
                var (train, test) = cell(seed, wd);
                members.Add(AccuracyMember(members.Count, seed, 2, wd, train, test, steps));
            }
        }

        members.Add(AccuracyMember(members.Count, 0, 2, 0, 200, null, steps));
        members.Add(AccuracyMember(members.Count, 0, 0.5, 0.1, 5000, null, steps));
        return members;
    }

    /// <summary>t_test = c_s / wd with c = 600, 900, 1200 for seeds 0, 1, 2: multiples of 100 at every decay.</summary>
    private static long InverseTime(long seed, double wd) => (long)Math.Round((600 + (300 * seed)) / wd);

    [Fact]
    public void OG3_is_confirmed_when_test_time_scales_as_one_over_gamma_and_train_time_is_flat()
    {
        var analysis = new DecayTimeScaling();
        analysis.Name.Should().Be("decay-time-scaling");

        var result = Analyze(analysis, Og3(), 50000, ScalingRun(50000, (seed, wd) => (200, InverseTime(seed, wd))));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        // Every seed's points lie on a line of slope -1 over the same x, so the pooled slope and every resample's are -1.
        Measured(result, "slope").Value.Should().BeApproximately(-1, 1e-9);
        Measured(result, "slope").Paper.Should().Be(-1);
        Measured(result, "slopeLow").Value.Should().BeApproximately(-1, 1e-9);
        Measured(result, "slopeHigh").Value.Should().BeApproximately(-1, 1e-9);
        // R² = sxx / (sxx + 6 sum_s (log c_s - mean)²): the seeds' offsets are the only unexplained variance.
        double[] lx = [.. Decays.Select(Math.Log10)];
        double sxx = 3 * lx.Sum(x => (x - lx.Average()) * (x - lx.Average()));
        double[] lc = [Math.Log10(600), Math.Log10(900), Math.Log10(1200)];
        double between = 6 * lc.Sum(c => (c - lc.Average()) * (c - lc.Average()));
        Measured(result, "rSquared").Value.Should().BeApproximately(sxx / (sxx + between), 1e-9).And.BeGreaterThan(0.9);
        Measured(result, "trainSpread").Value.Should().Be(1);
        var t003 = Measured(result, "tTest-wd0.03");
        t003.PerSeed.Should().Equal(20000, 30000, 40000);
        t003.Value.Should().Be(30000);
        Measured(result, "tTest-wd1").Value.Should().Be(900);
        Measured(result, "tTrain-wd0.5").Value.Should().Be(200);
        result.Measured.Should().NotContain(m => m.Key == "tTest-wd0", "wd 0 is outside [minDecay, maxDecay]");
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void OG3_is_confirmed_for_the_rounded_700_over_gamma_times()
    {
        // round(700 / wd) to 100 steps: 23300, 14000, 7000, 3500, 1400, 700.
        var result = Analyze(new DecayTimeScaling(), Og3(), 30000, ScalingRun(30000, (_, wd) => (200, (long)Math.Round(700 / wd / 100) * 100)));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "slope").Value.Should().BeApproximately(-1, 0.05);
        Measured(result, "tTest-wd0.03").Value.Should().Be(23300);
        Measured(result, "trainSpread").Value.Should().Be(1);
    }

    [Fact]
    public void OG3_is_refuted_when_test_time_scales_as_one_over_the_square_root_of_gamma()
    {
        var result = Analyze(new DecayTimeScaling(), Og3(), 30000, ScalingRun(30000, (_, wd) => (200, (long)Math.Round(3000 / Math.Sqrt(wd) / 100) * 100)));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "slope-upper").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "slope-lower").Verdict.Should().Be(Verdict.Confirmed);
        Compared(result, "trainSpread").Verdict.Should().Be(Verdict.Confirmed);
        result.Reason.Should().Contain("wholly past the threshold");
        Measured(result, "slope").Value.Should().BeApproximately(-0.5, 0.02);
        Measured(result, "rSquared").Value.Should().BeGreaterThan(0.99);
        Measured(result, "trainSpread").Value.Should().Be(1);
    }

    [Fact]
    public void OG3_is_refuted_when_train_time_depends_on_gamma()
    {
        var result = Analyze(new DecayTimeScaling(), Og3(), 50000, ScalingRun(50000, (seed, wd) => (wd == 1 ? 1000 : 200, InverseTime(seed, wd))));

        result.Verdict.Should().Be(Verdict.Refuted);
        var spread = Compared(result, "trainSpread");
        spread.Verdict.Should().Be(Verdict.Refuted);
        spread.Low.Should().Be(5); // every resample of seeds has the same medians
        spread.PerSeed.Should().Equal(5, 5, 5);
        Measured(result, "trainSpread").Value.Should().Be(5); // 1000 / 200
        Measured(result, "slope").Value.Should().BeApproximately(-1, 1e-9);
    }

    [Fact]
    public void OG3_is_inconclusive_when_two_gammas_never_reach_the_test_level_in_some_seed()
    {
        var result = Analyze(new DecayTimeScaling(), Og3(), 50000, ScalingRun(50000, (seed, wd) => (200, seed == 0 && wd <= 0.05 ? (long?)null : InverseTime(seed, wd))));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("only 4 of 6 weight decays");
        var t003 = Measured(result, "tTest-wd0.03");
        double.IsNaN(t003.PerSeed![0]).Should().BeTrue();
        t003.Value.Should().Be(40000); // median of 30000, 40000 and never (counted as latest)
        Measured(result, "slope").Value.Should().BeApproximately(-1, 1e-9); // still fitted on the 4 complete decays
    }

    [Fact]
    public void OG3_is_decided_when_only_one_gamma_never_reaches_the_test_level()
    {
        var result = Analyze(new DecayTimeScaling(), Og3(), 50000, ScalingRun(50000, (seed, wd) => (200, seed == 2 && wd == 0.03 ? (long?)null : InverseTime(seed, wd))));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Reason.Should().Contain("15 points over 5 weight decays");
        Measured(result, "slope").Value.Should().BeApproximately(-1, 1e-9);
    }

    [Fact]
    public void OG3_slopes_that_differ_by_seed_across_the_band_edge_are_inconclusive_within_noise()
    {
        // t_test = 1000 wd^b_s with b = -0.6, -0.8, -1.0: the bootstrap over whole seeds spans [-1.0, -0.6], across -0.75.
        double[] slopes = [-0.6, -0.8, -1.0];
        var result = Analyze(new DecayTimeScaling(), Og3(), 50000,
            ScalingRun(50000, (seed, wd) => (200, (long)Math.Round(1000 * Math.Pow(wd, slopes[seed]) / 100) * 100)));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var upper = Compared(result, "slope-upper");
        upper.Verdict.Should().Be(Verdict.Inconclusive);
        upper.Reason.Should().Contain("within noise");
        upper.SeedsNeeded.Should().NotBeNull();
        upper.Low.Should().BeLessThan(-0.75);
        upper.High.Should().BeGreaterThan(-0.75);
        Compared(result, "slope-lower").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void OG3_control_fits_the_train_times_and_is_refuted_where_the_claim_is_confirmed()
    {
        var members = ScalingRun(50000, (seed, wd) => (200, InverseTime(seed, wd)));
        new DecayTimeScaling().ControlName.Should().Be("train-times-as-test");

        var claim = Analyze(new DecayTimeScaling(), Og3(), 50000, members);
        var control = AnalyzeControl(new DecayTimeScaling(), Og3(), 50000, members);

        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "slope-upper").Estimate.Should().BeApproximately(0, 1e-12); // train times 200 at every decay
        control.Figures.Should().BeEmpty();
    }
}
