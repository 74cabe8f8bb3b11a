using Grokking.Claims.Analyses;

namespace Grokking.Tests.Unit.Claims;

public sealed class PeriodicEventsTests
{
    private const int CollapseLength = 30;

    private static readonly DropRules Rules = new(From: 0.99, To: 0.5, FallWithinEpochs: 5, WindowEpochs: 20, ValJump: 0.05, LrFall: 0.1, GradSpike: 3, GradBaselineEpochs: 60);

    /// <summary>
    /// A PB-like run at every epoch 0..epochs-1: train accuracy memorizes by epoch 50, then collapses at each start
    /// for 30 epochs (0.4, then 0.02, then 0.6 and 0.9 on the way back); validation accuracy steps up by 0.1 at each
    /// recovery; eff lr rises x1.001 per epoch and falls by 20% over a collapse; eff grad is 10 with 150 in collapses.
    /// </summary>
    private static PeriodicSeries Saw(int epochs, int[] collapses, bool valRises = true, bool lrFalls = true, bool gradSpikes = true)
    {
        double[] e = new double[epochs], train = new double[epochs], val = new double[epochs], lr = new double[epochs], grad = new double[epochs];
        for (int t = 0; t < epochs; t++)
        {
            int start = collapses.LastOrDefault(c => c <= t, -1);
            int into = start < 0 ? int.MaxValue : t - start;
            bool collapsed = into < CollapseLength;
            e[t] = t;
            train[t] = t < 50 ? t / 50.0 : !collapsed ? 1.0 : into == 0 ? 0.4 : into == CollapseLength - 2 ? 0.6 : into == CollapseLength - 1 ? 0.9 : 0.02;
            val[t] = 0.3 + (valRises ? 0.1 * collapses.Count(c => c + CollapseLength <= t) : 0);
            lr[t] = t == 0 ? 1e-3 : lr[t - 1] * (collapsed && lrFalls ? Math.Pow(0.8, 1.0 / CollapseLength) : 1.001);
            grad[t] = collapsed && gradSpikes ? 150 : 10;
        }

        return new PeriodicSeries(e, train, val, lr, grad);
    }

    [Fact]
    public void Spearman_averages_tied_ranks()
    {
        // x ranks 1, 2.5, 2.5, 4; y ranks 1, 3, 2, 4; both mean 2.5.
        // sxy = 2.25 + 0 + 0 + 2.25 = 4.5, sxx = 4.5, syy = 2.25 + 0.25 + 0.25 + 2.25 = 5 -> rho = 4.5 / sqrt(22.5) = sqrt(0.9).
        PeriodicEvents.Spearman([1.0, 2, 2, 3], [1.0, 3, 2, 4]).Should().BeApproximately(Math.Sqrt(0.9), 1e-12);
    }

    [Fact]
    public void Spearman_is_one_for_any_monotone_relation()
    {
        double[] x = [1, 2, 3, 4, 5];
        PeriodicEvents.Spearman(x, x.Select(v => Math.Exp(v)).ToArray()).Should().BeApproximately(1, 1e-12);
        PeriodicEvents.Spearman(x, x.Select(v => -v * v * v).ToArray()).Should().BeApproximately(-1, 1e-12);
    }

