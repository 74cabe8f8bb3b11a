using Grokking.Claims.Analyses;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-2's math (early-window Hjorth parameters and the Spearman permutation test) against references computed by hand or
/// known in closed form, not against the code's own output.
/// </summary>
public sealed class SpectralSignatureTests
{
    private static HjorthParameters Hjorth(params double[] losses) => HjorthParameters.Of(EarlyLossWindow.Of(losses, losses.Length));

    [Fact]
    public void A_straight_line_has_zero_mobility_and_no_complexity()
    {
        // L = [1, 2, 3]: energy 1 + 4 + 9 = 14; mean 2, deviations -1, 0, 1, variance 2/3;
        // ΔL = [1, 1] has variance 0, so mobility = sqrt(0 / (2/3)) = 0 and complexity divides by it: NaN.
        var h = Hjorth(1, 2, 3);

        h.Energy.Should().Be(14);
        h.Activity.Should().BeApproximately(2.0 / 3, 1e-15);
        h.Mobility.Should().Be(0);
        double.IsNaN(h.Complexity).Should().BeTrue();
    }

    [Fact]
    public void A_five_point_series_matches_the_hand_computation()
    {
        // L = [1, 3, 2, 5, 4]: energy 1 + 9 + 4 + 25 + 16 = 55.
        // mean 3, deviations -2, 0, -1, 2, 1, squares sum 10, var(L) = 10/5 = 2.
        // ΔL = [2, -1, 3, -1]: mean 3/4, deviations 5/4, -7/4, 9/4, -7/4, squares (25 + 49 + 81 + 49)/16 = 204/16,
        //   var(ΔL) = 204/64 = 51/16.
        // Δ²L = [-3, 4, -4]: mean -1, deviations -2, 5, -3, squares sum 38, var(Δ²L) = 38/3.
        // Mobility² = (51/16) / 2 = 51/32; Mobility(ΔL)² = (38/3) / (51/16) = 608/153;
        // Complexity² = (608/153) / (51/32) = 19456/7803.
        var h = Hjorth(1, 3, 2, 5, 4);

        h.Energy.Should().Be(55);
        h.Activity.Should().Be(2);
        h.Mobility.Should().BeApproximately(Math.Sqrt(51.0 / 32), 1e-12);
        h.Complexity.Should().BeApproximately(Math.Sqrt(19456.0 / 7803), 1e-12);
    }

    [Fact]
    public void A_constant_series_gives_nan_ratios_without_throwing()
    {
        var h = Hjorth(0.1, 0.1, 0.1, 0.1);

        h.Energy.Should().BeApproximately(0.04, 1e-15);
        h.Activity.Should().Be(0);
        double.IsNaN(h.Mobility).Should().BeTrue();
        double.IsNaN(h.Complexity).Should().BeTrue();
    }

    [Fact]
    public void A_sampled_sine_has_the_discrete_difference_mobility_and_unit_complexity()
    {
        // L_t = sin(ωt): ΔL_t = 2 sin(ω/2) cos(ω(t + 1/2)), a tone of the same frequency scaled by 2 sin(ω/2), and so is
        // Δ²L relative to ΔL; over whole periods var ≈ amplitude²/2, so Mobility = 2 sin(ω/2) and Complexity = 1.
        const double omega = 0.3;
        var losses = Enumerable.Range(0, 20_000).Select(t => Math.Sin(omega * t)).ToArray(); // about 955 periods

        var h = Hjorth(losses);

        h.Activity.Should().BeApproximately(0.5, 1e-2);
        h.Mobility.Should().BeApproximately(2 * Math.Sin(omega / 2), 1e-2);
        h.Complexity.Should().BeApproximately(1, 2e-2);
    }

    [Fact]
    public void White_noise_has_mobility_root_two_and_complexity_root_three_halves()
    {
        // iid noise of variance σ²: var(ΔL) = var(x1 - x0) = 2σ², var(Δ²L) = var(x2 - 2x1 + x0) = (1 + 4 + 1)σ² = 6σ²,
        // so Mobility(L) = √2, Mobility(ΔL) = √(6/2) = √3 and Complexity = √3/√2 = √(3/2).
        var random = new Random(7);
        var losses = Enumerable.Range(0, 100_000).Select(_ => Gaussian(random)).ToArray();

        var h = Hjorth(losses);

        h.Activity.Should().BeApproximately(1, 0.05);
        h.Mobility.Should().BeApproximately(Math.Sqrt(2), 0.05);
        h.Complexity.Should().BeApproximately(Math.Sqrt(1.5), 0.05);
    }

    [Fact]
    public void The_window_keeps_only_a_copy_of_the_first_steps()
    {
        var source = new List<double> { 5, 4, 3, 2, 1, 0.5 };

        var window = EarlyLossWindow.Of(source, 4);
        source[0] = 99;
        source[3] = 99;

        window.Steps.Should().Be(4);
        window.Losses.Should().Equal(5, 4, 3, 2);
    }

