using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Claims;

public class FractionSweepTests
{
    private static ClaimContext Context(IReadOnlyList<double> fractions, Func<long, double, long?> testStep) =>
        new(
            new ClaimDefinition { Id = "PG-6", Seeds = [0, 1, 2], Members = new MemberFilter() },
            FractionSweepRun.Of(fractions, 3000, testStep),
            "dir",
            Profile.Ci,
            "report");

    [Fact]
    public void The_grokking_run_is_the_smallest_fraction_every_seed_generalizes_at_and_the_fast_run_the_largest()
    {
        // r = 0.3 never generalizes; r = 0.4 fails in seed 2 only; r = 0.5 generalizes in every seed.
        long? Step(long seed, double r) => r < 0.35 || (r < 0.45 && seed == 2) ? null : 1000;

        FractionSweep.Extremes(Context([0.3, 0.4, 0.5, 0.6, 0.8], Step), 0.99).Should().Be((0.5, 0.8));
    }

    [Fact]
    public void Without_a_generalizing_fraction_the_smallest_is_read_and_one_fraction_is_both()
    {
        FractionSweep.Extremes(Context([0.3, 0.8], (_, _) => null), 0.99).Should().Be((0.3, 0.8));
        FractionSweep.Extremes(Context([0.5], (_, _) => 700), 0.99).Should().Be((0.5, 0.5));
    }

    [Fact]
    public void The_largest_fraction_is_never_also_the_grokking_run()
    {
        // Only the largest fraction generalizes: the grokking run falls back to the smallest, so the two differ.
        FractionSweep.Extremes(Context([0.3, 0.8], (_, r) => r > 0.5 ? 500 : null), 0.99).Should().Be((0.3, 0.8));
    }
}
