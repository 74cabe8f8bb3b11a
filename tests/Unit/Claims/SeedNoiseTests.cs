using Grokking.Claims.Baselines;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// The cross-device allowance of a baseline's numbers (<see cref="SeedNoise"/>) against hand-computed cases and against
/// a simulation of what it claims: two independent n-seed means of the same chaotic quantity differ by more than it in
/// 0.1 % of re-runs.
/// </summary>
public sealed class SeedNoiseTests
{
    [Fact]
    public void Hand_computed_allowances()
    {
        // 3 + 3 seeds, spreads 2 and 2: t(0.9995; 4) = 8.610 x sqrt(4/3 + 4/3) = 8.610 x 1.63299 = 14.0601.
        SeedNoise.Allowance(2, 3, 2, 3).Should().BeApproximately(14.0601, 1e-4);

        // 4 + 4 seeds, spreads 3 and 4: t(0.9995; 6) = 5.959 x sqrt(9/4 + 16/4) = 5.959 x 2.5 = 14.8975.
        SeedNoise.Allowance(3, 4, 4, 4).Should().BeApproximately(14.8975, 1e-4);
    }

    [Theory]
    [InlineData(1, 636.619)]
    [InlineData(4, 8.610)]
    [InlineData(6, 5.959)]
    [InlineData(16, 4.015)]
    [InlineData(30, 3.646)]
    public void The_999_quantiles_match_the_textbook_table_and_the_exact_distribution(int df, double printed)
    {
        SeedNoise.Quantile9995(df).Should().Be(printed);
        SeedNoise.Quantile9995(df).Should().BeApproximately(
            Audit.StatisticsTests.ExactQuantile(df, 0.999), 0.0005 * printed, "the table rounds to three decimals");
    }

    [Fact]
    public void Above_the_table_the_quantile_stays_at_its_last_entry_wider_than_the_exact_one()
    {
        SeedNoise.Quantile9995(60).Should().Be(3.646);
        SeedNoise.Quantile9995(60).Should().BeGreaterThan(Audit.StatisticsTests.ExactQuantile(60, 0.999));
        var none = () => SeedNoise.Quantile9995(0);
        none.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void A_side_without_a_spread_or_a_count_borrows_the_others_and_none_allows_nothing()
    {
        SeedNoise.Allowance(null, null, 2, 3).Should().Be(SeedNoise.Allowance(2, 3, 2, 3), "an old baseline without a spread");
        SeedNoise.Allowance(2, null, null, 4).Should().Be(SeedNoise.Allowance(2, 4, 2, 4), "an old paper file without a count");
        SeedNoise.Allowance(null, null, null, null).Should().Be(0, "no spread on either side: the claim's tolerance alone");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Two_independent_seed_means_exceed_it_in_one_re_run_in_a_thousand(int seeds)
    {
        // Each side draws its seeds from the same normal distribution and reports its mean and sample spread, as a run on
        // one device and a re-run on another would; the allowance is computed from the spreads the two sides measured.
        var random = new Random(20261207);
        const int reRuns = 200_000;
        int beyond = 0;
        for (int i = 0; i < reRuns; i++)
        {
            var (meanA, spreadA) = Draw(random, seeds);
            var (meanR, spreadR) = Draw(random, seeds);
            beyond += Math.Abs(meanA - meanR) > SeedNoise.Allowance(spreadA, seeds, spreadR, seeds) ? 1 : 0;
        }

        // Expected 200 (0.1 %); a binomial's 4.5 standard deviations either side is 136-264.
        beyond.Should().BeInRange(136, 264);
    }

    private static (double Mean, double Spread) Draw(Random random, int seeds)
    {
        var values = Enumerable.Range(0, seeds).Select(_ => Normal(random)).ToList();
        return (values.Average(), BaselineMetric.SpreadOf(values)!.Value);
    }

    /// <summary>A standard normal draw (Box-Muller).</summary>
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