    [Fact]
    public void Spearman_is_nan_without_an_order()
    {
        double.IsNaN(PeriodicEvents.Spearman([1.0, 2, 3], [5.0, 5, 5])).Should().BeTrue("a constant side has no ranks to correlate");
        double.IsNaN(PeriodicEvents.Spearman([1.0], [2.0])).Should().BeTrue();
        double.IsNaN(PeriodicEvents.Spearman([], [])).Should().BeTrue();
        FluentActions.Invoking(() => PeriodicEvents.Spearman([1.0, 2], [1.0])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Median_reads_the_finite_values()
    {
        MemberSeries.Median([3.0, 1, 2]).Should().Be(2);
        MemberSeries.Median([4.0, 1, 3, 2]).Should().Be(2.5);
        MemberSeries.Median([double.NaN, 5, double.PositiveInfinity, 1, double.NegativeInfinity]).Should().Be(3);
        double.IsNaN(MemberSeries.Median([])).Should().BeTrue();
    }

    [Fact]
    public void A_clean_saw_tooth_gives_one_drop_per_collapse_with_all_companions()
    {
        var drops = PeriodicEvents.Drops(Saw(800, [200, 400, 600]), Rules);

        drops.Select(d => d.StartEpoch).Should().Equal(200, 400, 600);
        drops.Select(d => d.LowestEpoch).Should().Equal(201, 401, 601);
        drops.Select(d => d.RecoveredEpoch).Should().Equal(230, 430, 630);
        foreach (var d in drops)
        {
            d.LowestTrainAccuracy.Should().Be(0.02);
            d.Recovered.Should().BeTrue();
            d.ValJump.Should().BeApproximately(0.1, 1e-9);
            d.LrFall.Should().BeApproximately(0.2, 1e-9);
            d.GradPeak.Should().Be(150);
            d.GradBaseline.Should().Be(10);
            d.GradRatio.Should().Be(15);
            d.MatchesValJump(Rules).Should().BeTrue();
            d.MatchesLrSpike(Rules).Should().BeTrue();
            d.MatchesGradSpike(Rules).Should().BeTrue();
        }

        drops[1].ValBefore.Should().BeApproximately(0.4, 1e-9);
        drops[1].ValAfter.Should().BeApproximately(0.5, 1e-9);
    }

    [Fact]
    public void A_shallow_dip_is_a_wobble()
    {
        var s = Saw(400, [300]);
        s.TrainAccuracy[100] = s.TrainAccuracy[101] = 0.95;

        PeriodicEvents.Drops(s, Rules).Select(d => d.StartEpoch).Should().Equal(300);
    }

    [Fact]
    public void A_fall_must_reach_its_depth_within_the_stated_epochs()
    {
        // The last step at 1.0 is epoch 99; 0.45 at epoch 105 is 6 epochs later, past FallWithinEpochs = 5.
        var slow = Saw(200, []);
        double[] slide = [0.9, 0.8, 0.7, 0.6, 0.55, 0.45, 0.3];
        slide.CopyTo(slow.TrainAccuracy, 100);
        PeriodicEvents.Drops(slow, Rules).Should().BeEmpty();

        // The same slide one step faster (0.45 at epoch 104) is a drop.
        var fast = Saw(200, []);
        slide.Skip(1).ToArray().CopyTo(fast.TrainAccuracy, 100);
        PeriodicEvents.Drops(fast, Rules).Select(d => d.StartEpoch).Should().Equal(100);
    }

    [Fact]
    public void Memorization_itself_is_not_a_drop() =>
        PeriodicEvents.Drops(Saw(200, []), Rules).Should().BeEmpty();

    [Fact]
    public void Drops_before_from_epoch_are_left_out()
    {
        var s = Saw(800, [200, 400, 600]);

        PeriodicEvents.Drops(s, Rules, fromEpoch: 300).Select(d => d.StartEpoch).Should().Equal(400, 600);
        PeriodicEvents.Drops(s, Rules, fromEpoch: 399).Select(d => d.StartEpoch).Should().Equal(400, 600);
        PeriodicEvents.Drops(s, Rules, fromEpoch: 400).Select(d => d.StartEpoch).Should().Equal(600);
    }

    [Fact]
    public void A_drop_without_a_validation_rise_fails_the_val_jump()
    {
        var d = PeriodicEvents.Drops(Saw(400, [200], valRises: false), Rules).Single();

        d.ValJump.Should().Be(0);
        d.MatchesValJump(Rules).Should().BeFalse();
        d.MatchesLrSpike(Rules).Should().BeTrue();
    }

    [Fact]
    public void A_drop_where_eff_lr_keeps_rising_fails_the_lr_spike()
    {
        var d = PeriodicEvents.Drops(Saw(400, [200], lrFalls: false), Rules).Single();

        d.LrFall.Should().BeLessThan(0.05);
        d.MatchesLrSpike(Rules).Should().BeFalse();
        d.MatchesGradSpike(Rules).Should().BeTrue();
    }

    [Fact]
    public void A_drop_without_an_eff_grad_spike_fails_the_grad_spike()
    {
        var d = PeriodicEvents.Drops(Saw(400, [200], gradSpikes: false), Rules).Single();

        d.GradRatio.Should().Be(1);
        d.MatchesGradSpike(Rules).Should().BeFalse();
        d.MatchesValJump(Rules).Should().BeTrue();
    }

    [Fact]
    public void A_run_that_ends_inside_a_drop_has_not_recovered()
    {
        var d = PeriodicEvents.Drops(Saw(211, [200]), Rules).Single();

        d.Recovered.Should().BeFalse();
        double.IsNaN(d.RecoveredEpoch).Should().BeTrue();
        double.IsNaN(d.ValAfter).Should().BeTrue();
        d.MatchesValJump(Rules).Should().BeFalse("an unfinished drop cannot show the jump");
        d.LowestTrainAccuracy.Should().Be(0.02);
        d.GradPeak.Should().Be(150);
        d.LrFall.Should().BeApproximately(1 - Math.Pow(0.8, 11.0 / 30), 1e-9, "eff lr falls until the last epoch, 210");
        d.MatchesLrSpike(Rules).Should().BeFalse("11 of the 30 falling steps take off only about 8%");
    }

    [Fact]
    public void A_window_without_finite_values_gives_nan_and_no_match()
    {
        var s = Saw(400, [200]);
        for (int t = 140; t < 180; t++)
        {
            s.EffectiveGradNorm[t] = double.NaN;
        }

        var d = PeriodicEvents.Drops(s, Rules).Single();

        double.IsNaN(d.GradBaseline).Should().BeTrue();
        d.MatchesGradSpike(Rules).Should().BeFalse();
    }

    [Fact]
    public void A_saw_tooth_rises_in_every_interval()
    {
        var s = Saw(800, [200, 400, 600]);

        var rises = PeriodicEvents.IntervalRises(s, PeriodicEvents.Drops(s, Rules), marginEpochs: 5);

        rises.Should().HaveCount(2);
        rises.Should().AllSatisfy(rho => rho.Should().BeApproximately(1, 1e-12));
    }

    [Fact]
    public void Falling_or_shuffled_eff_lr_between_drops_does_not_rise()
    {
        var s = Saw(800, [200, 400, 600]);
        var drops = PeriodicEvents.Drops(s, Rules);
        for (int t = 230; t < 400; t++)
        {
            s.EffectiveLearningRate[t] = 1.0 / t;
        }

        var rng = new Random(1);
        double[] between = s.EffectiveLearningRate[430..600];
        rng.Shuffle(between);
        between.CopyTo(s.EffectiveLearningRate, 430);

        var rises = PeriodicEvents.IntervalRises(s, drops, marginEpochs: 5);

        rises.Should().HaveCount(2);
        rises[0].Should().BeApproximately(-1, 1e-12);
        rises[1].Should().BeLessThan(0.5);
    }

    [Fact]
    public void Too_short_intervals_are_skipped()
    {
        // Recovery at 230, next drop at 240: with a 5-epoch margin only epoch 235 is left.
        var s = Saw(800, [200, 240, 500]);
        var drops = PeriodicEvents.Drops(s, Rules);
        drops.Should().HaveCount(3);

        PeriodicEvents.IntervalRises(s, drops, marginEpochs: 5).Should().ContainSingle().Which.Should().BeApproximately(1, 1e-12);
        PeriodicEvents.IntervalRises(s, drops, marginEpochs: 5, minimumSteps: 1).Should().HaveCount(2);
    }

    [Fact]
    public void A_falling_series_trends_down()
    {
        double[] epochs = Enumerable.Range(0, 100).Select(t => (double)t).ToArray();
        double[] values = epochs.Select(t => 100 - t).ToArray();

        var trend = PeriodicEvents.Trend(epochs, values, 10, 59);

        trend.Count.Should().Be(50);
        trend.Rho.Should().BeApproximately(-1, 1e-12);
        trend.FirstFifthMedian.Should().Be(85.5); // epochs 10..19 -> values 90..81
        trend.LastFifthMedian.Should().Be(45.5); // epochs 50..59 -> values 50..41
    }

    [Fact]
    public void A_noisy_rising_series_trends_up()
    {
        var rng = new Random(3);
        double[] epochs = Enumerable.Range(0, 200).Select(t => (double)t).ToArray();
        double[] values = epochs.Select(t => t + 40 * rng.NextDouble()).ToArray();
        values[7] = double.NaN;

        var trend = PeriodicEvents.Trend(epochs, values, 0, 199);

        trend.Count.Should().Be(199, "the NaN step is left out");
        trend.Rho.Should().BeGreaterThan(0.5);
        trend.LastFifthMedian.Should().BeGreaterThan(trend.FirstFifthMedian);
    }

    [Fact]
    public void A_trend_needs_three_steps()
    {
        var trend = PeriodicEvents.Trend([0.0, 1, 2], [5.0, 4, 3], 0, 1);

        trend.Count.Should().Be(2);
        double.IsNaN(trend.Rho).Should().BeTrue();
        trend.FirstFifthMedian.Should().Be(5);
        trend.LastFifthMedian.Should().Be(4);
    }

    [Fact]
    public void A_series_rejects_arrays_of_different_lengths()
    {
        double[] three = [0, 1, 2];

        FluentActions.Invoking(() => new PeriodicSeries(three, three, [0.0, 1], three, three))
            .Should().Throw<ArgumentException>().WithParameterName(nameof(PeriodicSeries.ValAccuracy));
        FluentActions.Invoking(() => new PeriodicSeries(three, three, three, three, [0.0]))
            .Should().Throw<ArgumentException>().WithParameterName(nameof(PeriodicSeries.EffectiveGradNorm));
        FluentActions.Invoking(() => new PeriodicSeries([0.0, 2, 1], three, three, three, three))
            .Should().Throw<ArgumentException>().WithMessage("*ascending*");
    }
}
