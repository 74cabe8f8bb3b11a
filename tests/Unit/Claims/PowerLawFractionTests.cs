using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-1's decision (<see cref="PowerLawFraction"/>) on synthetic fraction sweeps (<see cref="FractionSweepRun"/>):
/// 3 seeds, fractions doubling from 0.1 to 0.8 below which 0.05 never generalizes, a 50,000-step budget.
/// </summary>
public class PowerLawFractionTests
{
    private const long Budget = 50_000;
    private static readonly double[] Fractions = [0.05, 0.1, 0.2, 0.4, 0.8];

    /// <summary>Per-seed constants of an exact t = C_s (0.8 / r)²: integer times 64 C_s, 16 C_s, 4 C_s, C_s.</summary>
    private static readonly Dictionary<long, long> Constant = new() { [0] = 500, [1] = 600, [2] = 450 };

    private static long? Exact(long seed, double r) => r < 0.1 ? null : (long)Math.Round(Constant[seed] * (0.8 / r) * (0.8 / r));

    private static AnalysisResult Analyze(Func<long, double, long?> testStep, double paperExponent = 2, bool sweep = true, (long Seed, double Fraction)? diverges = null)
    {
        var result = FractionSweepRun.Of(Fractions, Budget, testStep, sweep, diverges);
        var claim = new ClaimDefinition
        {
            Id = "PG-1",
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Paper = [new PaperValue("exponent", paperExponent)],
            RuleParameters = [new("valLevel", 0.95, "r"), new("minFractions", 3, "r"), new("minRSquared", 0.9, "r")],
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new PowerLawFraction().Analyze(new ClaimContext(claim, result, "dir", Profile.Ci, report));
    }

    private static double Value(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key).Value;

    [Fact]
    public void An_exact_inverse_square_law_is_confirmed_with_k_two()
    {
        // Every seed has slope exactly -2 on the same fractions, so every bootstrap resample (and the pooled fit, whose
        // seed offsets are uncorrelated with log r) gives -2: the interval collapses onto k = 2.
        var result = Analyze(Exact);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Value(result, "exponent").Should().BeApproximately(2, 1e-9);
        Value(result, "exponentLow").Should().BeApproximately(2, 1e-9);
        Value(result, "exponentHigh").Should().BeApproximately(2, 1e-9);
        Value(result, "points").Should().Be(12);
        Value(result, "criticalFraction").Should().Be(0.1);
        Value(result, "t-r0.8").Should().Be(500);
        Value(result, "t-r0.1").Should().Be(64 * 500);
        Value(result, "never-r0.05").Should().Be(3);
        double.IsNaN(Value(result, "t-r0.05")).Should().BeTrue();
        result.Reason.Should().Contain("critical fraction 0.1");
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void A_noisy_power_law_contains_its_exponent_in_the_bootstrap_interval()
    {
        // t = 1000 r^-1.5 times a ±6% factor that differs by seed and fraction: the seeds' slopes differ, the interval
        // has width, and the true k = 1.5 lies inside it.
        double[] noise = [1.04, 0.95, 1.06, 0.97, 1.02, 0.94, 1.05, 0.98, 1.01, 0.96, 1.03, 0.99, 1.0, 1.06, 0.95];
        var result = Analyze((s, r) => r < 0.1 ? null : (long)Math.Round(1000 * Math.Pow(r, -1.5) * noise[(s * 5) + Array.IndexOf(Fractions, r)]));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Value(result, "exponentLow").Should().BeLessThan(1.5);
        Value(result, "exponentHigh").Should().BeGreaterThan(1.5);
        Value(result, "exponent").Should().BeApproximately(1.5, 0.1);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2)]
    [InlineData(10)]
    public void The_papers_exponent_is_reported_but_does_not_decide(double paperExponent)
    {
        var result = Analyze(Exact, paperExponent);

        result.Verdict.Should().Be(Verdict.Confirmed);
        result.Measured.Single(m => m.Key == "exponent").Paper.Should().Be(paperExponent);
    }

    [Fact]
    public void A_time_that_does_not_fall_with_the_fraction_is_refuted()
    {
        // Flat: slope 0 in every resample, k = 0 is not > 0.
        var flat = Analyze((s, r) => r < 0.1 ? null : 3000);

        flat.Verdict.Should().Be(Verdict.Refuted);
        flat.Reason.Should().Contain("does not fall with r (k = 0, not > 0)");

        // Rising as r^0.5 in every seed: the exponent's interval lies wholly below 0.
        var rising = Analyze((s, r) => r < 0.1 ? null : (long)Math.Round(Constant[s] * Math.Sqrt(r / 0.1)));
        rising.Verdict.Should().Be(Verdict.Refuted, rising.Reason);
        rising.Comparisons.Single(c => c.Key == "exponent").Verdict.Should().Be(Verdict.Refuted);
        Value(rising, "exponent").Should().BeApproximately(-0.5, 1e-3);
    }

    [Fact]
    public void A_curve_that_falls_and_flattens_is_not_a_power_law()
    {
        // log t = 4.60, 3.48, 3.30, 3.26 against log r = -1, -0.70, -0.40, -0.10: slope -1.40 but R² 0.73 < 0.9.
        long?[] times = [null, 40_000, 3000, 2000, 1800];
        var result = Analyze((s, r) => times[Array.IndexOf(Fractions, r)]);

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: R² of the log-log fit of t against r >= 0.9: 0.7325 [0.7325, 0.7325]")
            .And.Contain("CONFIRMED: exponent k of t ~ 1/r^k >= 0");
        Value(result, "exponent").Should().BeApproximately(1.4007, 1e-4);
    }

    [Fact]
    public void Too_few_generalizing_fractions_leave_the_fit_undecided()
    {
        // Only 0.4 and 0.8 generalize in every seed (0.2 fails in seed 1): 2 < minFractions 3.
        var result = Analyze((s, r) => r < 0.2 || (r == 0.2 && s == 1) ? null : Exact(s, r));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("only 2 of 5 fractions").And.Contain("r 0.2 (1 of 3 seeds never)")
            .And.Contain("(the line through them, reported only: k = ");
        Value(result, "exponent").Should().BeApproximately(2, 0.1, "the line through the two generalizing fractions is still measured and reported");
        Value(result, "criticalFraction").Should().Be(0.4);
        Value(result, "never-r0.2").Should().Be(1);
        result.Comparisons.Select(c => c.Key).Should().Equal("rSquared", "exponent");
        result.Comparisons.Should().OnlyContain(c => c.Verdict == Verdict.Inconclusive && c.Reason.StartsWith("not decisive (only 2 of 5"));
    }

    [Fact]
    public void A_fraction_failing_above_a_generalizing_one_refutes()
    {
        var result = Analyze((s, r) => r == 0.4 && s == 2 ? null : Exact(s, r));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("r 0.4 fails above r 0.1");
        Value(result, "criticalFraction").Should().Be(0.8);
    }

    [Fact]
    public void A_diverged_member_is_named_and_leaves_the_claim_undecided()
    {
        // Seed 2 at r 0.2 diverges at step 1000, before its time 4 * 450 = 1800: censored, not a failure to generalize.
        var result = Analyze(Exact, diverges: (2, 0.2));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("seed 2 at r 0.2 (at step 1000)");
    }

    [Fact]
    public void A_run_without_a_fraction_sweep_is_a_definition_error()
    {
        var act = () => Analyze(Exact, sweep: false);
        act.Should().Throw<InvalidOperationException>().WithMessage("*Population:TrainFractions*");
    }
}
