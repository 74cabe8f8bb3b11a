using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.OG;
using Grokking.Claims.Toolkit;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// OG-15's rule (Omnigrok section 5.1, Fig. 6e) on synthetic size sweeps (<see cref="ToyAdditionRun"/>): 45 and 55 reach
/// the generalizing solution, 55 sooner, 25 and 35 never; each way the claim can fail or stay undecided; its control.
/// </summary>
public sealed class ToyAdditionSizesTests
{
    private static readonly long[] T45 = [3000, 3400, 2800];
    private static readonly long[] T55 = [2000, 2100, 1900];

    /// <summary>The paper's picture: 55 sooner than 45 in every seed, 25 and 35 never.</summary>
    private static long? Paper(long seed, int size) => size switch { 45 => T45[seed], 55 => T55[seed], _ => null };

    private static AnalysisResult Analyze(long budget, Func<long, int, long?> generalizes, Func<long, int, long?>? heldOut = null,
        float[]? representation = null, double rqiLevel = 0.95) =>
        new ToyAdditionSizes().Analyze(ToyAdditionRun.Context(ToyAdditionRun.Result(budget, generalizes, heldOut, representation), rqiLevel));

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    [Fact]
    public void The_representation_quality_index_is_one_for_a_linear_representation_and_low_for_a_scrambled_one()
    {
        RepresentationQuality.Parallelograms(10).Should().HaveCount(70, "i < j <= m < n, i + n = j + m, over ten digits");
        RepresentationQuality.Parallelograms(4).Should().Equal([(0, 2, 1, 1), (0, 3, 1, 2), (1, 3, 2, 2)], "j = m counts: E_0 + E_2 = 2 E_1");
        RepresentationQuality.Of(ToyAdditionRun.Linear, 10).Should().Be(1);
        RepresentationQuality.Of([.. ToyAdditionRun.Linear.Select(v => (3 * v) - 7)], 10).Should().Be(1, "standardized: affine maps change nothing");
        RepresentationQuality.Of(ToyAdditionRun.Scrambled, 10).Should().BeLessThan(0.2);
        // Digit 9 moved off the line breaks exactly the 20 parallelograms with n = 9 (digit 9 is never i, j or m).
        float[] bent = [.. ToyAdditionRun.Linear];
        bent[9] = 12;
        RepresentationQuality.Of(bent, 10).Should().BeApproximately(50.0 / 70, 1e-12);
        // Two columns, the second constant but for jitter: its gaps average in with the first column's zeros.
        float[] twoColumns = [.. ToyAdditionRun.Linear.SelectMany((v, i) => new[] { v, i == 4 ? 1f : 0f })];
        RepresentationQuality.Of(twoColumns, 10).Should().BeLessThan(1);
    }

    [Fact]
    public void Forty_five_and_fifty_five_generalizing_fifty_five_sooner_and_the_smaller_sizes_never_is_confirmed()
    {
        var result = Analyze(20_000, Paper);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Compared(result, "orderLogRatio").Scope.Should().Be(ClaimScope.Typical);
        Compared(result, "orderLogRatio").High.Should().BeLessThan(0);
        Compared(result, "failingRqi").Scope.Should().Be(ClaimScope.Universal);
        Compared(result, "failingRqi").PerSeed.Should().HaveCount(6, "sizes 25 and 35 in three seeds");
        Compared(result, "failingHeldOutWrong").Verdict.Should().Be(Verdict.Confirmed);
        result.Measured.Single(m => m.Key == "tGeneralize-n45").Value.Should().Be(3000);
        result.Measured.Single(m => m.Key == "tGeneralize-n55").Value.Should().Be(2000);
        result.Measured.Single(m => m.Key == "tGeneralize-n25").Value.Should().Be(double.NaN);
        result.Measured.Single(m => m.Key == "fewestWrong-n25").Value.Should().Be(27, "30 held-out pairs at accuracy 0.1");
        result.Measured.Single(m => m.Key == "fewestWrong-n55").Value.Should().Be(double.NaN, "no held-out pair");
    }

