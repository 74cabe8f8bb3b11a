using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// The PB claims' (PB-1..PB-4) per-seed readings (Judge: what each seed shows, in the reason) and, for PB-2 and PB-3,
/// the decisions of issue 25 (Decide: comparisons over the seeds by the claim's scope, the negative control, the
/// denominator of the shares) on synthetic members, with the rule values of claims/PB-2.json and claims/PB-3.json.
/// </summary>
public sealed class PeriodicAnalysesTests
{
    private const int CollapseLength = 30;

    private const int Memorized = 50;

    private const double RobustVal = 0.99;

    private const int MinDrops = 2;

    private const double MinShare = 0.66;

    private const double MaxRho = -0.3;

    private static readonly DropRules Rules = new(From: 0.99, To: 0.5, FallWithinEpochs: 20, WindowEpochs: 20, ValJump: 0.005, LrFall: 0.1, GradSpike: 3, GradBaselineEpochs: 100);

    private static readonly EffectiveLrSawtooth.Limits Limits = new(RobustVal, MinDrops: 2, MinShare: 0.66, MinRho: 0.8, Rules);

    private enum Between
    {
        Rising,
        Falling,
        Shuffled,
    }

    /// <summary>
    /// A PB-like run at every epoch 0..epochs-1: train accuracy memorizes at epoch 50, then collapses at each start
    /// for 30 epochs (0.4, then 0.02, then 0.6 and 0.9 on the way back); validation accuracy steps up by 0.1 at the
    /// recovery of each collapse whose <paramref name="valRises"/> entry is true (all by default); eff lr falls by 20%
    /// over a collapse and between collapses rises x1.001 per epoch (or falls x0.999, or is shuffled inside the
    /// intervals PB-3 reads); eff grad is 10 with 150 in collapses.
    /// </summary>
    private static PeriodicSeries Saw(int epochs, int[] collapses, bool[]? valRises = null, bool lrFalls = true, bool gradSpikes = true, Between between = Between.Rising)
    {
        double[] e = new double[epochs], train = new double[epochs], val = new double[epochs], lr = new double[epochs], grad = new double[epochs];
        double drift = between == Between.Falling ? 0.999 : 1.001;
        for (int t = 0; t < epochs; t++)
        {
            int start = collapses.LastOrDefault(c => c <= t, -1);
            int into = start < 0 ? int.MaxValue : t - start;
            bool collapsed = into < CollapseLength;
            e[t] = t;
            train[t] = t < Memorized ? t / (double)Memorized : !collapsed ? 1.0 : into == 0 ? 0.4 : into == CollapseLength - 2 ? 0.6 : into == CollapseLength - 1 ? 0.9 : 0.02;
            val[t] = 0.3 + 0.1 * Enumerable.Range(0, collapses.Length).Count(k => collapses[k] + CollapseLength <= t && (valRises?[k] ?? true));
            lr[t] = t == 0 ? 1e-3 : lr[t - 1] * (collapsed && lrFalls ? Math.Pow(0.8, 1.0 / CollapseLength) : drift);
            grad[t] = collapsed && gradSpikes ? 150 : 10;
        }

        if (between == Between.Shuffled)
        {
            // Only the epochs IntervalRises reads (recovery + window .. next drop - window), so the peaks and falls
            // around the drops stay as they were.
            var rng = new Random(7);
            foreach (var (a, b) in collapses.Zip(collapses.Skip(1)))
            {
                int from = a + CollapseLength + (int)Rules.WindowEpochs, to = b - (int)Rules.WindowEpochs;
                rng.Shuffle(lr.AsSpan(from, to - from + 1));
            }
        }

        return new PeriodicSeries(e, train, val, lr, grad);
    }

    /// <summary>The points of a <see cref="Saw"/>: memorized at epoch 50, validation never near 99%.</summary>
    private static GrokkingPoints SawPoints(double robustPoint2 = double.NaN, double? diverged = null) =>
        new(Memorized, 0.3, double.NaN, robustPoint2, 0.6, diverged);

    private static GrokkingPoints NeverMemorized(double? diverged = null) =>
        new(double.NaN, double.NaN, double.NaN, double.NaN, 0.05, diverged);

    private static MemberSpec Spec(long seed) => new(0, seed, 0.1, 0.001, 1);

    /// <summary>A member read as <see cref="PeriodicMember.Of"/> reads it: the drops from point 1 to the robust point 2.</summary>
    private static PeriodicMember Member(PeriodicSeries s, GrokkingPoints p, long seed = 3)
    {
        double end = double.IsFinite(p.RobustPoint2) ? p.RobustPoint2 : double.PositiveInfinity;
        var drops = double.IsFinite(p.Point1)
            ? PeriodicEvents.Drops(s, Rules, p.Point1).Where(d => d.StartEpoch <= end).ToList()
            : [];
        return new PeriodicMember("pb-layernorm", Spec(seed), p, s, drops, s.Epochs.Length);
    }

