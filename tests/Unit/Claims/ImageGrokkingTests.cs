using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using static Grokking.Tests.Unit.Claims.ImageGrokkingRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-6's decision (<see cref="ImageGrokking"/>) on synthetic runs (<see cref="ImageGrokkingRun"/>): alpha 8 and alpha 1
/// members of 3 seeds.
/// </summary>
public class ImageGrokkingTests
{
    private static AnalysisResult Analyze(Func<long, double, Curve> curve, long? divergedSeedAtAlpha8 = null) =>
        new ImageGrokking().Analyze(ContextOf(curve, divergedSeedAtAlpha8));

    private static ClaimContext ContextOf(Func<long, double, Curve> curve, long? divergedSeedAtAlpha8 = null) =>
        ImageGrokkingRun.Context("OG-6", (8, 1), curve, divergedSeedAtLarge: divergedSeedAtAlpha8);

    /// <summary>The paper's picture: alpha 8 fits at 1,000 and its test accuracy rises at 30,000; alpha 1 fits at 800 with test at 500.</summary>
    private static Curve Paper(long seed, double alpha) => alpha == 8 ? new Curve(1000, 30_000, 0.15, 0.8) : new Curve(800, 500, 0.1, 0.82);

    [Fact]
    public void Large_init_grokking_and_standard_init_rising_together_is_confirmed()
    {
        var result = Analyze(Paper);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Measured.Single(m => m.Key == "rise-a8").Value.Should().Be(30_000);
        result.Measured.Single(m => m.Key == "fit-a8").Value.Should().Be(1000);
        result.Measured.Single(m => m.Key == "maxTest-a1").Value.Should().BeApproximately(0.82, 1e-12);
        result.Figures.Should().ContainSingle();
    }

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    [Fact]
    public void One_seed_rising_only_three_times_later_at_alpha_8_is_inconclusive_within_noise()
    {
        // Typical: delays 30, 3, 30 (mean 21, sd 15.6, t-interval [-17.7, 59.7]) straddle 10.
        var result = Analyze((s, a) => a == 8 && s == 1 ? new Curve(1000, 3000, 0.15, 0.8) : Paper(s, a));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var delay = Compared(result, "delay-a8");
        delay.PerSeed.Should().Equal(30, 3, 30);
        delay.Verdict.Should().Be(Verdict.Inconclusive);
        delay.Reason.Should().Contain("within noise");
        delay.SeedsNeeded.Should().NotBeNull();
        result.Reason.Should().Contain("seed 1").And.Contain("fast generalization");
    }

    [Fact]
    public void Test_accuracy_rising_only_three_times_later_at_alpha_8_in_every_seed_is_refuted()
    {
        var result = Analyze((s, a) => a == 8 ? new Curve(1000, 3000, 0.15, 0.8) : Paper(s, a));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "delay-a8").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "delay-a1").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void The_control_swaps_the_initializations_and_is_refuted_where_the_claim_is_confirmed()
    {
        new ImageGrokking().ControlName.Should().Be("standard-init-as-large");

        var claim = new ImageGrokking().Analyze(ContextOf(Paper));
        var control = new ImageGrokking().AnalyzeControl(ContextOf(Paper));

        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "delay-a1").Relation.Should().Be(Relation.AtLeast); // alpha 1 read as the grokking initialization
        control.Figures.Should().BeEmpty();
    }

    [Fact]
    public void A_standard_init_that_also_groks_refutes()
    {
        var result = Analyze((s, a) => a == 1 ? new Curve(800, 20_000, 0.1, 0.8) : Paper(s, a));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("alpha 1: fit at step 800").And.Contain("grokking");
    }

    [Fact]
    public void A_large_init_whose_test_accuracy_never_gets_far_is_refuted()
    {
        // Its maximum is 0.3 < minTestAccuracy 0.5: the "rise" is relative, so a low ceiling must be caught separately.
        var result = Analyze((s, a) => a == 8 ? new Curve(1000, 30_000, 0.1, 0.3) : Paper(s, a));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "ceiling-a8").Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("alpha 8: maximum test accuracy >= 0.5");
    }

    [Fact]
    public void A_large_init_member_that_diverged_before_its_rise_leaves_the_seed_undecided()
    {
        var result = Analyze(Paper, divergedSeedAtAlpha8: 2);

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("seed 2");
    }
}