    [Theory]
    [InlineData(3, 4)]
    [InlineData(5, 2)]
    public void A_window_longer_than_the_series_or_too_short_is_rejected(int length, int steps)
    {
        var series = Enumerable.Repeat(1.0, length).ToArray();

        var act = () => EarlyLossWindow.Of(series, steps);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("steps");
    }

    [Fact]
    public void Spearman_matches_a_hand_computed_case_with_ties()
    {
        // x = [10, 20, 20, 30, 40] -> ranks [1, 2.5, 2.5, 4, 5]  (the two 20s share ranks 2 and 3)
        // y = [ 1,  3,  2,  2,  5] -> ranks [1, 4, 2.5, 2.5, 5]  (the two 2s share ranks 2 and 3)
        // centered (mean rank 3): rx = [-2, -0.5, -0.5, 1, 2], ry = [-2, 1, -0.5, -0.5, 2]
        // Σ rx·ry = 4 - 0.5 + 0.25 - 0.5 + 4 = 7.25; Σ rx² = Σ ry² = 4 + 0.25 + 0.25 + 1 + 4 = 9.5
        // rho = 7.25 / 9.5 = 29/38
        SpearmanTest.Ranks([10, 20, 20, 30, 40]).Should().Equal(1, 2.5, 2.5, 4, 5);
        SpearmanTest.Ranks([1, 3, 2, 2, 5]).Should().Equal(1, 4, 2.5, 2.5, 5);

        var s = SpearmanTest.Of([10, 20, 20, 30, 40], [1, 3, 2, 2, 5], permutations: 1000);

        s.Rho.Should().BeApproximately(29.0 / 38, 1e-12);
        s.N.Should().Be(5);
        s.Permutations.Should().Be(1000);
    }

    [Fact]
    public void Spearman_is_one_for_increasing_and_minus_one_for_decreasing_transforms()
    {
        double[] x = [0.3, -1.2, 2.5, 0.0, 7.1, 4.4, -3.3, 1.9];

        SpearmanTest.Of(x, x.Select(v => Math.Exp(v) + (v * v * v)).ToArray(), 100).Rho.Should().BeApproximately(1, 1e-12);
        SpearmanTest.Of(x, x.Select(v => -Math.Atan(v) - (5 * v)).ToArray(), 100).Rho.Should().BeApproximately(-1, 1e-12);
    }

    [Fact]
    public void Perfectly_monotone_data_of_ten_runs_is_significant()
    {
        // Only 2 of the 10! = 3,628,800 orders reach |rho| = 1 (p ≈ 5.5e-7), so 10,000 shuffles almost surely give
        // p = 1/10001.
        var x = Enumerable.Range(1, 10).Select(i => (double)i).ToArray();
        var y = x.Select(v => -v * v).ToArray();

        var s = SpearmanTest.Of(x, y);

        s.Rho.Should().BeApproximately(-1, 1e-12);
        s.PValue.Should().BeLessThan(0.001);
        s.PValue.Should().BeGreaterThan(0, "the observed order counts as one permutation");
    }

    [Fact]
    public void Independent_random_data_is_not_significant()
    {
        // With these seeds rho = 0.239 and p = 0.205 (checked once): far from the 0.05 line, so the test is not fragile.
        var random = new Random(42);
        var x = Enumerable.Range(0, 30).Select(_ => random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 30).Select(_ => random.NextDouble()).ToArray();

        var s = SpearmanTest.Of(x, y, seed: 1);

        s.N.Should().Be(30);
        s.PValue.Should().BeGreaterThan(0.05);
    }

    [Fact]
    public void Pairs_with_a_nan_are_dropped()
    {
        var s = SpearmanTest.Of([1, double.NaN, 2, 3, 4, 5], [2, 7, 4, double.NaN, 6, 8], 100);
        var clean = SpearmanTest.Of([1, 2, 4, 5], [2, 4, 6, 8], 100);

        s.N.Should().Be(4);
        s.Rho.Should().Be(1);
        s.Should().Be(clean);
    }

    [Fact]
    public void Spearman_is_nan_for_too_few_pairs_or_a_constant_side_and_rejects_unequal_lengths()
    {
        var few = SpearmanTest.Of([1, 2, double.NaN], [3, 4, 5]);
        var constant = SpearmanTest.Of([1, 2, 3, 4], [0.5, 0.5, 0.5, 0.5]);

        few.N.Should().Be(2);
        double.IsNaN(few.Rho).Should().BeTrue();
        double.IsNaN(few.PValue).Should().BeTrue();
        double.IsNaN(constant.Rho).Should().BeTrue();
        double.IsNaN(constant.PValue).Should().BeTrue();
        var act = () => SpearmanTest.Of([1, 2, 3], [1, 2]);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void The_p_value_is_fixed_by_the_seed()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] y = [2, 1, 4, 3, 8, 5, 6, 7];

        var a = SpearmanTest.Of(x, y, 2000, seed: 3);
        var b = SpearmanTest.Of(x, y, 2000, seed: 3);

        a.Should().Be(b);
        a.PValue.Should().BeInRange(1.0 / 2001, 1);
    }

    /// <summary>Standard normal by Box-Muller.</summary>
    private static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(); // (0, 1], so the log is finite
        double u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
