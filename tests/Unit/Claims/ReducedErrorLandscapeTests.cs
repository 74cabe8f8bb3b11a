using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.OG;
using Grokking.Claims.Toolkit;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-10 (<see cref="LuDataSize"/>) and OG-12 (<see cref="CeGoldilocks"/>) on synthetic runs: 3 seeds x 7 alphas
/// 10^(-1 + k/3), one arm per (loss, data size); each member has two rows, the best accuracy at step 500 and a worse
/// one at the end (the reduced error is 1 - the best), and <see cref="ReducedErrors"/>' zone width by hand.
/// </summary>
public class ReducedErrorLandscapeTests
{
    private static readonly double[] Alphas = [.. Enumerable.Range(0, 7).Select(k => Math.Pow(10, -1 + (k / 3.0)))];

    // The paper's picture (errors per alpha): MSE at small N an L and a U, at large N the U flattened.
    private static readonly double[] MseSmallTrain = [0.5, 0.2, 0.02, 0, 0, 0, 0];
    private static readonly double[] MseSmallTest = [0.6, 0.35, 0.2, 0.18, 0.25, 0.35, 0.45];
    private static readonly double[] LargeTrain = [0.4, 0.15, 0.05, 0.03, 0.03, 0.04, 0.05];
    private static readonly double[] LargeTest = [0.45, 0.2, 0.12, 0.1, 0.11, 0.12, 0.13];

    // Cross-entropy: the same shapes with a broader zone at small N.
    private static readonly double[] CeSmallTrain = [0.45, 0.15, 0.01, 0, 0, 0, 0];
    private static readonly double[] CeSmallTest = [0.5, 0.25, 0.17, 0.15, 0.18, 0.22, 0.3];

    /// <summary>Errors of one arm: (train, test) per seed and alpha index; seeds shift the test curve by 0.005 each.</summary>
    private delegate (double Train, double Test) Arm(long seed, int k);

    private static Arm Of(double[] train, double[] test) => (s, k) => (train[k], test[k] + (0.005 * s));

