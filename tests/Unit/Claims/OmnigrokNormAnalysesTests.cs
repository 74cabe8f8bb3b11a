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
        path.Final.Should().BeApproximately(8, 1e-12);

        var finding = path.Finding(7, MinRise, diverged: false);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Seed.Should().Be(7);
        finding.Diverged.Should().BeFalse();
        finding.Reason.Should().StartWith("rises and falls below w0").And.NotContain("first falls");
    }

    [Fact]
    public void NormPath_that_does_not_rise_by_min_rise_during_overfitting_is_refuted()
    {
        // Peak 10.2 = 1.02 w0 < 1.05 w0; the fall to 8 by step 450 still happens.
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 10.2), (450, 8)]));

        path.Peak.Should().BeApproximately(10.2, 1e-12);
        path.PeakStep.Should().Be(200);
        path.AtRobust.Should().BeApproximately(8, 1e-12);

        var finding = path.Finding(0, MinRise, diverged: false);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("does not rise").And.Contain("falls below w0").And.NotContain("does not fall");
    }

    [Fact]
    public void NormPath_a_rise_of_exactly_min_rise_counts()
    {
        // Peak 10.5 = (1 + 0.05) w0: the rule is peak >= (1 + minRise) w0.
        var finding = PathOf(NormRows([(0, 10), (50, 10), (200, 10.5), (450, 8)])).Finding(0, MinRise, diverged: false);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
    }

    [Fact]
    public void NormPath_that_stays_above_w0_when_generalization_completes_is_refuted()
    {
        // Up to 13 at 200, down to 10.5 (> w0) at the robust step 450.
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, 10.5)]));

        path.AtRobust.Should().BeApproximately(10.5, 1e-12);
        path.Peak.Should().BeApproximately(13, 1e-12);

        var finding = path.Finding(0, MinRise, diverged: false);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("does not fall below w0").And.StartWith("rises and");
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

        var finding = path.Finding(0, MinRise, diverged: false);

        finding.Verdict.Should().Be(Verdict.Confirmed, finding.Reason);
        finding.Reason.Should().Contain("first falls");
    }

    [Fact]
    public void NormPath_whose_validation_never_reaches_the_robust_level_is_inconclusive()
    {
        // Validation tops out at 0.98: generalization (95%) comes at 400 but never completes (99%).
        var path = PathOf(NormRows([(0, 10), (50, 10), (200, 13), (450, 8)], finalVal: 0.98));

        path.GeneralizationStep.Should().Be(400);
        double.IsNaN(path.RobustStep).Should().BeTrue();
        double.IsNaN(path.AtRobust).Should().BeTrue();

        var finding = path.Finding(0, MinRise, diverged: false);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Reason.Should().Contain("never completed generalization");
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

        return new TrainingResult
        {
            Members = members,
            Metrics = metrics,
            Events = events,
            StepLosses = members.Select(_ => Array.Empty<float>()).ToList(),
            StepsPerEpoch = MetricEvery,
            StepsCompleted = Steps,
            Interrupted = false,
        };
    }

    private static string ReportDirectory() => Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));

    private static AnalysisResult AnalyzeOg5(Func<long, (long Train, long? Test)> free, Func<long, (long Train, long? Test)> held)
    {
        var claim = Og5(ConstrainedDegrokking.ConstrainedExperiment);
        string report = ReportDirectory();
        var constrained = new ClaimContext(claim, Run(0.8, 0, held), "dir-constrained", Profile.Ci, report)
        {
            Experiment = ConstrainedDegrokking.ConstrainedExperiment,
        };
        var context = new ClaimContext(claim, Run(1, 1, free), "dir", Profile.Ci, report)
        {
            Companions = new Dictionary<string, ClaimContext> { [ConstrainedDegrokking.ConstrainedExperiment] = constrained },
        };
        return new ConstrainedDegrokking().Analyze(context);
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
    public void OG5_is_refuted_when_one_seed_keeps_more_than_a_quarter_of_the_gap()
    {
        // Seed 1: constrained gap 1000 (train 200, test 1200), ratio 1000 / 2900 = 0.345 > 0.25.
        var result = AnalyzeOg5(Grokking, seed => (200, seed == 1 ? 1200 : 600));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("seed 1").And.Contain("gap ratio").And.NotContain("seed 0").And.NotContain("seed 2");
        Measured(result, "gapRatio").Value.Should().BeApproximately(1000.0 / 2900, 1e-12);
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
