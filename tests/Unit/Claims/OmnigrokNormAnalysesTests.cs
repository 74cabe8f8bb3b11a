using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-4's per-seed weight-norm path (<see cref="NormPath"/>) and OG-5's constrained de-grokking
/// (<see cref="ConstrainedDegrokking"/>, reading its companion run) on synthetic runs worked out by hand.
/// </summary>
public class OmnigrokNormAnalysesTests
{
    private const double Level = 0.95;
    private const double Robust = 0.99;
    private const double MinRise = 0.05;
    private const double W0 = 10;
    private const long MetricEvery = 100;
    private const long Steps = 5000;

    private static readonly long[] Seeds = [0, 1, 2];

    /// <summary>OG-5's unconstrained arm in every seed: fits at 100, generalizes at 3000 (gap 2900).</summary>
    private static readonly Func<long, (long Train, long? Test)> Grokking = _ => (100, 3000);

    // ---------------------------------------------------------------- OG-4 NormPath

    private static MetricRow NormRow(long step, double train, double val, double norm) =>
        new(step, step / 100.0, 0, 1 - train, 1 - train, train, 1 - val, 1 - val, val, norm, 1e-3, 1, 1, null);

    /// <summary>Linear interpolation through (step, norm) knots, constant past the last one.</summary>
    private static double Interpolate((long Step, double Norm)[] knots, long step)
    {
        if (step >= knots[^1].Step)
        {
            return knots[^1].Norm;
        }

        int i = Array.FindLastIndex(knots, k => k.Step <= step);
        var (s0, n0) = knots[i];
        var (s1, n1) = knots[i + 1];
        return n0 + ((n1 - n0) * (step - s0) / (s1 - s0));
    }

    /// <summary>
    /// Rows every 10 steps from 0 to 600: train accuracy 0.5 before step 50 and 1.0 from 50; validation accuracy 0.1
    /// before 400, 0.96 from 400 to 440 and <paramref name="finalVal"/> from 450; the weight norm follows the knots.
    /// </summary>
    private static List<MetricRow> NormRows((long Step, double Norm)[] knots, double finalVal = 1.0)
    {
        var rows = new List<MetricRow>();
        for (long step = 0; step <= 600; step += 10)
        {
            double train = step >= 50 ? 1.0 : 0.5;
            double val = step >= 450 ? finalVal : step >= 400 ? 0.96 : 0.1;
            rows.Add(NormRow(step, train, val, Interpolate(knots, step)));
        }

        return rows;
    }

    private static NormPath PathOf(List<MetricRow> rows) => NormPath.Of(rows, W0, Level, Robust);

    private static readonly WeightNormPath.Parameters Og4 = new(Level, Robust, MinRise);

    /// <summary>OG-4's rule (typical) over one path per seed, none diverged.</summary>
    private static (Verdict Verdict, string Reason, List<Comparison> Comparisons) Judge(params NormPath[] paths) =>
        WeightNormPath.JudgePaths(ClaimScope.Typical, [.. Enumerable.Range(0, paths.Length).Select(i => (long)i)], paths, [.. paths.Select(_ => false)], Og4);

    /// <summary>The rule before issue 25: the norm at the first step with 99% test accuracy, below w0.</summary>
    private static bool OldRuleFalls(NormPath path) => path.AtRobust < path.Initial;

