using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using static Grokking.Tests.Unit.Claims.SlingshotRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>PG-5's decision (<see cref="LazyRegime"/>) on synthetic runs from <see cref="SlingshotRun"/>.</summary>
public sealed class LazyRegimeTests
{
    private static AnalysisResult Analyze(Func<long, Member> member, int burnIn = 100, bool traces = true) =>
        new LazyRegime().Analyze(Context(Result(member, traces), "PG-5",
        [
            .. SpikeRuleParameters("r"),
            new("burnIn", burnIn, "r"), new("maxQuietCv", 0.2, "r"), new("spikeFactor", 10, "r"), new("minCoverage", 0.5, "r"),
        ]));

    [Fact]
    public void A_constant_distance_with_bursts_at_the_slingshots_is_confirmed()
    {
        var result = Analyze(Paper);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        // Quiet d is 1e-5 (1 ± 5%), uniform: CV 0.1 / sqrt(12) = 0.0289, plus float32 rounding of cos near 1 (6e-8 steps,
        // 0.6% of d) and its sampling error.
        Measured(result, "quietCv").PerSeed.Should().AllSatisfy(cv => cv.Should().BeInRange(0.02, 0.04));
        // Bursts of 1e-3 over a median of ~1e-5: ~100x.
        Measured(result, "peakRatio").PerSeed.Should().AllSatisfy(r => r.Should().BeInRange(90, 110));
        Measured(result, "wholeCv").Value.Should().BeGreaterThan(1, "the eight burst samples dominate the whole run's spread");
        Measured(result, "lossSpikes").PerSeed.Should().Equal(4, 4, 4);
        // Each span is the update before the onset plus the 10 spiked loss samples: 44 of the 2,900 samples after the burn-in.
        Measured(result, "coverage").PerSeed.Should().AllSatisfy(c => c.Should().BeApproximately(1 - (44 / 2900.0), 1e-12));
        result.Comparisons.Select(c => c.Verdict).Should().OnlyContain(v => v == Verdict.Confirmed);
        result.Figures.Should().ContainSingle();
        new LazyRegime().Name.Should().Be("lazy-regime");
    }

    [Fact]
    public void A_drifting_distance_refutes_almost_constant()
    {
        // d rises linearly from 1e-5 to 1e-4 over the run. After the burn-in it spans 1.3..10 (x 1e-5), uniform in
        // steps: CV = (8.7 / sqrt(12)) / 5.65 = 0.444 > 0.2.
        var result = Analyze(s => Slingshots(s, Spikes, 1950, distance: (step, _) => 1e-5 * (1 + (9.0 * step / Steps))));

        result.Verdict.Should().Be(Verdict.Refuted);
        Measured(result, "quietCv").PerSeed.Should().AllSatisfy(cv => cv.Should().BeApproximately(0.444, 0.01));
        result.Comparisons.Single(c => c.Key == "quietCv").Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("the interval lies wholly past the threshold");
    }

    [Fact]
    public void A_distance_without_bursts_at_the_slingshots_refutes_the_exception()
    {
        // The bursts sit 300 steps after every loss spike, in the quiet part: the spans hold only quiet samples.
        var result = Analyze(s => Slingshots(s, Spikes, 1950, distanceBursts: [.. Spikes.Select(x => x + 300)]));

        result.Verdict.Should().Be(Verdict.Refuted);
        Measured(result, "peakRatio").PerSeed.Should().AllSatisfy(r => r.Should().BeLessThan(1.1));
        result.Comparisons.Single(c => c.Key == "peakRatio").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void No_slingshot_at_all_leaves_it_inconclusive()
    {
        var result = Analyze(s => Slingshots(s, [], 1950));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("without a slingshot");
        Measured(result, "lossSpikes").PerSeed.Should().Equal(0, 0, 0);
    }

    [Fact]
    public void The_burn_in_keeps_the_initial_transient_out()
    {
        // d starts at 1e-3 and decays to the quiet level with time constant 10 steps, gone by step 100.
        Member Transient(long s) => Slingshots(s, Spikes, 1950, distance: (step, random) => QuietDistance(random) + (1e-3 * Math.Exp(-step / 10.0)));

        Analyze(Transient, burnIn: 100).Verdict.Should().Be(Verdict.Confirmed);
        var early = Analyze(Transient, burnIn: 0);
        early.Verdict.Should().Be(Verdict.Refuted, "without the burn-in the transient is in the quiet part");
        Measured(early, "quietCv").Value.Should().BeGreaterThan(0.2);
    }

    [Fact]
    public void Weights_that_do_not_move_outside_the_windows_leave_it_inconclusive()
    {
        var result = Analyze(s => Slingshots(s, Spikes, 1950, distance: (_, _) => 0));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("averages 0");
        Measured(result, "quietMedian").Value.Should().Be(0);
    }

    [Fact]
    public void Distances_far_below_float32_spacing_near_one_are_read_as_they_are()
    {
        // The traces store 1 - cos itself, so a quiet distance of 1e-9 (a cosine float32 would round to 1) is kept.
        var result = Analyze(s => Slingshots(s, Spikes, 1950, distance: (_, r) => 1e-9 * (1 + (0.1 * (r.NextDouble() - 0.5)))));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "quietMedian").Value.Should().BeApproximately(1e-9, 1e-10);
    }

    [Fact]
    public void A_diverged_seed_is_named_and_leaves_it_inconclusive()
    {
        var result = Analyze(s => s == 1 ? Paper(s) with { DivergedStep = 2000 } : Paper(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("seed 1").And.Contain("diverged at step 2000");
        // Read up to step 2000: the frozen weights after it would otherwise give 1,000 samples of d = 0.
        Measured(result, "lossSpikes").PerSeed.Should().Equal(4, 3, 4);
    }

    [Fact]
    public void A_run_without_step_traces_says_to_turn_them_on()
    {
        FluentActions.Invoking(() => Analyze(Paper, traces: false))
            .Should().Throw<InvalidOperationException>().WithMessage("*Train:StepTraces*");
    }

    [Fact]
    public void A_burn_in_that_is_not_a_whole_number_of_steps_is_rejected()
    {
        RuleParameter[] parameters =
        [
            .. SpikeRuleParameters("r"),
            new("burnIn", 100.5, "r"), new("maxQuietCv", 0.2, "r"), new("spikeFactor", 10, "r"), new("minCoverage", 0.5, "r"),
        ];

        FluentActions.Invoking(() => new LazyRegime().Analyze(Context(Result(Paper), "PG-5", parameters)))
            .Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.burnIn' is 100.5, but it counts*");
    }
}