    /// <summary>A hand-made drop that recovered after 30 epochs, with the given validation jump and both spikes.</summary>
    private static TrainDrop Drop(double start, double valJump, bool recovered = true) =>
        new(start, start + 1, 0.02, recovered ? start + CollapseLength : double.NaN, 0.5, 0.5 + valJump, 1.0, 0.8, 150, 10);

    /// <summary>A member with hand-made drops in the phase from epoch 50 to the robust point 2 at epoch 1000.</summary>
    private static PeriodicMember WithDrops(IReadOnlyList<TrainDrop> drops, double? diverged = null) =>
        new("pb-layernorm-2", Spec(4), new GrokkingPoints(Memorized, 0.3, 1100, 1000, 1.0, diverged), new PeriodicSeries([], [], [], [], []), drops, 3000);

    // ---------------------------------------------------------------- parameters (claim file -> record)

    /// <summary>PB-3's rule parameters as the loader sees them once blocks pb-robust-point-2 and pb-drop-rules are included.</summary>
    private static ClaimDefinition Pb3(double minShare = 0.66, double minDrops = 2) => new()
    {
        Id = "PB-3",
        Analysis = "effective-lr-sawtooth",
        RuleParameters =
        [
            new("robustValAccuracy", 0.99, "r"), new("minDrops", minDrops, "r"), new("minMatchedShare", minShare, "r"), new("minSawtoothRho", 0.8, "r"),
            new("dropFrom", 0.99, "r"), new("dropTo", 0.5, "r"), new("fallWithinEpochs", 20, "r"), new("windowEpochs", 20, "r"),
            new("valJump", 0.005, "r"), new("lrFall", 0.1, "r"), new("gradSpike", 3, "r"), new("gradBaselineEpochs", 100, "r"),
        ],
    };

    [Fact]
    public void PB3_parameters_bind_the_drop_rules_group_from_the_flat_claim_file_names()
    {
        Pb3().ParametersAs<EffectiveLrSawtooth.Limits>().Should().Be(Limits);
    }

    [Fact]
    public void PB3_parameters_reject_a_share_outside_0_1_and_a_fractional_drop_count()
    {
        var negative = () => Pb3(minShare: -0.1).ParametersAs<EffectiveLrSawtooth.Limits>();
        var fractional = () => Pb3(minDrops: 2.5).ParametersAs<EffectiveLrSawtooth.Limits>();

        negative.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.minMatchedShare' is -0.1, outside its range [0, 1]");
        fractional.Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.minDrops' is 2.5, but it counts*");
    }

    // ---------------------------------------------------------------- PB-1: LayerNormGroks

    [Fact]
    public void PB1_a_seed_that_memorizes_and_reaches_the_robust_point_2_within_the_budget_is_confirmed()
    {
        var finding = LayerNormGroks.Judge(5, new GrokkingPoints(577, 0.02, 2402, 2011, 1.0, null), 3000, RobustVal);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Seed.Should().Be(5);
        finding.Diverged.Should().BeFalse();
        finding.Reason.Should().Be("point 1 epoch 577, robust point 2 epoch 2011 (100% at epoch 2402)");
    }

    [Fact]
    public void PB1_the_robust_point_2_decides_even_when_exactly_100_percent_never_comes()
    {
        var finding = LayerNormGroks.Judge(5, new GrokkingPoints(577, 0.02, double.NaN, 2011, 0.995, null), 3000, RobustVal);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Reason.Should().Contain("robust point 2 epoch 2011").And.Contain("100% never reached");
    }

    [Fact]
    public void PB1_a_seed_that_memorizes_but_never_reaches_the_robust_point_2_within_the_budget_is_refuted()
    {
        var finding = LayerNormGroks.Judge(6, new GrokkingPoints(577, 0.02, double.NaN, double.NaN, 0.42, null), 3000, RobustVal);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Diverged.Should().BeFalse();
        finding.Reason.Should().Contain("memorized at epoch 577").And.Contain("whole budget of 3000 epochs").And.Contain("42");
    }

    [Fact]
    public void PB1_a_seed_that_never_memorizes_is_inconclusive()
    {
        var finding = LayerNormGroks.Judge(7, NeverMemorized(), 3000, RobustVal);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeFalse();
        finding.Reason.Should().Be("never reached 100% train accuracy within 3000 epochs");
    }

