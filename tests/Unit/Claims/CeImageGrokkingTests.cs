using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using static Grokking.Tests.Unit.Claims.ImageGrokkingRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-13's decision (Omnigrok Fig. 12: cross-entropy at alpha = 100) by OG-6's rule (<see cref="ImageGrokking"/>) on
/// synthetic runs (<see cref="ImageGrokkingRun"/>): alpha 100 and alpha 1 members of 3 seeds, with the paper's MNIST levels
/// (plateau 0.35, final 0.75) stated, which the rule reports as distances and never judges.
/// </summary>
public class CeImageGrokkingTests
{
    private static readonly PaperValue[] PaperLevels = [new("plateau test accuracy", 0.35), new("final test accuracy", 0.75)];

    private static ClaimContext ContextOf(Func<long, double, Curve> curve) =>
        ImageGrokkingRun.Context("OG-13", (100, 1), curve, PaperLevels);

    private static AnalysisResult Analyze(Func<long, double, Curve> curve) => new ImageGrokking().Analyze(ContextOf(curve));

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    private static MeasuredValue Value(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key);

    /// <summary>
    /// Fig. 12's picture: alpha 100 fits at 1,000 with test accuracy at 0.35, plateaus, and rises to 0.75 at 30,000 (delay
    /// 30); alpha 1 (Fig. 11's point A) fits at 800 with test at 0.82 from step 500.
    /// </summary>
    private static Curve Figure12(long seed, double alpha) =>
        alpha == 100 ? new Curve(1000, 30_000, 0.35, 0.75) : new Curve(800, 500, 0.1, 0.82);

    [Fact]
    public void An_early_plateau_then_a_late_rise_at_alpha_100_is_confirmed_with_zero_distances_to_the_paper()
    {
        var context = ContextOf(Figure12);
        var result = new ImageGrokking().Analyze(context);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Compared(result, "delay-a100").PerSeed.Should().Equal(30, 30, 30);
        Value(result, "plateau-a100").Value.Should().BeApproximately(0.35, 1e-12);
        Value(result, "plateau-a100").Paper.Should().Be(0.35);
        Value(result, "maxTest-a100").Paper.Should().Be(0.75);
        Value(result, "maxTest-a1").Paper.Should().BeNull();
        result.Reason.Should().Contain("test accuracy at the fit step 35.0 % against 35.0 % (+0.0 points)")
            .And.Contain("maximum test accuracy 75.0 % against 75.0 % (+0.0 points)");
        result.Figures.Should().ContainSingle();
        string svg = File.ReadAllText(Path.Combine(context.ReportDirectory, result.Figures[0].SvgPath!));
        svg.Should().Contain("paper&apos;s plateau test accuracy (MNIST) 35 %").And.Contain("paper&apos;s final test accuracy (MNIST) 75 %");
    }

    [Fact]
    public void Levels_far_from_the_papers_MNIST_ones_are_distances_and_do_not_decide()
    {
        // Fashion-MNIST-like levels: the plateau at 0.60 and the late top at 0.85 differ from MNIST's 0.35 and 0.75 by
        // 25 and 10 points, yet the shape (a fit, a plateau, a rise 30x later) is the claim's.
        var result = Analyze((s, a) => a == 100 ? new Curve(1000, 30_000, 0.60, 0.85) : Figure12(s, a));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Comparisons.Select(c => c.Key).Should().Equal("delay-a100", "ceiling-a100", "delay-a1");
        result.Reason.Should().Contain("(+25.0 points)").And.Contain("(+10.0 points)");
        Value(result, "plateau-a100").Tolerance.Should().Contain("distance, never a threshold");
    }

    [Fact]
    public void A_plateau_that_never_rises_after_the_fit_is_refuted()
    {
        // The pilot's Fashion-MNIST picture: alpha 100 fits at 1,300 while test accuracy stands at its maximum 0.636 from
        // step 500 on (rise / fit 0.38); the plateau is the whole run.
        var result = Analyze((s, a) => a == 100 ? new Curve(1300, 500, 0.1, 0.636) : Figure12(s, a));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Compared(result, "delay-a100").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "ceiling-a100").Verdict.Should().Be(Verdict.Confirmed);
        Value(result, "plateau-a100").Value.Should().BeApproximately(0.636, 1e-12);
        result.Reason.Should().Contain("(+28.6 points)").And.Contain("(-11.4 points)");
    }

    [Fact]
    public void A_large_init_that_never_fits_leaves_the_delay_without_a_value_and_the_plateau_distance_unmeasured()
    {
        // Train accuracy stays at 0.3: no fit step, so no delay and no plateau level; the claim cannot be decided.
        var result = Analyze((s, a) => a == 100 ? new Curve(ImageGrokkingRun.Steps + 1, 500, 0.1, 0.6) : Figure12(s, a));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        Compared(result, "delay-a100").Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("test accuracy at the fit step: no value (no seed has it) against 35.0 %");
    }

    [Fact]
    public void One_seed_rising_only_three_times_after_its_fit_is_inconclusive_within_noise()
    {
        // Delays 30, 3, 30 (mean 21, sd 15.6, t-interval [-17.7, 59.7]) straddle 10.
        var result = Analyze((s, a) => a == 100 && s == 2 ? new Curve(1000, 3000, 0.35, 0.75) : Figure12(s, a));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var delay = Compared(result, "delay-a100");
        delay.PerSeed.Should().Equal(30, 30, 3);
        delay.Verdict.Should().Be(Verdict.Inconclusive);
        delay.Reason.Should().Contain("within noise");
        delay.SeedsNeeded.Should().NotBeNull();
    }

    [Fact]
    public void The_control_reads_alpha_1_as_the_grokking_initialization_and_is_refuted_without_paper_distances()
    {
        var claim = new ImageGrokking().Analyze(ContextOf(Figure12));
        var control = new ImageGrokking().AnalyzeControl(ContextOf(Figure12));

        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "delay-a1").Relation.Should().Be(Relation.AtLeast);
        Compared(control, "delay-a100").Relation.Should().Be(Relation.AtMost);
        control.Reason.Should().NotContain("MNIST figures");
        control.Figures.Should().BeEmpty();
    }

    [Fact]
    public void Without_paper_levels_the_rule_reports_no_plateau_and_no_distance()
    {
        // OG-6 and OG-8 state no levels: their measured values and baselines stay as they were.
        var result = new ImageGrokking().Analyze(ImageGrokkingRun.Context("OG-6", (100, 1), Figure12));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Measured.Select(m => m.Key).Should().Equal("fit-a100", "rise-a100", "maxTest-a100", "fit-a1", "rise-a1", "maxTest-a1");
        result.Measured.Should().OnlyContain(m => m.Paper == null);
        result.Reason.Should().NotContain("MNIST figures");
    }
}
