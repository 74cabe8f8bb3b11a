using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-11's decision (OG-7's rule, typical scope, no paper value) on synthetic training-size sweeps
/// (Population:TrainSamples: seeds 0, 1, 2 x sizes, rows every 100 steps, 20,000-step budget).
/// </summary>
public class DataSizeDependenceSizeTests
{
    private static readonly double[] Sizes = [51, 100, 193, 372, 719];

    private static ClaimContext Context(Func<long, double, long?> testStep, (long, double)? diverges = null)
    {
        var result = FractionSweepRun.Of(Sizes, 20_000, testStep, diverges: diverges, samples: true);
        var claim = new ClaimDefinition
        {
            Id = "OG-11",
            Scope = new ScopeDeclaration { Kind = "typical", Reason = "as the claim file" },
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Paper = [],
            RuleParameters = [new("accuracyLevel", 0.6, "r"), new("timeSlack", 0.1, "r")],
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report);
    }

    private static AnalysisResult Analyze(Func<long, double, long?> testStep, (long, double)? diverges = null) =>
        new DataSizeDependence().Analyze(Context(testStep, diverges));

    private static AnalysisResult Control(Func<long, double, long?> testStep) =>
        new DataSizeDependence().AnalyzeControl(Context(testStep));

    /// <summary>t(N) = 1.5 x 10^6 / N (rounded to 100 steps), never below 150 images: the shape of Fig. 3e.</summary>
    private static long? Critical(long seed, double n) => n < 150 ? null : (long)(Math.Round(1.5e6 / n / 100) * 100);

    [Fact]
    public void Faster_with_more_images_and_never_below_a_critical_size_is_confirmed_with_the_size_measured_only()
    {
        var result = Analyze(Critical);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var critical = result.Measured.Single(m => m.Key == "criticalSize");
        critical.Value.Should().Be(193);
        critical.Paper.Should().BeNull();
        critical.Tolerance.Should().Be("measured only");
        result.Measured.Single(m => m.Key == "tTest-n372").Value.Should().Be(4000, "1.5e6 / 372 = 4032, rounded to 100 steps");
        result.Measured.Single(m => m.Key == "tTest-n51").Value.Should().Be(double.NaN);
        result.Reason.Should().Contain("critical training-set size 193");
        result.Comparisons.Single().Scope.Should().Be(ClaimScope.Typical);
    }

    [Fact]
    public void Slower_generalization_with_more_images_in_every_seed_refutes()
    {
        // Each seed's time rises 50% from 372 to 719 images: the interval of the worst rise lies wholly above 0.1.
        var result = Analyze((s, n) => n == 719 ? 6000 + (100 * s) : Critical(s, n));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Comparisons.Single().Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void A_rise_that_straddles_the_slack_across_seeds_is_inconclusive_within_noise()
    {
        // Worst rises per seed: -0.50 (the 372 -> 719 fall), +0.25 and +0.05 (seeds 1, 2 at 719 images); the
        // 3-seed Student-t interval of their mean straddles 0.1.
        var result = Analyze((s, n) => n == 719 ? s switch { 1 => 5000, 2 => 4200, _ => Critical(s, n) } : Critical(s, n));

        var trend = result.Comparisons.Single();
        trend.Low.Should().BeLessThan(0.1);
        trend.High.Should().BeGreaterThan(0.1);
        trend.Verdict.Should().Be(Verdict.Inconclusive);
        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
    }

    [Fact]
    public void A_seed_that_generalizes_at_every_size_has_no_critical_size_and_refutes()
    {
        var result = Analyze((s, n) => s == 1 ? (long)(Math.Round(1.5e6 / n / 100) * 100) : Critical(s, n));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("no failing training-set size");
    }

    [Fact]
    public void A_diverged_member_leaves_a_failed_shape_undecided()
    {
        // Seed 0's 372-image member diverges before it reaches the level: a failure between 193 and 719, which both
        // generalize. A completed seed would refute; a diverged member might have generalized with the rest of its budget.
        var result = Analyze((s, n) => s == 0 && n == 372 ? null : Critical(s, n), diverges: (0, 372));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
    }

    [Fact]
    public void The_control_reads_the_train_curve_which_every_size_fits_and_refutes()
    {
        // FractionSweepRun's train accuracy is 1 from the first row: every size reaches the level at step 100.
        var result = Control(Critical);

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Reason.Should().Contain("no failing training-set size");
    }
}