    [Fact]
    public void PB1_a_seed_that_diverges_before_point_2_is_inconclusive_and_marked_diverged()
    {
        var afterPoint1 = LayerNormGroks.Judge(8, new GrokkingPoints(577, 0.02, double.NaN, double.NaN, 0.6, 1234), 3000, RobustVal);
        var beforePoint1 = LayerNormGroks.Judge(8, NeverMemorized(diverged: 300), 3000, RobustVal);

        afterPoint1.Verdict.Should().Be(Verdict.Inconclusive);
        afterPoint1.Diverged.Should().BeTrue();
        afterPoint1.Reason.Should().Contain("memorized at epoch 577").And.Contain("diverged at epoch 1234");
        beforePoint1.Verdict.Should().Be(Verdict.Inconclusive);
        beforePoint1.Diverged.Should().BeTrue();
        beforePoint1.Reason.Should().Be("diverged at epoch 300 before 100% train accuracy");
    }

    [Fact]
    public void PB1_a_seed_that_diverges_after_the_robust_point_2_is_not_counted_as_completed()
    {
        var finding = LayerNormGroks.Judge(9, new GrokkingPoints(577, 0.02, 2402, 2011, 1.0, 2500), 3000, RobustVal);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeTrue();
        finding.Reason.Should().Contain("robust point 2 epoch 2011").And.Contain("diverged at epoch 2500");
    }

    // ---------------------------------------------------------------- PB-2: PeriodicDrops

    [Fact]
    public void PB2_a_saw_tooth_with_validation_jumps_at_every_drop_is_confirmed_end_to_end()
    {
        var m = Member(Saw(800, [200, 400, 600]), SawPoints());

        m.Drops.Select(d => d.StartEpoch).Should().Equal(200, 400, 600);
        PeriodicDrops.MatchedShare(m, Rules).Should().Be(1);
        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Seed.Should().Be(3);
        finding.Reason.Should().Be("drops at epoch(s) 200, 400, 600 between epochs 50 and 799; 3 of 3 recovered with a validation jump >= 0.005");
    }

    [Fact]
    public void PB2_drops_after_the_robust_point_2_do_not_count()
    {
        // Robust point 2 at epoch 450: the drop at 600 is outside the grokking phase, which leaves two.
        var m = Member(Saw(800, [200, 400, 600]), SawPoints(robustPoint2: 450));

        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Reason.Should().StartWith("drops at epoch(s) 200, 400 between epochs 50 and 450;");
    }

    [Fact]
    public void PB2_a_single_drop_is_refuted_as_too_few()
    {
        var m = Member(Saw(800, [400]), SawPoints());

        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("drops at epoch(s) 400").And.EndWith("fewer than 2 drops");
    }

    [Fact]
    public void PB2_no_drops_at_all_is_refuted()
    {
        var m = Member(Saw(800, []), SawPoints());

        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);