    private static TrainingResult Run(Arm arm, long? divergedSeed = null)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            for (int k = 0; k < Alphas.Length; k++)
            {
                int index = members.Count;
                members.Add(new MemberSpec(index, seed, 1e-3, 0, Alphas[k]));
                var (train, test) = arm(seed, k);
                long diverged = divergedSeed == seed && k == 6 ? 900 : MemberEvents.Never;
                // The best accuracies at step 500, worse ones at the end: the reading takes the best.
                metrics.Add(new MetricRow(500, 50, index, 0.1, 0.1, 1 - train, 0.1, 0.1, 1 - test, 10, 1e-3, 1, 1, null));
                metrics.Add(new MetricRow(1000, 100, index, 0.1, 0.1, 0.9 - train, 0.1, 0.1, 0.9 - test, 10, 1e-3, 1, 1, null, diverged == 900 ? 900 : MemberEvents.Never));
                events.Add(new MemberEvents(index, MemberEvents.Never, MemberEvents.Never, diverged));
            }
        }

        return SyntheticResult.Of(members, metrics, events, 10, 1000);
    }

    private static string ReportDirectory() => Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));

    private static ClaimContext Context(ClaimDefinition claim, string experiment, TrainingResult result, Dictionary<string, ClaimContext>? companions = null) =>
        new(claim, result, "dir-" + experiment, Profile.Ci, ReportDirectory(), EngineFixturesOptions())
        {
            Experiment = experiment,
            Companions = companions ?? [],
        };

    private static GrokkingOptions EngineFixturesOptions() => Grokking.Tests.Unit.Engine.EngineFixtures.Small("Data:Kind=images", "Model:Kind=mlp");

    private static readonly RuleParameter[] LuParameters =
        [new("monotoneSlack", 0.05, "r"), new("flatShare", 0.1, "r"), new("uDepth", 0.25, "r"), new("maxRiseRatio", 0.5, "r")];

    // ---------------------------------------------------------------- ReducedErrors

    [Fact]
    public void The_zone_width_interpolates_each_edge_in_log_alpha_and_a_zone_reaching_the_grid_end_is_censored()
    {
        var e = new ReducedErrors(0, Alphas, MseSmallTrain, MseSmallTest, Diverged: false);

        // Level 0.18 + 0.1 = 0.28: left edge between log alpha -2/3 (0.35) and -1/3 (0.2) at -2/3 + (0.07 / 0.15) / 3,
        // right edge between 1/3 (0.25) and 2/3 (0.35) at 1/3 + (0.03 / 0.1) / 3.
        double left = (-2.0 / 3) + (0.07 / 0.15 / 3);
        double right = (1.0 / 3) + (0.03 / 0.1 / 3);
        e.ZoneWidth(0.1).Should().BeApproximately(right - left, 1e-12);
        e.ZoneCensored(0.1).Should().BeFalse();
        e.RightRise.Should().BeApproximately(0.45 - 0.18, 1e-12);

        var falling = new ReducedErrors(0, Alphas, MseSmallTrain, [0.6, 0.5, 0.4, 0.3, 0.2, 0.15, 0.1], Diverged: false);
        // Level 0.2: from alpha index 4 to the right end (log alpha 1), cut there.
        falling.ZoneCensored(0.1).Should().BeTrue();
        falling.ZoneWidth(0.1).Should().BeApproximately(1 - (1.0 / 3), 1e-12);
        falling.RightRise.Should().Be(0);

        new ReducedErrors(0, Alphas, MseSmallTrain, MseSmallTest, Diverged: true).ZoneWidth(0.1).Should().Be(double.NaN);
    }

    [Fact]
    public void The_reduced_errors_are_one_minus_the_best_accuracy_over_the_run_per_seed_in_increasing_alpha()
    {
        var claim = Og10();
        var errors = ReducedErrors.Read(Context(claim, "og-mnist-lu", Run(Of(MseSmallTrain, MseSmallTest))));

        errors.Select(e => e.Seed).Should().Equal(0, 1, 2);
        errors[2].Alphas.Should().Equal(Alphas);
        errors[2].Train.Should().Equal(MseSmallTrain, (a, b) => Math.Abs(a - b) < 1e-12);
        errors[2].Test.Should().Equal(MseSmallTest.Select(v => v + 0.01), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    // ---------------------------------------------------------------- OG-10 lu-data-size

    private static ClaimDefinition Og10() => new()
    {
        Id = "OG-10",
        Experiment = "og-mnist-lu",
        Companions = [LuDataSize.LargeExperiment],
        Analysis = "lu-data-size",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(),
        Paper = [],
        RuleParameters = [.. LuParameters],
    };

    private static ClaimContext Og10Context(Arm small, Arm large, long? divergedSeed = null)
    {
        var claim = Og10();
        var largeArm = Context(claim, LuDataSize.LargeExperiment, Run(large));
        return Context(claim, "og-mnist-lu", Run(small, divergedSeed), new() { [LuDataSize.LargeExperiment] = largeArm });
    }

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    [Fact]
    public void OG10_an_L_and_a_U_at_small_N_and_a_flattened_U_at_large_N_is_confirmed_and_the_swapped_control_refuted()
    {
        var analysis = new LuDataSize();
        analysis.Name.Should().Be("lu-data-size");
        analysis.ControlName.Should().Be("data-sizes-swapped");
        var context = Og10Context(Of(MseSmallTrain, MseSmallTest), Of(LargeTrain, LargeTest));

        var result = analysis.Analyze(context);
        var control = analysis.AnalyzeControl(context);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        // Seed s: small rise 0.45 - 0.18 = 0.27, large rise 0.13 - 0.1 = 0.03 (the seed shift cancels).
        Compared(result, "riseRatio").PerSeed.Should().Equal([0.03 / 0.27, 0.03 / 0.27, 0.03 / 0.27], (a, b) => Math.Abs(a - b) < 1e-9);
        Compared(result, "uDepth").PerSeed[0].Should().BeApproximately(0.45 / 0.18, 1e-9);
        result.Reason.Should().Contain("on Fashion-MNIST");
        result.Figures.Should().ContainSingle();
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "riseRatio").PerSeed[0].Should().BeApproximately(0.27 / 0.03, 1e-9);
        control.Figures.Should().BeEmpty();
    }

    [Fact]
    public void OG10_a_large_N_whose_U_is_as_steep_as_the_small_Ns_is_refuted()
    {
        var result = new LuDataSize().Analyze(Og10Context(Of(MseSmallTrain, MseSmallTest), Of(LargeTrain, MseSmallTest)));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "riseRatio").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "uDepth").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void OG10_a_small_N_test_error_without_a_right_arm_is_refuted_as_no_U()
    {
        double[] lTest = [0.6, 0.35, 0.2, 0.18, 0.18, 0.18, 0.18];
        var result = new LuDataSize().Analyze(Og10Context(Of(MseSmallTrain, lTest), Of(LargeTrain, LargeTest)));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "uDepth").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void OG10_rise_ratios_straddling_the_threshold_are_inconclusive_within_noise()
    {
        // Large-N rises 0.054, 0.1215, 0.243 against 0.27: ratios 0.2, 0.45, 0.9 (mean 0.517, t-interval far wider than 0.5).
        double[] rises = [0.054, 0.1215, 0.243];
        Arm large = (s, k) => (LargeTrain[k], k == 6 ? 0.1 + (0.005 * s) + rises[s] : LargeTest[k] + (0.005 * s));
        var result = new LuDataSize().Analyze(Og10Context(Of(MseSmallTrain, MseSmallTest), large));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var ratio = Compared(result, "riseRatio");
        ratio.PerSeed.Should().Equal([0.2, 0.45, 0.9], (a, b) => Math.Abs(a - b) < 1e-9);
        ratio.Reason.Should().Contain("within noise");
    }

    [Fact]
    public void OG10_a_seed_with_a_diverged_member_has_no_values()
    {
        var result = new LuDataSize().Analyze(Og10Context(Of(MseSmallTrain, MseSmallTest), Of(LargeTrain, LargeTest), divergedSeed: 1));

        var rise = Compared(result, "riseRatio");
        double.IsNaN(rise.PerSeed[1]).Should().BeTrue();
        result.Reason.Should().Contain("seed 1: small N a member diverged");
    }

    // ---------------------------------------------------------------- OG-12 ce-goldilocks

    private static ClaimContext Og12Context(Arm ceSmall, Arm ceLarge, Arm mseSmall, Arm mseLarge)
    {
        var claim = new ClaimDefinition
        {
            Id = "OG-12",
            Experiment = "og-mnist-lu-ce",
            Companions = [CeGoldilocks.CeLargeExperiment, CeGoldilocks.MseExperiment, CeGoldilocks.MseLargeExperiment],
            Analysis = "ce-goldilocks",
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Paper = [],
            RuleParameters = [.. LuParameters, new("zoneMargin", 0.1, "r"), new("minWidening", 0.2, "r")],
        };
        return Context(claim, "og-mnist-lu-ce", Run(ceSmall), new()
        {
            [CeGoldilocks.CeLargeExperiment] = Context(claim, CeGoldilocks.CeLargeExperiment, Run(ceLarge)),
            [CeGoldilocks.MseExperiment] = Context(claim, CeGoldilocks.MseExperiment, Run(mseSmall)),
            [CeGoldilocks.MseLargeExperiment] = Context(claim, CeGoldilocks.MseLargeExperiment, Run(mseLarge)),
        });
    }

    [Fact]
    public void OG12_the_LU_picture_with_a_broader_zone_under_cross_entropy_is_confirmed_and_the_swapped_losses_refuted()
    {
        var analysis = new CeGoldilocks();
        analysis.Name.Should().Be("ce-goldilocks");
        var context = Og12Context(Of(CeSmallTrain, CeSmallTest), Of(LargeTrain, LargeTest), Of(MseSmallTrain, MseSmallTest), Of(LargeTrain, LargeTest));

        var result = analysis.Analyze(context);
        var control = analysis.AnalyzeControl(context);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        // CE zone (level 0.25): from -2/3 (0.25 exactly, inside) to 2/3 + (0.03 / 0.08) / 3; MSE zone as above.
        double ce = (2.0 / 3) + (0.03 / 0.08 / 3) + (2.0 / 3);
        double mse = (1.0 / 3) + (0.03 / 0.1 / 3) - ((-2.0 / 3) + (0.07 / 0.15 / 3));
        Compared(result, "zoneWidening").PerSeed[0].Should().BeApproximately(ce - mse, 1e-9);
        Compared(result, "ce-riseRatio").Verdict.Should().Be(Verdict.Confirmed);
        result.Figures.Should().ContainSingle();
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "zoneWidening").PerSeed[0].Should().BeApproximately(mse - ce, 1e-9);
    }

    [Fact]
    public void OG12_a_cross_entropy_zone_no_broader_than_mses_is_refuted()
    {
        var context = Og12Context(Of(CeSmallTrain, MseSmallTest), Of(LargeTrain, LargeTest), Of(MseSmallTrain, MseSmallTest), Of(LargeTrain, LargeTest));

        var result = new CeGoldilocks().Analyze(context);

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "zoneWidening").PerSeed.Should().Equal([0.0, 0.0, 0.0], (a, b) => Math.Abs(a) < 1e-12);
    }

    [Fact]
    public void OG12_widenings_straddling_the_threshold_are_inconclusive_within_noise()
    {
        // Seed-dependent CE right arm: at alpha index 6 the test error sits at the level for seed 0 (zone to the grid end),
        // and far above it for seeds 1 and 2, so the widenings scatter around 0.2.
        Arm ceSmall = (s, k) => (CeSmallTrain[k], k == 5 ? 0.22 + (0.1 * s) : k == 6 ? 0.25 + (0.2 * s) : CeSmallTest[k]);
        var context = Og12Context(ceSmall, Of(LargeTrain, LargeTest), Of(MseSmallTrain, MseSmallTest), Of(LargeTrain, LargeTest));

        var result = new CeGoldilocks().Analyze(context);

        var widening = Compared(result, "zoneWidening");
        widening.PerSeed.Min().Should().BeLessThan(0.2);
        widening.PerSeed.Max().Should().BeGreaterThan(0.2);
        widening.Verdict.Should().Be(Verdict.Inconclusive, widening.Reason);
    }

    [Fact]
    public void OG12_a_cross_entropy_zone_cut_by_the_grid_end_cannot_refute_a_widening_below_the_threshold()
    {
        // CE stays under the level (min 0.18 + 0.1) to alpha's last grid point: its width is a lower bound. MSE's right
        // edge sits at 2/3 + (0.02 / 0.04) / 3, so the measured widening, 1 - that, is 1/6 < 0.2: REFUTED before the amendment.
        double[] ceTest = [0.6, 0.35, 0.2, 0.18, 0.2, 0.22, 0.26];
        double[] mseTest = [0.6, 0.35, 0.2, 0.18, 0.25, 0.26, 0.30];
        var context = Og12Context(Of(CeSmallTrain, ceTest), Of(LargeTrain, LargeTest), Of(MseSmallTrain, mseTest), Of(LargeTrain, LargeTest));

        var result = new CeGoldilocks().Analyze(context);

        var widening = Compared(result, "zoneWidening");
        widening.PerSeed[0].Should().BeApproximately(1 - ((2.0 / 3) + (0.5 / 3)), 1e-9);
        widening.Verdict.Should().Be(Verdict.Inconclusive, widening.Reason);
        widening.Reason.Should().Contain("lower bound");
        result.Verdict.Should().NotBe(Verdict.Refuted, result.Reason);
    }

    [Fact]
    public void OG12_an_mse_zone_cut_by_the_grid_end_cannot_confirm_a_widening()
    {
        // MSE stays under its level from alpha's first grid point: its width is a lower bound, so the widening (CE's 1.458
        // decades of the confirmed case minus MSE's 0.944) is only an upper bound.
        double[] mseTest = [0.22, 0.2, 0.18, 0.3, 0.4, 0.45, 0.5];
        var context = Og12Context(Of(CeSmallTrain, CeSmallTest), Of(LargeTrain, LargeTest), Of(MseSmallTrain, mseTest), Of(LargeTrain, LargeTest));

        var result = new CeGoldilocks().Analyze(context);

        var widening = Compared(result, "zoneWidening");
        widening.PerSeed[0].Should().BeGreaterThan(0.2);
        widening.Verdict.Should().Be(Verdict.Inconclusive, widening.Reason);
        widening.Reason.Should().Contain("upper bound");
    }
}
