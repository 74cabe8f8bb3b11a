using Grokking.Claims.Toolkit;

namespace Grokking.Tests.Unit.Claims.Audit;

/// <summary>
/// The interval statistics of the audit core against independent references: Student-t quantiles against the printed
/// table and against the exact t distribution function (Abramowitz and Stegun 26.7.3-4, solved by bisection), the
/// Wilson interval against a case worked by hand, and the seed interval and its seeds-to-decide against a direct check.
/// </summary>
public sealed class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(2, 4.303)]
    [InlineData(4, 2.776)]
    [InlineData(10, 2.228)]
    [InlineData(30, 2.042)]
    public void Student_t_quantiles_match_the_textbook_table(int df, double printed)
    {
        TDistribution.Quantile975(df).Should().Be(printed);
        TDistribution.Quantile975(df).Should().BeApproximately(ExactQuantile975(df), 0.0005, "the table is rounded to three decimals");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(40)]
    [InlineData(60)]
    [InlineData(120)]
    [InlineData(500)]
    public void Student_t_quantiles_above_the_table_match_the_exact_distribution(int df)
    {
        TDistribution.Quantile975(df).Should().BeApproximately(ExactQuantile975(df), 1e-4);
    }

    [Fact]
    public void Student_t_at_60_degrees_is_the_published_2_0003_and_no_degrees_is_an_error()
    {
        // Published tables: t(0.975; 60) = 2.000 (to four decimals 2.0003); the exact reference agrees.
        ExactQuantile975(60).Should().BeApproximately(2.0003, 5e-5);
        TDistribution.Quantile975(60).Should().BeApproximately(2.0003, 5e-5);
        var act = () => TDistribution.Quantile975(0);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Wilson_interval_of_3_of_5_matches_the_hand_computation()
    {
        // p = 0.6, n = 5, z² = 3.8415: centre (0.6 + 0.3841) / 1.7683 = 0.5566, half 1.96 · √(0.048 + 0.0384) / 1.7683 = 0.3258.
        var interval = WilsonInterval.Of(3, 5);

        interval.Share.Should().Be(0.6);
        interval.Low.Should().BeApproximately(0.2307, 1e-4);
        interval.High.Should().BeApproximately(0.8824, 1e-4);
    }

    [Fact]
    public void Wilson_interval_stays_inside_0_1_at_the_ends_and_is_undefined_without_trials()
    {
        WilsonInterval.Of(0, 10).Low.Should().BeApproximately(0, 1e-12);
        WilsonInterval.Of(0, 10).High.Should().BeApproximately(0.2775, 1e-4);
        WilsonInterval.Of(10, 10).High.Should().BeApproximately(1, 1e-12);
        WilsonInterval.Of(10, 10).Low.Should().BeApproximately(0.7225, 1e-4);
        double.IsNaN(WilsonInterval.Of(0, 0).Share).Should().BeTrue();
    }

    [Fact]
    public void Wilson_trials_to_decide_is_the_first_count_whose_interval_excludes_the_threshold()
    {
        var interval = WilsonInterval.Of(3, 5);

        int n = interval.TrialsToDecide(0.66)!.Value;

        Excludes(n, 0.6, 0.66).Should().BeTrue();
        Enumerable.Range(6, n - 6).Should().OnlyContain(m => !Excludes(m, 0.6, 0.66), "no smaller count decides");
        interval.TrialsToDecide(0.6).Should().BeNull("the share sits on the threshold");
    }

    [Fact]
    public void Seed_interval_of_1_2_3_is_the_mean_plus_minus_t2_sd_over_root_3()
    {
        var interval = SeedInterval.Of([1.0, 2.0, 3.0]);

        interval.Mean.Should().Be(2);
        interval.StandardDeviation.Should().Be(1);
        interval.Low.Should().BeApproximately(2 - (4.303 / Math.Sqrt(3)), 1e-12);
        interval.High.Should().BeApproximately(2 + (4.303 / Math.Sqrt(3)), 1e-12);
        interval.Count.Should().Be(3);
    }

    [Fact]
    public void Seed_interval_of_one_value_is_unbounded_and_of_none_undefined()
    {
        var one = SeedInterval.Of([0.5]);
        one.Low.Should().Be(double.NegativeInfinity);
        one.High.Should().Be(double.PositiveInfinity);
        double.IsNaN(SeedInterval.Of([]).Mean).Should().BeTrue();
    }

    [Fact]
    public void Seeds_to_decide_is_the_first_count_whose_interval_at_this_spread_clears_the_threshold()
    {
        var interval = SeedInterval.Of([0.079, 0.134, 0.135, 0.233]);
        double gap = Math.Abs(interval.Mean - 0.1);

        int n = interval.SeedsToDecide(0.1)!.Value;

        n.Should().BeGreaterThan(4);
        (TDistribution.Quantile975(n - 1) * interval.StandardDeviation / Math.Sqrt(n)).Should().BeLessThan(gap);
        (TDistribution.Quantile975(n - 2) * interval.StandardDeviation / Math.Sqrt(n - 1)).Should().BeGreaterThanOrEqualTo(gap);
        interval.SeedsToDecide(interval.Mean).Should().BeNull();
    }

    private static bool Excludes(int trials, double share, double threshold)
    {
        var at = WilsonInterval.Of((int)Math.Round(share * trials), trials);
        return at.Low > threshold || at.High < threshold;
    }

    private static double ExactQuantile975(int df) => ExactQuantile(df, 0.95);

    /// <summary>The t such that P(|T| &lt;= t) = coverage, by bisection on the closed form of A(t | df).</summary>
    internal static double ExactQuantile(int df, double coverage)
    {
        double low = 0, high = 1000;
        for (int i = 0; i < 200; i++)
        {
            double mid = (low + high) / 2;
            (TwoSidedProbability(mid, df) < coverage ? ref low : ref high) = mid;
        }

        return (low + high) / 2;
    }

    /// <summary>A(t | ν) = P(|T| ≤ t), Abramowitz and Stegun 26.7.3 (ν odd) and 26.7.4 (ν even), θ = atan(t / √ν).</summary>
    private static double TwoSidedProbability(double t, int df)
    {
        double theta = Math.Atan(t / Math.Sqrt(df)), c2 = Math.Cos(theta) * Math.Cos(theta);
        double sum = 1, term = 1;
        if (df % 2 == 0)
        {
            for (int k = 2; k <= df - 2; k += 2)
            {
                term *= (k - 1.0) / k * c2;
                sum += term;
            }

            return Math.Sin(theta) * sum;
        }

        if (df == 1)
        {
            return 2 * theta / Math.PI;
        }

        for (int k = 3; k <= df - 2; k += 2)
        {
            term *= (k - 1.0) / k * c2;
            sum += term;
        }

        return 2 / Math.PI * (theta + (Math.Sin(theta) * Math.Cos(theta) * sum));
    }
}