        m.Drops.Should().BeEmpty();
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().StartWith("no drops between epochs 50 and 799").And.EndWith("fewer than 2 drops");
        double.IsNaN(PeriodicDrops.MatchedShare(m, Rules)).Should().BeTrue("no drops give no share");
    }

    [Fact]
    public void PB2_too_few_drops_in_a_diverged_seed_is_inconclusive()
    {
        var finding = PeriodicDrops.Judge(WithDrops([Drop(300, 0.1)], diverged: 700), Rules, MinDrops, MinShare);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeTrue();
        finding.Reason.Should().Contain("fewer than 2 drops");
    }

    [Fact]
    public void PB2_drops_mostly_without_a_validation_jump_are_refuted_end_to_end()
    {
        var m = Member(Saw(800, [200, 400, 600], valRises: [false, true, false]), SawPoints());

        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);

        m.Drops.Select(d => d.ValJump).Should().Equal(new[] { 0, 0.1, 0 }, (a, b) => Math.Abs(a - b) < 1e-9);
        PeriodicDrops.MatchedShare(m, Rules).Should().BeApproximately(1.0 / 3, 1e-12);
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("1 of 3 recovered with a validation jump").And.EndWith("share 0.33 < 0.66");
    }

    [Fact]
    public void PB2_the_share_of_matched_drops_decides_at_its_bound()
    {
        // 3 of 4 (0.75) is above 0.66; 2 of 4 (0.5) is below; a share exactly at the bound counts (>=).
        var threeOfFour = WithDrops([Drop(100, 0.1), Drop(300, 0.006), Drop(500, 0.004), Drop(700, 0.2)]);
        var twoOfFour = WithDrops([Drop(100, 0.1), Drop(300, 0.001), Drop(500, 0.004), Drop(700, 0.2)]);
        var twoOfThree = WithDrops([Drop(100, 0.1), Drop(300, 0), Drop(500, 0.2)]);

        PeriodicDrops.MatchedShare(threeOfFour, Rules).Should().Be(0.75);
        PeriodicDrops.Judge(threeOfFour, Rules, MinDrops, MinShare).Verdict.Should().Be(Verdict.Confirmed);
        PeriodicDrops.MatchedShare(twoOfFour, Rules).Should().Be(0.5);
        PeriodicDrops.Judge(twoOfFour, Rules, MinDrops, MinShare).Reason.Should().EndWith("share 0.5 < 0.66");
        PeriodicDrops.Judge(twoOfThree, Rules, MinDrops, 2.0 / 3).Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void PB2_an_unrecovered_drop_is_neither_matched_nor_counted_in_the_share()
    {
        // The run ended inside the last drop: its validation reading cannot show a jump, so the share is over the
        // recovered drops; the drop still counts towards "repeatedly".
        var m = WithDrops([Drop(100, 0.1), Drop(300, 0.1, recovered: false)]);
        m.Drops[1].MatchesValJump(Rules).Should().BeFalse();

        PeriodicDrops.MatchedShare(m, Rules).Should().Be(1.0);
        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);
        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Reason.Should().Contain("1 of 1 recovered");

        var alone = WithDrops([Drop(100, 0.1, recovered: false), Drop(300, 0.1, recovered: false)]);
        PeriodicDrops.MatchedShare(alone, Rules).Should().Be(double.NaN, "no drop recovered: no share");
        PeriodicDrops.Judge(alone, Rules, MinDrops, MinShare).Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void PB2_too_small_a_share_refutes_even_a_seed_that_diverged_later()
    {
        var finding = PeriodicDrops.Judge(WithDrops([Drop(100, 0), Drop(300, 0), Drop(500, 0.1)], diverged: 900), Rules, MinDrops, MinShare);

        finding.Verdict.Should().Be(Verdict.Refuted, "evidence from before a divergence counts");
        finding.Diverged.Should().BeTrue();
        finding.Reason.Should().Contain("1 of 3");
    }

    [Fact]
    public void PB2_confirming_drops_in_a_diverged_seed_are_inconclusive()
    {
        var finding = PeriodicDrops.Judge(WithDrops([Drop(100, 0.1), Drop(300, 0.1)], diverged: 900), Rules, MinDrops, MinShare);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeTrue();
        finding.Reason.Should().Contain("2 of 2 recovered with a validation jump");
    }

    [Fact]
    public void PB2_a_seed_that_never_memorizes_is_inconclusive()
    {
        var s = Saw(800, [200, 400, 600]);
        var m = Member(s, NeverMemorized());
        var diverged = Member(s, NeverMemorized(diverged: 120));

        var finding = PeriodicDrops.Judge(m, Rules, MinDrops, MinShare);

        m.Drops.Should().BeEmpty("drops are only read after point 1");
        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeFalse();
        finding.Reason.Should().Be("never reached 100% train accuracy within 800 epochs");
        PeriodicDrops.Judge(diverged, Rules, MinDrops, MinShare).Reason.Should().Be("diverged at epoch 120 before 100% train accuracy");
    }

    // ---------------------------------------------------------------- PB-3: EffectiveLrSawtooth

    [Fact]
    public void PB3_spikes_at_every_drop_and_a_rising_effective_lr_between_drops_are_confirmed()
    {
        var m = Member(Saw(800, [200, 400, 600]), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Reason.Should().Be("drops at epoch(s) 200, 400, 600; effective-lr spike at 3, effective-gradient spike at 3 of 3 recovered; effective lr rising in 2 of 2 interval(s) (rho 1.00, 1.00)");
    }

    [Fact]
    public void PB3_fewer_drops_than_required_have_no_teeth_and_refute()
    {
        var finding = EffectiveLrSawtooth.Judge(Member(Saw(800, [400]), SawPoints()), Limits);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Be("drops at epoch(s) 400 in the grokking phase: fewer than 2, no saw-tooth to speak of");
    }

    [Fact]
    public void PB3_fewer_drops_than_required_in_a_diverged_seed_are_inconclusive()
    {
        var finding = EffectiveLrSawtooth.Judge(Member(Saw(800, [400]), SawPoints(diverged: 790)), Limits);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeTrue();
        finding.Reason.Should().Contain("fewer than 2");
    }

    [Fact]
    public void PB3_drops_without_an_effective_lr_fall_are_refuted()
    {
        var m = Member(Saw(800, [200, 400, 600], lrFalls: false), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        m.Drops.Should().AllSatisfy(d => d.LrFall.Should().BeLessThan(Rules.LrFall));
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("effective-lr spike at 0, effective-gradient spike at 3 of 3 recovered")
            .And.EndWith(": too few effective-lr spikes (share >= 0.66 required)");
    }

    [Fact]
    public void PB3_drops_without_an_effective_gradient_spike_are_refuted()
    {
        var m = Member(Saw(800, [200, 400, 600], gradSpikes: false), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        m.Drops.Should().AllSatisfy(d => d.GradRatio.Should().Be(1));
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("effective-lr spike at 3, effective-gradient spike at 0 of 3 recovered")
            .And.EndWith(": too few effective-gradient spikes (share >= 0.66 required)");
    }

    [Fact]
    public void PB3_an_effective_lr_falling_between_drops_is_not_a_saw_tooth()
    {
        var m = Member(Saw(800, [200, 400, 600], between: Between.Falling), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        PeriodicEvents.IntervalRises(m.Series, m.Drops, Rules.WindowEpochs).Should().Equal(new[] { -1.0, -1.0 }, (a, b) => Math.Abs(a - b) < 1e-12);
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("spike at 3, effective-gradient spike at 3 of 3 recovered; effective lr rising in 0 of 2 interval(s) (rho -1.00, -1.00)")
            .And.EndWith(": the effective lr is not saw-toothed (share >= 0.66 required)");
    }

    [Fact]
    public void PB3_an_effective_lr_shuffled_between_drops_is_not_a_saw_tooth()
    {
        var m = Member(Saw(800, [200, 400, 600], between: Between.Shuffled), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        var rises = PeriodicEvents.IntervalRises(m.Series, m.Drops, Rules.WindowEpochs);
        rises.Should().HaveCount(2).And.AllSatisfy(rho => rho.Should().BeLessThan(Limits.MinRho));
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("effective-lr spike at 3, effective-gradient spike at 3 of 3 recovered; effective lr rising in 0 of 2")
            .And.EndWith(": the effective lr is not saw-toothed (share >= 0.66 required)");
    }

    [Fact]
    public void PB3_every_failure_is_listed_when_several_hold()
    {
        var m = Member(Saw(800, [200, 400, 600], lrFalls: false, gradSpikes: false, between: Between.Falling), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().EndWith(": too few effective-lr spikes, too few effective-gradient spikes, the effective lr is not saw-toothed (share >= 0.66 required)");
    }

    [Fact]
    public void PB3_a_seed_that_never_memorizes_is_inconclusive()
    {
        var finding = EffectiveLrSawtooth.Judge(Member(Saw(800, [200, 400, 600]), NeverMemorized()), Limits);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Reason.Should().Be("never reached 100% train accuracy within 800 epochs");
    }

    [Fact]
    public void PB3_drops_too_close_to_read_the_interval_between_them_are_inconclusive()
    {
        // Recovery at 230, next drop at 240: with the 20-epoch window trimmed from both ends nothing is left.
        var m = Member(Saw(800, [200, 240]), SawPoints());

        var finding = EffectiveLrSawtooth.Judge(m, Limits);

        m.Drops.Should().HaveCount(2);
        PeriodicEvents.IntervalRises(m.Series, m.Drops, Rules.WindowEpochs).Should().BeEmpty();
        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Reason.Should().StartWith("drops at epoch(s) 200, 240;").And.EndWith("rising in 0 of 0 interval(s) (rho ): no interval between drops long enough to read");
    }

    [Fact]
    public void PB3_confirming_evidence_from_a_diverged_seed_is_inconclusive()
    {
        var finding = EffectiveLrSawtooth.Judge(Member(Saw(800, [200, 400, 600]), SawPoints(diverged: 790)), Limits);

        finding.Verdict.Should().Be(Verdict.Inconclusive);
        finding.Diverged.Should().BeTrue();
        finding.Reason.Should().Contain("effective lr rising in 2 of 2");
    }

    // ---------------------------------------------------------------- PB-2 and PB-3 decisions (issue 25: typical)

    private static readonly PeriodicDrops.Parameters Pb2 = new(RobustVal, MinDrops, MinShare, Rules);

    /// <summary>Members with hand-made drops, seeds 0, 1, 2, ... in the order given.</summary>
    private static List<PeriodicMember> Seeds(params TrainDrop[][] drops) =>
        [.. drops.Select((d, k) => WithDrops(d) with { Spec = Spec(k) })];

    /// <summary>Five recovered drops of which the first <paramref name="matched"/> come with a validation jump.</summary>
    private static TrainDrop[] Five(int matched) => [.. Enumerable.Range(0, 5).Select(k => Drop(100 + (200 * k), k < matched ? 0.1 : 0))];

    [Fact]
    public void PB2_matched_drops_in_every_seed_confirm_through_the_pooled_share()
    {
        var result = PeriodicDrops.Decide(ClaimScope.Typical, Seeds(Five(5), Five(5), Five(4)), Pb2);

        result.Verdict.Should().Be(Verdict.Confirmed);
        result.Comparisons.Select(c => c.Key).Should().Equal("drops", "matchedSharePooled");
        var share = result.Comparisons[1];
        share.Method.Should().Be(IntervalMethod.Wilson);
        share.Estimate.Should().BeApproximately(14.0 / 15, 1e-12);
        share.Low.Should().BeGreaterThan(MinShare);
        share.PerSeed.Should().Equal(1, 1, 0.8);
    }

    [Fact]
    public void PB2_a_pooled_share_whose_interval_straddles_the_bound_is_inconclusive_within_noise_where_the_old_rule_refuted()
    {
        // 3 + 4 + 4 of 15 (0.73, Wilson [0.48, 0.89]): the seeds cannot tell it from 0.66. The old rule (every seed's own
        // share >= 0.66) refuted on the seed with 3 of 5 - the ci data's case (23 of 30, one seed at 3 of 5).
        var members = Seeds(Five(3), Five(4), Five(4));

        var result = PeriodicDrops.Decide(ClaimScope.Typical, members, Pb2);

        result.Verdict.Should().Be(Verdict.Inconclusive);
        var share = result.Comparisons.Single(c => c.Key == "matchedSharePooled");
        share.Verdict.Should().Be(Verdict.Inconclusive);
        share.Reason.Should().Contain("11 of 15").And.Contain("within noise");
        share.SeedsNeeded.Should().NotBeNull().And.BeGreaterThan(15);
        share.Flip.ConfirmAt.Should().BeLessThan(MinShare);
        members.Select(m => PeriodicDrops.Judge(m, Rules, MinDrops, MinShare).Verdict)
            .Should().Equal(Verdict.Refuted, Verdict.Confirmed, Verdict.Confirmed);
    }

    [Fact]
    public void PB2_a_pooled_share_wholly_below_the_bound_refutes()
    {
        var result = PeriodicDrops.Decide(ClaimScope.Typical, Seeds(Five(1), Five(1), Five(1)), Pb2);

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Comparisons.Single(c => c.Key == "matchedSharePooled").High.Should().BeLessThan(MinShare);
    }

    [Fact]
    public void PB2_control_a_run_without_drops_is_refuted_where_the_periodic_run_is_confirmed()
    {
        // The no-norm arm's shape: memorizes, then no collapse at all; the LayerNorm arm's: three collapses with jumps.
        var layerNorm = Enumerable.Range(0, 3).Select(k => Member(Saw(800, [200, 400, 600]), SawPoints(), seed: k)).ToList();
        var noNorm = Enumerable.Range(0, 3).Select(k => Member(Saw(800, []), SawPoints(), seed: k)).ToList();

        PeriodicDrops.Decide(ClaimScope.Typical, layerNorm, Pb2).Verdict.Should().Be(Verdict.Confirmed);
        var control = PeriodicDrops.Decide(ClaimScope.Typical, noNorm, Pb2);

        control.Verdict.Should().Be(Verdict.Refuted);
        control.Comparisons.Single(c => c.Key == "drops").Reason.Should().Contain("wholly past the threshold");
    }

    [Fact]
    public void PB2_a_seed_that_never_memorizes_leaves_the_decision_inconclusive()
    {
        var members = Seeds(Five(5), Five(5)).Append(Member(Saw(800, [200, 400]), NeverMemorized(), seed: 2)).ToList();

        var result = PeriodicDrops.Decide(ClaimScope.Typical, members, Pb2);

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().StartWith("seeds cannot all speak").And.Contain("never reached 100% train accuracy");
    }

    /// <summary><paramref name="count"/> PB-like seeds with six collapses each (five intervals between them).</summary>
    private static List<PeriodicMember> SawSeeds(int count, Func<int, PeriodicSeries>? series = null) =>
        [.. Enumerable.Range(0, count).Select(k => Member(series?.Invoke(k) ?? Saw(1400, [200, 400, 600, 800, 1000, 1200]), SawPoints(), seed: k))];

    [Fact]
    public void PB3_spikes_at_every_drop_and_rising_intervals_confirm_and_its_midpoint_control_refutes()
    {
        var members = SawSeeds(3);

        var result = EffectiveLrSawtooth.Decide(ClaimScope.Typical, members, Limits);
        var control = EffectiveLrSawtooth.Decide(ClaimScope.Typical, [.. members.Select(m => EffectiveLrSawtooth.Midpoints(m, Rules))], Limits);

        result.Verdict.Should().Be(Verdict.Confirmed);
        result.Comparisons.Select(c => c.Key).Should().Equal("drops", "lrSpikeSharePooled", "gradSpikeSharePooled", "sawtoothSharePooled");
        result.Comparisons[1].Reason.Should().Contain("18 of 18");
        control.Verdict.Should().Be(Verdict.Refuted);
        control.Comparisons[1].Reason.Should().Contain("0 of 15");
        control.Comparisons[2].Reason.Should().Contain("0 of 15");
    }

    [Fact]
    public void PB3_a_pooled_spike_share_straddling_the_bound_is_inconclusive_within_noise()
    {
        // One seed of four has no effective-lr fall at its drops: 18 of 24 (0.75, Wilson [0.55, 0.88]).
        var members = SawSeeds(4, k => Saw(1400, [200, 400, 600, 800, 1000, 1200], lrFalls: k != 0));

        var result = EffectiveLrSawtooth.Decide(ClaimScope.Typical, members, Limits);

        result.Verdict.Should().Be(Verdict.Inconclusive);
        var lr = result.Comparisons.Single(c => c.Key == "lrSpikeSharePooled");
        lr.Reason.Should().Contain("18 of 24").And.Contain("within noise");
        lr.SeedsNeeded.Should().NotBeNull().And.BeGreaterThan(24);
    }

    [Fact]
    public void PB3_no_effective_lr_fall_at_any_drop_refutes()
    {
        var members = SawSeeds(3, _ => Saw(1400, [200, 400, 600, 800, 1000, 1200], lrFalls: false));

        var result = EffectiveLrSawtooth.Decide(ClaimScope.Typical, members, Limits);

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Comparisons.Single(c => c.Key == "lrSpikeSharePooled").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void PB2_and_PB3_shares_are_over_the_recovered_drops_where_PB3_used_to_divide_by_all_drops()
    {
        // Issue 25's measurement question. Each run ends 5 epochs into its third collapse: the lr's fall (read up to
        // 20 epochs after recovery) has not shown yet, so the cut-off drop is a missing reading, not a miss. PB-2 already
        // divided by the recovered drops; PB-3 now does too.
        var members = SawSeeds(5, _ => Saw(605, [200, 400, 600]));
        var cut = members[0];
        cut.Drops.Should().HaveCount(3);
        cut.Drops[2].Recovered.Should().BeFalse();
        cut.Drops[2].MatchesLrSpike(Rules).Should().BeFalse();
        bool Lr(TrainDrop d) => d.MatchesLrSpike(Rules);

        EffectiveLrSawtooth.Share(cut, Lr).Should().Be(1.0, "new: 2 of the 2 recovered drops");
        EffectiveLrSawtooth.ShareOverAllDrops(cut, Lr).Should().BeApproximately(2.0 / 3, 1e-12, "old: 2 of all 3 drops");
        PeriodicDrops.MatchedShare(cut, Rules).Should().Be(1.0, "PB-2: the same denominator");

        var result = EffectiveLrSawtooth.Decide(ClaimScope.Typical, members, Limits);
        var lr = result.Comparisons.Single(c => c.Key == "lrSpikeSharePooled");
        var old = Thresholds.Share(new Quantity("old", "old"), 10, 15, Relation.AtLeast, MinShare, []);

        lr.Reason.Should().Contain("10 of 10");
        lr.Verdict.Should().Be(Verdict.Confirmed);
        old.Verdict.Should().Be(Verdict.Inconclusive, "the old denominator pooled: 10 of 15, within noise");
        result.Verdict.Should().Be(Verdict.Confirmed);
    }

    // ---------------------------------------------------------------- PB-4: EffectiveGradientTrend

    private static readonly GrokkingPoints Grokked = new(577, 0.02, 2402, 2011, 1.0, null);

    [Fact]
    public void PB4_a_falling_rank_trend_with_a_lower_last_fifth_is_confirmed()
    {
        var finding = EffectiveGradientTrend.Judge(11, Grokked, new TrendResult(-0.9, 20, 4, 180), MaxRho, 3000);

        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Seed.Should().Be(11);
        finding.Reason.Should().Be("epochs 577-2011 (180 steps): rho -0.90, median first fifth 20 -> last fifth 4");
    }

    [Fact]
    public void PB4_rho_at_the_bound_still_counts_as_down()
    {
        EffectiveGradientTrend.Judge(11, Grokked, new TrendResult(MaxRho, 20, 4, 180), MaxRho, 3000).Verdict.Should().Be(Verdict.Confirmed);
        EffectiveGradientTrend.Judge(11, Grokked, new TrendResult(MaxRho + 0.01, 20, 4, 180), MaxRho, 3000).Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void PB4_a_rho_above_the_bound_is_refuted_even_with_a_lower_last_fifth()
    {
        var finding = EffectiveGradientTrend.Judge(11, Grokked, new TrendResult(-0.1, 20, 4, 180), MaxRho, 3000);

        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("rho -0.10").And.EndWith("not a downward trend (rho <= -0.3 and a lower last fifth required)");
    }

    [Fact]
    public void PB4_a_falling_rho_with_a_last_fifth_not_lower_is_refuted()
    {
        var same = EffectiveGradientTrend.Judge(11, Grokked, new TrendResult(-0.8, 5, 5, 180), MaxRho, 3000);
        var higher = EffectiveGradientTrend.Judge(11, Grokked, new TrendResult(-0.8, 5, 6, 180), MaxRho, 3000);

        same.Verdict.Should().Be(Verdict.Refuted);
        same.Reason.Should().Contain("median first fifth 5 -> last fifth 5").And.Contain("not a downward trend");
        higher.Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void PB4_a_seed_without_point_2_has_no_span_and_is_inconclusive()
    {
        var trend = new TrendResult(-0.9, 20, 4, 180);
        var noPoint2 = EffectiveGradientTrend.Judge(11, new GrokkingPoints(577, 0.02, double.NaN, double.NaN, 0.7, null), trend, MaxRho, 3000);
        var noPoint1 = EffectiveGradientTrend.Judge(11, NeverMemorized(), trend, MaxRho, 3000);
        var diverged = EffectiveGradientTrend.Judge(11, new GrokkingPoints(577, 0.02, double.NaN, double.NaN, 0.7, 1500), trend, MaxRho, 3000);

        noPoint2.Verdict.Should().Be(Verdict.Inconclusive);
        noPoint2.Diverged.Should().BeFalse();
        noPoint2.Reason.Should().Be("no point 1 -> point 2 span within 3000 epochs");
        noPoint1.Verdict.Should().Be(Verdict.Inconclusive);
        diverged.Verdict.Should().Be(Verdict.Inconclusive);
        diverged.Diverged.Should().BeTrue();
        diverged.Reason.Should().Be("diverged at epoch 1500 before point 2");
    }

    [Fact]
    public void PB4_a_decreasing_series_with_spikes_at_drops_trends_down_end_to_end()
    {
        // 1/epoch with five spikes 100x above the start: the rank statistic and the medians ride over them.
        double[] epochs = Enumerable.Range(1, 1000).Select(t => (double)t).ToArray();
        double[] values = epochs.Select(t => 1 / t).ToArray();
        foreach (int spike in new[] { 120, 300, 480, 700, 900 })
        {
            values[spike - 1] = 100;
        }

        values[400] = double.NaN;
        var points = new GrokkingPoints(100, 0.02, 950, 950, 1.0, null);

        var trend = PeriodicEvents.Trend(epochs, values, points.Point1, points.RobustPoint2);
        var finding = EffectiveGradientTrend.Judge(11, points, trend, MaxRho, 1000);

        trend.Count.Should().Be(850, "epochs 100..950 less the NaN step");
        trend.Rho.Should().BeLessThan(-0.95);
        trend.FirstFifthMedian.Should().BeApproximately((1 / 184.0 + 1 / 185.0) / 2, 1e-15, "epochs 100..269: the spike at 120 replaces a value above the median, which stays that of 1/100..1/269");
        trend.LastFifthMedian.Should().BeApproximately((1 / 864.0 + 1 / 865.0) / 2, 1e-15, "epochs 781..950: the spike at 900 replaces a value below the median, which moves by one step only");
        finding.Verdict.Should().Be(Verdict.Confirmed);
        finding.Reason.Should().StartWith("epochs 100-950 (850 steps): rho -0.9");
    }

    [Fact]
    public void PB4_a_flat_series_with_spikes_is_refuted_end_to_end()
    {
        double[] epochs = Enumerable.Range(1, 1000).Select(t => (double)t).ToArray();
        double[] values = epochs.Select(t => t % 200 == 0 ? 50.0 : 1.0 + (t % 7) * 0.01).ToArray();
        var points = new GrokkingPoints(100, 0.02, 950, 950, 1.0, null);

        var trend = PeriodicEvents.Trend(epochs, values, points.Point1, points.RobustPoint2);
        var finding = EffectiveGradientTrend.Judge(11, points, trend, MaxRho, 1000);

        Math.Abs(trend.Rho).Should().BeLessThan(0.1);
        finding.Verdict.Should().Be(Verdict.Refuted);
        finding.Reason.Should().Contain("not a downward trend");
    }
}
