using Grokking.Training;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Training;

/// <summary>The step profile's arithmetic (per call, per step at each cadence, % of the step) and what the profiler measures.</summary>
public sealed class StepProfileTests
{
    private static StepProfile Sample(int members, double scale = 1) => new(members,
    [
        new ProfilePhase("forward + loss", 2 * scale, 1),
        new ProfilePhase("train+val evaluation", 8 * scale, 8),
        new ProfilePhase("stochastic grad norm", 5 * scale, 0),
        new ProfilePhase("checkpoint write", 100 * scale, 2000),
    ]);

    [Fact]
    public void Each_phase_is_spread_over_the_steps_between_its_calls_and_a_phase_that_is_off_costs_nothing()
    {
        var profile = Sample(1);

        // 2 + 8 / 8 + 0 + 100 / 2000 = 3.05 ms per step.
        profile.Phases.Select(p => p.MsPerStep).Should().Equal(2, 1, 0, 0.05);
        profile.MsPerStep.Should().BeApproximately(3.05, 1e-12);
        profile.Phases.Select(profile.PercentOf).Should().Equal(
            new[] { 200 / 3.05, 100 / 3.05, 0, 5 / 3.05 }, (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public void The_table_shows_the_profiles_side_by_side_with_their_sums()
    {
        var lines = StepProfile.Format([Sample(1), Sample(8, scale: 4)]);

        lines.Should().HaveCount(6);
        lines[0].Should().MatchRegex(@"^phase +every \|   K=1 +ms/call +ms/step +% \|   K=8 +ms/call +ms/step +%$");
        lines[2].Should().MatchRegex(@"^train\+val evaluation +8 \| +8\.000 +1\.000 +32\.8 \| +32\.000 +4\.000 +32\.8$");
        lines[3].Should().MatchRegex(@"^stochastic grad norm +off \| +5\.000 +0\.000 +0\.0 \| +20\.000 +0\.000 +0\.0$");
        lines[5].Should().MatchRegex(@"^step \(sum\) +\| +3\.050 +100\.0 \| +12\.200 +100\.0$");
    }

    [Fact]
    public void Profiles_with_different_phases_are_not_put_side_by_side()
    {
        var other = new StepProfile(8, [new ProfilePhase("backward", 1, 1)]);

        var act = () => StepProfile.Format([Sample(1), other]);

        act.Should().Throw<ArgumentException>().WithMessage("*same phases*");
    }

    [Fact]
    public void The_profiler_times_every_phase_of_the_trainers_step_at_the_configured_cadences_and_leaves_no_scratch_run()
    {
        var o = EngineFixtures.Small("Train:CheckpointEvery=500", "Train:StochasticGradientNorm=true");
        var before = Directory.GetDirectories(Path.GetTempPath(), "grokking-bench-*").ToHashSet();

        var profile = TrainingBenchmark.Profile(o, members: 2, steps: 3, repeats: 1, TorchSharp.torch.CPU);

        profile.Members.Should().Be(2);
        profile.Phases.Select(p => (p.Name, p.Every)).Should().Equal(
            ("minibatch order", 1), ("minibatch rows", 1), ("forward + loss", 1), ("backward", 1), ("grad norm + finite", 1),
            ("optimizer step", 1), ("step scope dispose", 1), ("metric norms", 20), ("train+val evaluation", 20),
            ("stochastic grad norm", 20), ("checkpoint write", 500));
        profile.Phases.Should().OnlyContain(p => p.MsPerCall > 0);
        Directory.GetDirectories(Path.GetTempPath(), "grokking-bench-*").Should().BeSubsetOf(before);
    }
}
