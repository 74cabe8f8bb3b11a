using Grokking.Claims.Analyses;

namespace Grokking.Tests.Unit.Claims;

public sealed class SlingshotMathTests
{
    private static readonly SpikeRule Rule = new(Window: 20, RelativeJump: 0.5, Refractory: 10);

    /// <summary>300 samples of 1 ± 0.1 (uniform, seeded) with the samples at <paramref name="spikes"/> raised to 4.</summary>
    private static double[] NoisyFlat(params int[] spikes)
    {
        var random = new Random(7);
        double[] x = Enumerable.Range(0, 300).Select(_ => 1 + (0.2 * (random.NextDouble() - 0.5))).ToArray();
        foreach (int i in spikes)
        {
            x[i] = 4;
        }

        return x;
    }

    [Fact]
    public void A_noisy_flat_series_gives_exactly_the_injected_spikes()
    {
        // Noise moves a sample at most 0.1 from the baseline median ~1, far below the threshold 0.5 * ~1.
        SpikeDetector.Onsets(NoisyFlat(60, 150, 240), Rule).Should().Equal(60, 150, 240);
        SpikeDetector.Onsets(NoisyFlat(), Rule).Should().BeEmpty();
    }

    [Fact]
    public void The_refractory_span_merges_a_two_sample_spike_into_one_onset()
    {
        double[] x = NoisyFlat(60, 150, 151, 240);

        SpikeDetector.Onsets(x, Rule).Should().Equal(60, 150, 240);
        SpikeDetector.Onsets(x, Rule with { Refractory = 0 }).Should().Equal([60, 150, 151, 240], "without it the spike's second sample is a second onset");
    }

    [Fact]
    public void Only_upward_jumps_after_a_full_baseline_are_onsets()
    {
        double[] x = NoisyFlat(10, 100);
        x[200] = -2;

        SpikeDetector.Onsets(x, Rule).Should().Equal([100], "index 10 has only 10 samples of history and index 200 is a dip");
    }

    [Fact]
    public void A_constant_series_has_no_onsets()
    {
        SpikeDetector.Onsets(Enumerable.Repeat(3.0, 50).ToArray(), Rule with { RelativeJump = 0 }).Should().BeEmpty();
        SpikeDetector.Onsets(Enumerable.Repeat(0.0, 50).ToArray(), Rule with { RelativeJump = 0 }).Should().BeEmpty("a zero scale must not turn equal samples into onsets");
    }

    [Fact]
    public void Smooth_exponential_growth_has_a_constant_growth_rate_and_no_onsets()
    {
        double[] norm = Enumerable.Range(0, 500).Select(t => 5 * Math.Exp(0.01 * t)).ToArray();

        double[] rate = SpikeDetector.GrowthRate(norm);

        double.IsNaN(rate[0]).Should().BeTrue();
        rate.Skip(1).Should().AllSatisfy(r => r.Should().BeApproximately(Math.Exp(0.01) - 1, 1e-12));
        SpikeDetector.Onsets(rate, Rule with { RelativeJump = 1e-6 }).Should().BeEmpty("rounding noise is far below a relative jump even of 1e-6");
    }

    [Fact]
    public void Spikes_in_a_growth_rate_that_hovers_around_zero_are_found()
    {
        // The norm wobbles by ±0.1% per sample (rate median ~0, median |rate| ~5e-4) and jumps 5% at 100 and 200.
        var random = new Random(3);
        double[] eps = Enumerable.Range(0, 300).Select(_ => 2e-3 * (random.NextDouble() - 0.5)).ToArray();
        eps[100] = eps[200] = 0.05;
        double[] norm = new double[300];
        norm[0] = 10;
        for (int t = 1; t < norm.Length; t++)
        {
            norm[t] = norm[t - 1] * (1 + eps[t]);
        }

        SpikeDetector.Onsets(SpikeDetector.GrowthRate(norm), new SpikeRule(Window: 20, RelativeJump: 10, Refractory: 5)).Should().Equal(100, 200);
    }

