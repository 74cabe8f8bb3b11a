using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>OG-7's decision on synthetic fraction sweeps (3 seeds, rows every 100 steps, 20,000-step budget).</summary>
public class DataSizeDependenceTests
{
    private static readonly double[] Fractions = [0.1, 0.2, 0.3, 0.5, 0.7];

    [Fact]
    public void The_curve_test_finds_the_critical_fraction_and_the_trend()
    {
        var c = DataSizeCurve.Judge(Fractions, [double.NaN, double.NaN, 9000, 4000, 2000], 0.1);

        c.Holds.Should().BeTrue();
        c.CriticalFraction.Should().Be(0.3);
        c.WorstRise.Should().Be(-0.5, "the largest relative change, 4000 -> 2000 (9000 -> 4000 is -0.56)");
    }

    [Theory]
    [InlineData(new[] { double.NaN, 9000, double.NaN, 4000, 2000 }, "fails above")]
    [InlineData(new[] { double.NaN, 4000, 5000, 4000, 2000 }, "rises by 25")]
    [InlineData(new[] { 12000.0, 9000, 6000, 4000, 2000 }, "no failing fraction")]
    [InlineData(new[] { double.NaN, double.NaN, double.NaN, double.NaN, 2000 }, "fewer than two")]
    public void Each_broken_part_of_the_curve_is_named(double[] times, string problem)
    {
        var c = DataSizeCurve.Judge(Fractions, times, 0.1);

        c.Holds.Should().BeFalse();
        c.Describe(Fractions, times).Should().Contain(problem);
    }

    [Fact]
    public void Decreasing_fractions_are_rejected()
    {
        var act = () => DataSizeCurve.Judge([0.5, 0.3], [1, 2], 0.1);
        act.Should().Throw<ArgumentException>();
    }

    internal static ClaimContext Context(Func<long, double, long?> testStep, bool sweep = true, bool withCriticalFactor = true)
    {
        var result = FractionSweepRun.Of(Fractions, 20_000, testStep, sweep);
        var claim = new ClaimDefinition
        {
            Id = "OG-7",
            Scope = new ScopeDeclaration { Kind = "universal", Reason = "as the claim file" },
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Paper = [new PaperValue("critical fraction", 0.25)],
            RuleParameters = withCriticalFactor
                ? [new("accuracyLevel", 0.95, "r"), new("timeSlack", 0.1, "r"), new("criticalFactor", 1.5, "r")]
                : [new("accuracyLevel", 0.95, "r"), new("timeSlack", 0.1, "r")],
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report);
    }

    private static AnalysisResult Analyze(Func<long, double, long?> testStep, bool sweep = true, bool withCriticalFactor = true) =>
        new DataSizeDependence().Analyze(Context(testStep, sweep, withCriticalFactor));

    private static ClaimDefinition Og7(params RuleParameter[] extra) => new()
    {
        Id = "OG-7",
        Analysis = "data-size-dependence",
        Paper = [new PaperValue("critical fraction", 0.25)],
        RuleParameters = [new("accuracyLevel", 0.95, "r"), new("timeSlack", 0.1, "r"), .. extra],
    };

    [Fact]
    public void The_critical_factor_is_optional_and_at_least_one()
    {
        Og7().ParametersAs<DataSizeDependence.Parameters>().Should().Be(new DataSizeDependence.Parameters(0.95, 0.1, 0.25, null));
        Og7(new RuleParameter("criticalFactor", 1.5, "r")).ParametersAs<DataSizeDependence.Parameters>().CriticalFactor.Should().Be(1.5);

        var below = () => Og7(new RuleParameter("criticalFactor", 0.5, "r")).ParametersAs<DataSizeDependence.Parameters>();
        below.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.criticalFactor' is 0.5, outside its range*");
    }

    [Fact]
    public void The_papers_critical_fraction_is_optional()
    {
        // OG-11's text gives no critical size: without a paper value the critical size is a measurement only.
        var claim = Og7();
        claim.Paper = [];

        claim.ParametersAs<DataSizeDependence.Parameters>().Should().Be(new DataSizeDependence.Parameters(0.95, 0.1, null, null));
    }

    private static long? Paper(long seed, double r) => r < 0.25 ? null : (long)(Math.Round(3000 / r / 100) * 100);

    [Fact]
    public void A_sweep_that_speeds_up_with_data_and_fails_below_the_critical_size_is_confirmed()
    {
        var result = Analyze(Paper);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Measured.Single(m => m.Key == "criticalFraction").Value.Should().Be(0.3);
        result.Measured.Single(m => m.Key == "tTest-r0.5").Value.Should().Be(6000);
        result.Measured.Single(m => m.Key == "tTest-r0.1").Value.Should().Be(double.NaN);
    }

    [Fact]
    public void A_critical_fraction_far_from_the_papers_refutes()
    {
        var result = Analyze((s, r) => r < 0.45 ? null : (long)(Math.Round(3000 / r / 100) * 100));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("critical fraction 0.5 is not within a factor 1.5");
    }

    [Fact]
    public void Without_a_critical_factor_the_critical_fraction_is_a_distance_only()
    {
        var result = Analyze((s, r) => r < 0.45 ? null : (long)(Math.Round(3000 / r / 100) * 100), withCriticalFactor: false);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var critical = result.Measured.Single(m => m.Key == "criticalFraction");
        critical.Value.Should().Be(0.5);
        critical.Tolerance.Should().Be("distance only");
    }

    [Fact]
    public void Without_a_critical_factor_a_sweep_with_no_failing_fraction_still_refutes()
    {
        var result = Analyze((s, r) => (long)(Math.Round(3000 / r / 100) * 100), withCriticalFactor: false);

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("no failing fraction");
    }

    [Fact]
    public void Slower_generalization_with_more_data_in_one_seed_refutes()
    {
        var result = Analyze((s, r) => s == 2 && r == 0.7 ? 9000 : Paper(s, r));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("seed 2");
    }

    [Fact]
    public void A_run_without_a_fraction_sweep_is_a_definition_error()
    {
        var act = () => Analyze(Paper, sweep: false);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Population:TrainFractions nor Population:TrainSamples*");
    }
}