    [Fact]
    public void A_smaller_size_that_reaches_the_generalizing_solution_in_one_seed_refutes()
    {
        var result = Analyze(20_000, (seed, size) => seed == 1 && size == 35 ? 8000 : Paper(seed, size));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Compared(result, "failingRqi").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "failingRqi").Worst.Should().Be(1);
    }

    [Fact]
    public void A_smaller_size_that_gets_every_held_out_pair_right_refutes_even_with_a_messy_representation()
    {
        var result = Analyze(20_000, Paper, heldOut: (seed, size) => seed == 2 && size == 25 ? 12_000 : Paper(seed, size));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Compared(result, "failingHeldOutWrong").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "failingRqi").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void Fifty_five_later_than_forty_five_in_every_seed_refutes_the_ordering()
    {
        var result = Analyze(40_000, (seed, size) => size switch { 45 => T55[seed], 55 => T45[seed] + 2000, _ => null });

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Compared(result, "orderLogRatio").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "orderLogRatio").Low.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Orderings_that_straddle_even_leave_the_claim_inconclusive_within_noise()
    {
        long[] t55 = [2400, 3900, 3000];
        var result = Analyze(20_000, (seed, size) => size == 55 ? t55[seed] : Paper(seed, size));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var order = Compared(result, "orderLogRatio");
        order.Verdict.Should().Be(Verdict.Inconclusive);
        order.Low.Should().BeLessThan(0);
        order.High.Should().BeGreaterThan(0);
        order.Reason.Should().Contain("within noise");
    }

    [Fact]
    public void A_critical_size_that_has_not_generalized_within_the_budget_leaves_the_claim_inconclusive_not_refuted()
    {
        var result = Analyze(20_000, (seed, size) => seed == 0 && size == 45 ? null : Paper(seed, size));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("N 45 not there after 20000 steps");
    }

    [Fact]
    public void An_absence_over_a_run_shorter_than_the_absence_factor_times_the_slowest_time_confirms_nothing()
    {
        // The slowest size-45 time is 3,400 steps: an absence needs 5 x 3,400 = 17,000 steps, and the run has 10,000.
        var result = Analyze(10_000, Paper);

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        Compared(result, "failingRqi").Verdict.Should().Be(Verdict.Inconclusive);
        Compared(result, "failingRqi").Reason.Should().Contain("an absence needs 17000 steps");
        Compared(result, "orderLogRatio").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void A_smaller_size_past_the_rqi_level_within_one_parallelogram_does_not_refute_and_one_just_past_it_does()
    {
        // The bent representation holds 50 of 70 parallelograms (RQI 0.714); one parallelogram is 1/70 = 0.0143.
        float[] bent = [.. ToyAdditionRun.Linear];
        bent[9] = 12;
        long? Smaller(long seed, int size) => seed == 0 && size == 25 ? 9000 : null;

        var within = Analyze(20_000, (s, n) => n >= 45 ? Paper(s, n) : Smaller(s, n), heldOut: (s, n) => n >= 45 ? Paper(s, n) : null,
            representation: bent, rqiLevel: 0.705);
        var past = Analyze(20_000, (s, n) => n >= 45 ? Paper(s, n) : Smaller(s, n), heldOut: (s, n) => n >= 45 ? Paper(s, n) : null,
            representation: bent, rqiLevel: 0.699);

        Compared(within, "failingRqi").Verdict.Should().Be(Verdict.Inconclusive, "0.714 is past 0.705 by less than 1/70");
        Compared(past, "failingRqi").Verdict.Should().Be(Verdict.Refuted, "0.714 is past 0.699 by more than 1/70");
        Compared(past, "failingRqi").Resolution.Should().BeApproximately(1.0 / 70, 1e-12);
    }

    [Fact]
    public void The_control_reads_the_sizes_swapped_and_refutes_the_papers_picture()
    {
        var control = new ToyAdditionSizes().AnalyzeControl(ToyAdditionRun.Context(ToyAdditionRun.Result(20_000, Paper)));

        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "failingRqi").Verdict.Should().Be(Verdict.Refuted, "55 and 45, read as 25 and 35, generalize");
        control.Figures.Should().BeEmpty();
    }
}