    [Fact]
    public void Nan_samples_are_neither_onsets_nor_baseline()
    {
        double n = double.NaN;
        var rule = new SpikeRule(Window: 3, RelativeJump: 0.5, Refractory: 0);

        SpikeDetector.Onsets([1.0, 1, 1, n, n, n, 5], rule).Should().Equal([6], "the baseline reaches back past the NaNs to three finite samples");
        SpikeDetector.Onsets([n, n, 1.0, 1, 5], rule).Should().BeEmpty("two finite samples are not a baseline of three");
        SpikeDetector.Onsets([1.0, 1, 1, n, 1, double.PositiveInfinity, 1], rule).Should().BeEmpty();
        SpikeDetector.Onsets([n, n, n], rule).Should().BeEmpty();
        // Every 7th sample from index 2 is NaN, 149 (just before the spike) among them.
        SpikeDetector.Onsets(NoisyFlat(150).Select((v, i) => i % 7 == 2 ? n : v).ToArray(), Rule).Should().Equal(150);
    }

    [Fact]
    public void Growth_rate_is_nan_where_no_relative_change_exists()
    {
        double[] rate = SpikeDetector.GrowthRate([2.0, 3, double.NaN, 2, 0, 3]);

        double.IsNaN(rate[0]).Should().BeTrue("index 0 has no predecessor");
        rate[1].Should().Be(0.5);
        double.IsNaN(rate[2]).Should().BeTrue();
        double.IsNaN(rate[3]).Should().BeTrue("its predecessor is NaN");
        rate[4].Should().Be(-1);
        double.IsNaN(rate[5]).Should().BeTrue("a relative change from 0 does not exist");
        SpikeDetector.GrowthRate([]).Should().BeEmpty();
    }