    [Fact]
    public void NormPath_rising_during_overfitting_and_falling_below_w0_is_confirmed()
    {
        // 10 until the fit (step 50), up to 13 at step 200, down to 8 at step 450 (9 at step 400), then flat.
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, 8)]));

        path.Initial.Should().Be(10);
        path.FitStep.Should().Be(50);
        path.GeneralizationStep.Should().Be(400);
        path.RobustStep.Should().Be(450);
        path.MinBeforeFit.Should().BeApproximately(10, 1e-12);
        path.AtFit.Should().BeApproximately(10, 1e-12);
        path.Peak.Should().BeApproximately(13, 1e-12);
        path.PeakStep.Should().Be(200);
        path.AtGeneralization.Should().BeApproximately(9, 1e-12); // 13 - 5 * 200 / 250
        path.AtRobust.Should().BeApproximately(8, 1e-12);
        path.PhaseMinimum.Should().BeApproximately(8, 1e-12);
        path.BelowFromStep.Should().BeInRange(350, 360); // 13 - 5 * 150 / 250 = 10 at step 350
        path.Final.Should().BeApproximately(8, 1e-12);

        var (verdict, reason, comparisons) = Judge(path, path, path);

        verdict.Should().Be(Verdict.Confirmed, reason);
        comparisons.Select(c => c.Key).Should().Equal("peak", "phaseMin");
        reason.Should().NotContain("first falls");
    }

    [Fact]
    public void NormPath_that_does_not_rise_by_min_rise_during_overfitting_is_refuted()
    {
        // Peak 10.2 = 1.02 w0 < 1.05 w0; the fall to 8 by step 450 still happens.
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 10.2), (450, 8)]));

        path.Peak.Should().BeApproximately(10.2, 1e-12);
        path.PeakStep.Should().Be(200);

        var (verdict, _, comparisons) = Judge(path, path, path);

        verdict.Should().Be(Verdict.Refuted);
        comparisons[0].Verdict.Should().Be(Verdict.Refuted);
        comparisons[1].Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void NormPath_that_stays_above_w0_through_the_generalization_phase_is_refuted()
    {
        // Up to 13 at 200, down to 10.5 (> w0) at 450 and flat to the end: never below w0 while generalizing.
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, 10.5)]));

        path.PhaseMinimum.Should().BeApproximately(10.5, 1e-12);
        double.IsNaN(path.BelowFromStep).Should().BeTrue();

        var (verdict, _, comparisons) = Judge(path, path, path);

        verdict.Should().Be(Verdict.Refuted);
        comparisons[1].Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void NormPath_falling_below_w0_just_after_the_99_percent_step_is_confirmed_where_the_old_rule_refuted()
    {
        // Issue 25's measurement question: 13 at 200, 10.2 (1.02 w0) at the 99% step 450, 9 at 500 and after. The old
        // rule read the norm at that one step (above w0: refuted); the paper's "drops during the period of
        // generalization" reads the phase from 95% test accuracy (step 400) on, whose least norm is 9 (0.9 w0).
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, 10.2), (500, 9)]));

        path.RobustStep.Should().Be(450);
        path.AtRobust.Should().BeApproximately(10.2, 1e-12);
        OldRuleFalls(path).Should().BeFalse("the old rule's answer: REFUTED at the 99% step");
        path.PhaseMinimum.Should().BeApproximately(9, 1e-12);
        path.BelowFromStep.Should().Be(460); // 10.2 at 450, 10.2 - 1.2 * 10 / 50 = 9.96 at 460

        var (verdict, reason, _) = Judge(path, path, path);

        verdict.Should().Be(Verdict.Confirmed, reason);
    }

    [Fact]
    public void NormPath_phase_minima_on_both_sides_of_w0_are_inconclusive_within_noise()
    {
        // Least norms 8, 9.5 and 11 in the phase: 0.8, 0.95, 1.1 w0 (mean 0.95, t-interval [0.58, 1.32]) straddle 1.
        var paths = new[] { 8.0, 9.5, 11 }.Select(end => PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, end)]))).ToArray();

        var (verdict, _, comparisons) = Judge(paths);

        verdict.Should().Be(Verdict.Inconclusive);
        var phase = comparisons.Single(c => c.Key == "phaseMin");
        phase.PerSeed[0].Should().BeApproximately(0.8, 1e-12);
        phase.PerSeed[2].Should().BeApproximately(1.1, 1e-12);
        phase.Verdict.Should().Be(Verdict.Inconclusive);
        phase.Reason.Should().Contain("within noise");
        phase.SeedsNeeded.Should().NotBeNull();
    }

    [Fact]
    public void NormPath_held_at_w0_as_in_the_constrained_control_is_refuted()
    {
        // The control's norm never moves: peak 1.0 w0 < 1.05 w0, however the accuracy goes.
        var held = PathOf(NormRows([(0, 10), (600, 10)]));

        held.Peak.Should().Be(10);
        var (verdict, _, comparisons) = Judge(held, held, held);

        verdict.Should().Be(Verdict.Refuted);
        comparisons.Single(c => c.Key == "peak").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void NormPath_that_first_falls_before_the_fit_then_rises_and_falls_is_confirmed_and_names_the_first_fall()
    {
        // 10 -> 7 at step 30 (before the fit at 50, where it is 7 + 6 * 20 / 170), -> 13 at 200, -> 8 at 450.
        var path = PathOf(NormRows([(0, 10), (30, 7), (200, 13), (450, 8)]));

        path.MinBeforeFit.Should().BeApproximately(7, 1e-12);
        path.AtFit.Should().BeApproximately(7 + (6.0 * 20 / 170), 1e-12);
        path.Peak.Should().BeApproximately(13, 1e-12);
        path.PeakStep.Should().Be(200);
        path.AtRobust.Should().BeApproximately(8, 1e-12);

        var (verdict, reason, _) = Judge(path, path, path);

        verdict.Should().Be(Verdict.Confirmed, reason);
        reason.Should().Contain("first falls");
    }

    [Fact]
    public void NormPath_whose_validation_never_reaches_the_robust_level_is_inconclusive()
    {
        // Validation tops out at 0.98: generalization (95%) comes at 400 but never completes (99%).
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, 8)], finalVal: 0.98));

        path.GeneralizationStep.Should().Be(400);
        double.IsNaN(path.RobustStep).Should().BeTrue();
        double.IsNaN(path.AtRobust).Should().BeTrue();

        var (verdict, reason, _) = Judge(path, path, path);

        verdict.Should().Be(Verdict.Inconclusive);
        reason.Should().Contain("never completed generalization");
    }

    // ---------------------------------------------------------------- OG-5 constrained-degrokking

    private static ClaimDefinition Og5(params string[] companions) => new()
    {
        Id = "OG-5",
        Experiment = "og-modular",
        Companions = [.. companions],
        Analysis = "constrained-degrokking",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(),
        Paper = [],
        RuleParameters = [new("accuracyLevel", 0.95, "r"), new("maxGapRatio", 0.25, "r")],
    };

    /// <summary>
    /// One member per seed, rows every 100 steps to 5000: train accuracy 1 from its train step (0.5 before), test
    /// accuracy 1 from its test step (0.1 before; null = never).
    /// </summary>
    private static TrainingResult Run(double alpha, double wd, Func<long, (long Train, long? Test)> times)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        for (int index = 0; index < Seeds.Length; index++)
        {
            var (trainStep, testStep) = times(Seeds[index]);
            members.Add(new MemberSpec(index, Seeds[index], 1e-3, wd, alpha));
            for (long step = MetricEvery; step <= Steps; step += MetricEvery)
            {
                double train = step >= trainStep ? 1.0 : 0.5;
                double val = testStep is { } t && step >= t ? 1.0 : 0.1;
                metrics.Add(new MetricRow(step, step / (double)MetricEvery, index, 1 - train + 0.01, 1 - train + 0.01, train, 1 - val + 0.01, 1 - val + 0.01, val, 10, 1e-3, 1, 1, null));
            }

            events.Add(new MemberEvents(index, trainStep, testStep ?? MemberEvents.Never, MemberEvents.Never));
        }

        return SyntheticResult.Of(members, metrics, events, MetricEvery, Steps);
    }

    private static string ReportDirectory() => Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));

    private static AnalysisResult AnalyzeOg5(Func<long, (long Train, long? Test)> free, Func<long, (long Train, long? Test)> held) =>
        new ConstrainedDegrokking().Analyze(Og5Context(free, held));

    private static ClaimContext Og5Context(Func<long, (long Train, long? Test)> free, Func<long, (long Train, long? Test)> held)
    {
        var claim = Og5(ConstrainedDegrokking.ConstrainedExperiment);
        string report = ReportDirectory();
        var constrained = new ClaimContext(claim, Run(0.8, 0, held), "dir-constrained", Profile.Ci, report)
        {
            Experiment = ConstrainedDegrokking.ConstrainedExperiment,
        };
        return new ClaimContext(claim, Run(1, 1, free), "dir", Profile.Ci, report)
        {
            Companions = new Dictionary<string, ClaimContext> { [ConstrainedDegrokking.ConstrainedExperiment] = constrained },
        };
    }

    private static MeasuredValue Measured(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key);

    [Fact]
    public void OG5_is_confirmed_when_the_constrained_gap_is_at_most_a_quarter_of_the_unconstrained_one()
    {
        var analysis = new ConstrainedDegrokking();
        analysis.Name.Should().Be("constrained-degrokking");

        // Unconstrained gap 2900 in every seed; constrained gaps 400, 300, 200 (tests at 600, 500, 400).
        var result = AnalyzeOg5(Grokking, seed => (200, 600 - (100 * seed)));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var ratio = Measured(result, "gapRatio");
        ratio.Value.Should().BeApproximately(400.0 / 2900, 1e-12); // max over seeds, 0.138
        var perSeed = ratio.PerSeed!;
        perSeed.Should().HaveCount(3);
        perSeed[0].Should().BeApproximately(400.0 / 2900, 1e-12);
        perSeed[1].Should().BeApproximately(300.0 / 2900, 1e-12);
        perSeed[2].Should().BeApproximately(200.0 / 2900, 1e-12);
        Measured(result, "freeTrain").Value.Should().Be(100);
        Measured(result, "freeTest").Value.Should().Be(3000);
        Measured(result, "heldTrain").Value.Should().Be(200);
        Measured(result, "heldTest").Value.Should().Be(500); // median of 600, 500, 400
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void OG5_one_seed_keeping_more_than_a_quarter_of_the_gap_is_inconclusive_within_noise()
    {
        // Seed 1: constrained gap 1000 (ratio 0.345), seeds 0 and 2: 400 (0.138): mean 0.207, t-interval [-0.09, 0.50].
        var result = AnalyzeOg5(Grokking, seed => (200, seed == 1 ? 1200 : 600));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var ratio = result.Comparisons.Single(c => c.Key == "gapRatio");
        ratio.Verdict.Should().Be(Verdict.Inconclusive);
        ratio.Reason.Should().Contain("within noise");
        ratio.SeedsNeeded.Should().NotBeNull();
        Measured(result, "gapRatio").Value.Should().BeApproximately(1000.0 / 2900, 1e-12);
    }

    [Fact]
    public void OG5_is_refuted_when_every_seed_keeps_more_than_a_quarter_of_the_gap()
    {
        var result = AnalyzeOg5(Grokking, seed => (200, 1100 + (100 * seed)));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Comparisons.Single().Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void OG5_control_reads_the_unconstrained_run_as_constrained_and_is_refuted_where_the_claim_is_confirmed()
    {
        var context = Og5Context(Grokking, seed => (200, 600 - (100 * seed)));
        new ConstrainedDegrokking().ControlName.Should().Be("unconstrained-as-constrained");

        var claim = new ConstrainedDegrokking().Analyze(context);
        var control = new ConstrainedDegrokking().AnalyzeControl(context);

        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Single().PerSeed.Should().Equal(1, 1, 1);
        control.Figures.Should().BeEmpty();
    }

    [Fact]
    public void OG5_is_refuted_when_the_constrained_model_fits_but_never_generalizes()
    {
        var result = AnalyzeOg5(Grokking, _ => (200, null));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("never generalizes");
        double.IsNaN(Measured(result, "heldTest").Value).Should().BeTrue();
    }

    [Fact]
    public void OG5_is_inconclusive_when_the_unconstrained_run_never_generalizes()
    {
        var result = AnalyzeOg5(_ => (100, null), _ => (200, 600));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("no grokking gap");
        double.IsNaN(Measured(result, "gapRatio").Value).Should().BeTrue();
    }

    [Fact]
    public void OG5_throws_when_the_claim_has_no_constrained_companion()
    {
        var claim = Og5();
        var other = new ClaimContext(claim, Run(0.8, 0, _ => (200, 600)), "dir-other", Profile.Ci, ReportDirectory()) { Experiment = "og-other" };
        var context = new ClaimContext(claim, Run(1, 1, Grokking), "dir", Profile.Ci, ReportDirectory())
        {
            Companions = new Dictionary<string, ClaimContext> { ["og-other"] = other },
        };

        var act = () => new ConstrainedDegrokking().Analyze(context);

        act.Should().Throw<InvalidOperationException>().WithMessage("*og-modular-constrained*");
    }
}
