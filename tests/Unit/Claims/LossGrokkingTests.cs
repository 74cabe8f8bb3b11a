using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.OG;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>OG-9's decision (<see cref="LossGrokking"/>) on synthetic loss curves: alpha 3 and alpha 1 members of 3 seeds, rows every 100 steps.</summary>
public class LossGrokkingTests
{
    private const long Every = 100;
    private const long Steps = 100_000;

    /// <summary>
    /// One member's losses: train 10 until <c>Fit</c>, then 0.01; test <c>Start</c> until <c>Drop</c>, then <c>Low</c>
    /// (steps, so each event is a step function and its reading is exact).
    /// </summary>
    private sealed record Curve(long Fit, long Drop, double Start, double Low);

    private static ClaimContext ContextOf(Func<long, double, Curve> curve)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        foreach (long seed in new long[] { 0, 1, 2 })
        {
            foreach (double alpha in new[] { 3.0, 1.0 })
            {
                int index = members.Count;
                var c = curve(seed, alpha);
                members.Add(new MemberSpec(index, seed, 1e-3, 0, alpha));
                for (long step = 0; step <= Steps; step += Every)
                {
                    double train = step >= c.Fit ? 0.01 : 10;
                    double test = step >= c.Drop ? c.Low : c.Start;
                    metrics.Add(new MetricRow(step, step / 4.0, index, train, train, 0, test, test, 0, 10, 1e-3, 1, 1, null));
                }
            }
        }

        var result = SyntheticResult.Of(members, metrics, members.Select(m => new MemberEvents(m.Index, MemberEvents.Never, MemberEvents.Never, MemberEvents.Never)).ToList(), 4, Steps);
        var claim = new ClaimDefinition
        {
            Id = "OG-9",
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            RuleParameters =
            [
                new("fitProgress", 0.9, "r"), new("dropProgress", 0.9, "r"), new("grokkingDelay", 10, "r"),
                new("minDropDecades", 1, "r"), new("largeInit", 3, "r"), new("standardInit", 1, "r"),
            ],
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return new ClaimContext(claim, result, "dir", Profile.Ci, report);
    }

    /// <summary>The paper's picture: alpha 3 fits at 500 and its test loss drops two decades at 10,000; alpha 1's falls with its fit at 400.</summary>
    private static Curve Paper(long seed, double alpha) => alpha == 3 ? new Curve(500, 10_000, 50, 0.5) : new Curve(400, 400, 20, 2);

    private static Comparison Compared(AnalysisResult result, string key) => result.Comparisons.Single(c => c.Key == key);

    [Fact]
    public void Progress_is_the_share_of_the_log_fall_covered()
    {
        LossGrokking.Progress([100, 10, 1, 10]).Should().Equal(0, 0.5, 1, 0.5);
        LossGrokking.Progress([1, 2, 4]).Should().OnlyContain(v => double.IsNaN(v), "a loss that never falls below its start has no progress");
    }

    [Fact]
    public void A_late_deep_test_loss_drop_at_alpha_3_and_none_at_alpha_1_is_confirmed()
    {
        var result = new LossGrokking().Analyze(ContextOf(Paper));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Measured.Single(m => m.Key == "fit-a3").Value.Should().Be(500);
        result.Measured.Single(m => m.Key == "drop-a3").Value.Should().Be(10_000);
        result.Measured.Single(m => m.Key == "depth-a3").Value.Should().BeApproximately(2, 1e-9);
        Compared(result, "delay-a1").PerSeed.Should().Equal(1, 1, 1);
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void A_drop_only_three_times_after_the_fit_in_every_seed_is_refuted()
    {
        var result = new LossGrokking().Analyze(ContextOf((s, a) => a == 3 ? new Curve(500, 1500, 50, 0.5) : Paper(s, a)));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "delay-a3").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void One_seed_dropping_early_is_inconclusive_within_noise()
    {
        // Delays 20, 3, 20 (mean 14.3, t-interval about [-10, 39]) straddle 10.
        var result = new LossGrokking().Analyze(ContextOf((s, a) => a == 3 ? new Curve(500, s == 1 ? 1500 : 10_000, 50, 0.5) : Paper(s, a)));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var delay = Compared(result, "delay-a3");
        delay.PerSeed.Should().Equal(20, 3, 20);
        delay.Reason.Should().Contain("within noise");
        delay.SeedsNeeded.Should().NotBeNull();
    }

    [Fact]
    public void A_shallow_late_drop_is_refuted_by_its_depth()
    {
        // Late (delay 20) but the test loss falls by a factor 2 only: 0.3 decades < 1.
        var result = new LossGrokking().Analyze(ContextOf((s, a) => a == 3 ? new Curve(500, 10_000, 1, 0.5) : Paper(s, a)));

        result.Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "depth-a3").Verdict.Should().Be(Verdict.Refuted);
        Compared(result, "delay-a3").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void The_control_swaps_the_initializations_and_is_refuted_where_the_claim_is_confirmed()
    {
        var control = new LossGrokking().AnalyzeControl(ContextOf(Paper));

        new LossGrokking().ControlName.Should().Be("standard-init-as-large");
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        Compared(control, "delay-a1").Relation.Should().Be(Relation.AtLeast);
        control.Figures.Should().BeEmpty();
    }
}
