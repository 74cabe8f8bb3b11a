using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using static Grokking.Tests.Unit.Claims.SlingshotRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>PG-3's decision (<see cref="SlingshotOnset"/>) on synthetic runs from <see cref="SlingshotRun"/>.</summary>
public sealed class SlingshotOnsetTests
{
    private static AnalysisResult Analyze(Func<long, Member> member, bool traces = true) =>
        new SlingshotOnset().Analyze(Context(Result(member, traces), "PG-3",
        [
            .. SpikeRuleParameters("r"),
            new("minSpikes", 3, "r"), new("riseAbove", 0.5, "r"), new("maxPhase", 0.25, "r"), new("valLevel", 0.99, "r"),
        ]));

    [Fact]
    public void Validation_rising_just_after_a_slingshot_in_every_seed_is_confirmed()
    {
        var result = Analyze(Paper);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        // Rows every 50 steps: the rise is read at step 1950, 50 steps after the onset at step 1900.
        Measured(result, "lag").PerSeed.Should().Equal(50, 50, 50);
        Measured(result, "riseStep").Value.Should().Be(1950);
        Measured(result, "lossSpikes").PerSeed.Should().Equal(4, 4, 4);
        Measured(result, "normSpikes").PerSeed.Should().Equal(4, 4, 4);
        Measured(result, "normMatched").Value.Should().Be(1);
        Measured(result, "spikeSpacing").Value.Should().Be(700);
        Measured(result, "phase").PerSeed.Should().Equal(50 / 700.0, 50 / 700.0, 50 / 700.0);
        // Cycles of 700 steps (the last one's length is the median spacing): 176 steps of each (the onset and 175 after)
        // lie in its first quarter; the 499 steps before the first onset have no phase. Out of 3,000 traced steps.
        Measured(result, "chanceShare").Value.Should().BeApproximately(4 * 176 / 3000.0, 1e-12);
        Measured(result, "generalizedStep").Value.Should().Be(1950);
        Measured(result, "generalizedLag").Value.Should().Be(50);
        result.Reason.Should().Contain("step(s) 500, 1200, 1900, 2600");
        result.Figures.Should().ContainSingle();
        new SlingshotOnset().Name.Should().Be("slingshot-onset");
    }

    [Fact]
    public void A_rise_far_after_the_latest_spike_in_one_seed_is_within_noise()
    {
        // "Almost exclusively" (typical): seed 1 groks at 1500, 300 steps after the onset at 1200 (phase 0.43 of its
        // 700-step cycle, past maxPhase 0.25); the others at phase 0.07. The seed interval (mean 0.19) straddles 0.25.
        var result = Analyze(s => s == 1 ? Slingshots(s, Spikes, 1500) : Paper(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("within noise").And.Contain("300 steps after the loss spike at step 1200");
        result.Comparisons.Single(c => c.Key == "phase").SeedsNeeded.Should().NotBeNull();
        Measured(result, "lag").PerSeed.Should().Equal(50, 300, 50);
    }

    [Fact]
    public void A_rise_before_any_spike_refutes()
    {
        var result = Analyze(s => Slingshots(s, [1200, 1900, 2600], 800));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("reaches 99 % at step 800 with no train-loss spike at or before it");
        double.IsNaN(Measured(result, "lag").Value).Should().BeTrue();
    }

    [Fact]
    public void A_single_slingshot_is_not_cyclic()
    {
        var result = Analyze(s => Slingshots(s, [1900], 1950));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: train-loss spike onsets per seed >= 3: 1 [1, 1]");
        Measured(result, "lossSpikes").Value.Should().Be(1);
    }

    [Fact]
    public void Loss_spikes_without_norm_spikes_refute()
    {
        // "Spikes in the train loss and the last-layer weight norm": a norm growing smoothly misses half the claim.
        var result = Analyze(s => Slingshots(s, Spikes, 1950, normSpikes: []));

        result.Verdict.Should().Be(Verdict.Refuted);
        Measured(result, "normSpikes").PerSeed.Should().Equal(0, 0, 0);
        Measured(result, "lossSpikes").PerSeed.Should().Equal(4, 4, 4);
    }

    [Fact]
    public void Norm_spikes_away_from_the_loss_spikes_are_reported_not_gated()
    {
        // Norm spikes 100 steps after each loss spike: none within spikeWindow = 20 steps of one.
        var result = Analyze(s => Slingshots(s, Spikes, 1950, normSpikes: [.. Spikes.Select(x => x + 100)]));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "normMatched").Value.Should().Be(0);
        result.Reason.Should().Contain("0 of 4 loss spikes have a norm-growth spike within 20 steps");
    }

    [Fact]
    public void Validation_that_never_rises_leaves_it_inconclusive()
    {
        var result = Analyze(s => s == 2 ? Slingshots(s, Spikes, long.MaxValue) : Paper(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("seed 2").And.Contain("never reached 99 %");
    }

    [Fact]
    public void A_seed_diverging_before_its_rise_is_named_and_leaves_it_inconclusive()
    {
        var result = Analyze(s => s == 2 ? Paper(s) with { DivergedStep = 1000 } : Paper(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("diverged at step 1000");
        Measured(result, "lossSpikes").PerSeed.Should().Equal([4, 4, 1], "seed 2 is read up to step 1000, and only the spike at 500 comes before it");
    }

    [Fact]
    public void A_far_rise_before_a_later_divergence_still_counts()
    {
        // Every seed groks at 1500, 300 steps after the onset at 1200; seed 0 diverges later, at 2800: its lag came
        // before the divergence, so it counts, and the phases' interval (0.43 in every seed) lies past maxPhase.
        var result = Analyze(s => s == 0 ? Slingshots(s, Spikes, 1500) with { DivergedStep = 2800 } : Slingshots(s, Spikes, 1500));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Reason.Should().Contain("seed 0").And.Contain("diverged at step 2800");
        result.Comparisons.Single(c => c.Key == "phase").PerSeed.Should().Equal(300 / 700.0, 300 / 700.0, 300 / 700.0);
    }

    [Fact]
    public void A_run_without_step_traces_says_to_turn_them_on()
    {
        FluentActions.Invoking(() => Analyze(Paper, traces: false))
            .Should().Throw<InvalidOperationException>().WithMessage("*Train:StepTraces*");
    }

    [Fact]
    public void The_spike_rule_binds_from_the_claim_file_names_and_a_negative_jump_is_rejected()
    {
        RuleParameter[] Rule(double jump) =>
        [
            new("spikeWindow", 20, "r"), new("spikeJump", jump, "r"), new("refractory", 30, "r"),
            new("minSpikes", 3, "r"), new("riseAbove", 0.5, "r"), new("maxPhase", 0.25, "r"), new("valLevel", 0.99, "r"),
        ];

        var parameters = Context(Result(Paper), "PG-3", Rule(0.5)).Claim.ParametersAs<SlingshotOnset.Parameters>();
        parameters.Should().Be(new SlingshotOnset.Parameters(new SpikeRule(Window: 20, RelativeJump: 0.5, Refractory: 30), 3, 0.5, 0.25, 0.99));
        FluentActions.Invoking(() => new SlingshotOnset().Analyze(Context(Result(Paper), "PG-3", Rule(-1))))
            .Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.spikeJump' is -1, outside its range*");
    }
}