    [Fact]
    public void Invalid_rules_are_rejected()
    {
        double[] x = [1, 2, 3];

        FluentActions.Invoking(() => SpikeDetector.Onsets(x, new SpikeRule(0, 0.5, 0))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => SpikeDetector.Onsets(x, new SpikeRule(3, -1, 0))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => SpikeDetector.Onsets(x, new SpikeRule(3, double.NaN, 0))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => SpikeDetector.Onsets(x, new SpikeRule(3, 0.5, -1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Rise_start_is_the_first_step_a_sigmoid_clears_its_plateau_by_the_margin()
    {
        // val = 0.01 + 0.98 / (1 + exp(-(step - 5000) / 500)) at steps 0, 100, ..., 9900. The first 10% (steps 0..900)
        // has its minimum at step 0: 0.01 + 0.98 / (1 + e^10) = 0.010044; + 0.1 -> 0.110044. Step 3900 gives
        // 0.01 + 0.98 / (1 + e^2.2) = 0.107755 (below), step 4000 gives 0.01 + 0.98 / (1 + e^2) = 0.126819 (above).
        double[] steps = Enumerable.Range(0, 100).Select(i => 100.0 * i).ToArray();
        double[] val = steps.Select(s => 0.01 + (0.98 / (1 + Math.Exp(-(s - 5000) / 500)))).ToArray();

        OnsetLag.RiseStart(steps, val, riseAbove: 0.1).Should().Be(4000);
    }

    [Fact]
    public void Rise_start_is_nan_without_a_rise()
    {
        double[] steps = [0, 1, 2, 3, 4];

        double.IsNaN(OnsetLag.RiseStart(steps, [0.1, 0.12, 0.1, 0.15, 0.11], riseAbove: 0.1)).Should().BeTrue();
        double.IsNaN(OnsetLag.RiseStart(steps, [double.NaN, 0.5, 0.6, 0.7, 0.8], riseAbove: 0.1)).Should().BeTrue("the plateau has no finite value to rise from");
        FluentActions.Invoking(() => OnsetLag.RiseStart(steps, [0.1], 0.1)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Onset_lag_reads_the_nearest_onsets_on_each_side_of_the_rise()
    {
        var lag = OnsetLag.Of([6000, 1000, 3000], riseStep: 3005);

        lag.OnsetBefore.Should().Be(3000);
        lag.Before.Should().Be(5);
        lag.OnsetAfter.Should().Be(6000);
        lag.After.Should().Be(2995);
        OnsetLag.Of([1000, 3000], riseStep: 3000).Before.Should().Be(0, "an onset at the rise step is at or before it");
    }

    [Fact]
    public void Onset_lag_is_nan_on_a_side_without_onsets()
    {
        var late = OnsetLag.Of([5000, double.NaN], riseStep: 3000);
        double.IsNaN(late.Before).Should().BeTrue();
        late.After.Should().Be(2000);

        double.IsNaN(OnsetLag.Of([1000], riseStep: 3000).After).Should().BeTrue();
        var none = OnsetLag.Of([], riseStep: 3000);
        double.IsNaN(none.Before).Should().BeTrue();
        double.IsNaN(none.After).Should().BeTrue();
        var noRise = OnsetLag.Of([1000], riseStep: double.NaN);
        double.IsNaN(noRise.Before).Should().BeTrue();
        double.IsNaN(noRise.After).Should().BeTrue();
    }

    [Fact]
    public void A_constant_series_with_spikes_is_quiet_outside_them()
    {
        // 20 samples of 1 with 11 at 5 and 14. Whole series: mean (18 + 22) / 20 = 2, population variance
        // (18 * 1^2 + 2 * 9^2) / 20 = 9, std 3, CV 1.5. Without 4..6 and 13..15, 14 ones remain: CV 0.
        double[] x = Enumerable.Repeat(1.0, 20).ToArray();
        x[5] = x[14] = 11;

        var q = QuietVariation.Of(x, [5, 14], halfWidth: 1);

        q.QuietCv.Should().Be(0);
        q.WholeCv.Should().BeApproximately(1.5, 1e-12);
        q.Kept.Should().Be(14);
    }

    [Fact]
    public void Quiet_variation_of_five_kept_samples_matches_the_hand_computation()
    {
        // Kept 1, 2, 3, 4, 5: mean 3, population variance (4 + 1 + 0 + 1 + 4) / 5 = 2, CV sqrt(2) / 3.
        var q = QuietVariation.Of([1.0, 2, 90, 30, 90, 3, 4, 5], [3], halfWidth: 1);

        q.QuietCv.Should().BeApproximately(Math.Sqrt(2) / 3, 1e-12);
        q.Kept.Should().Be(5);
        // Whole: mean 225 / 8 = 28.125, sum of squares 1 + 4 + 8100 + 900 + 8100 + 9 + 16 + 25 = 17155,
        // variance 17155 / 8 - 28.125^2 = 2144.375 - 791.015625 = 1353.359375.
        q.WholeCv.Should().BeApproximately(Math.Sqrt(1353.359375) / 28.125, 1e-12);
        QuietVariation.Of([1.0, 2, 3, 4, 5], [], halfWidth: 2).QuietCv.Should().BeApproximately(Math.Sqrt(2) / 3, 1e-12);
    }

    [Fact]
    public void Quiet_variation_is_nan_with_fewer_than_three_samples_left()
    {
        double n = double.NaN;

        var q = QuietVariation.Of([1.0, 2, 3, 4, n, 6], [2], halfWidth: 1);
        double.IsNaN(q.QuietCv).Should().BeTrue("1, 3, 4 are removed and the NaN is never kept, leaving 1 and 6");
        q.Kept.Should().Be(2);
        q.WholeCv.Should().BeApproximately(Math.Sqrt(2.96) / 3.2, 1e-12, "mean 16 / 5, variance 66 / 5 - 3.2^2 = 2.96");
        double.IsNaN(QuietVariation.Of([-1.0, 0, 1], [], halfWidth: 0).QuietCv).Should().BeTrue("a zero mean has no relative spread");
        FluentActions.Invoking(() => QuietVariation.Of([1.0], [], -1)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
