using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.MC;

namespace Grokking.Tests.Unit.Claims;

/// <summary>MC-9's rule (<see cref="GradientNormPassage"/>) on synthetic gradient-norm curves of three seeds, 61 points each.</summary>
public class GradientNormPassageTests
{
    private static readonly GradientNormPassage.Parameters Rule = new(new RobustPoint2Snapshot(RobustValAccuracy: 0.99), MaxRatio: 0.2, MaxClimb: 0.25);

    private const double Resolution = 1e-6;

    /// <summary>A curve from 0.75 to <paramref name="end"/>, falling linearly, with a bump of <paramref name="hill"/> at t = 0.5.</summary>
    private static GradientNormPassage.Passage Curve(long seed, double end, double hill = 0) =>
        new(seed, [.. Enumerable.Range(0, 61).Select(i => i / 60.0).Select(t => 0.75 + ((end - 0.75) * t) + (hill * Math.Exp(-Math.Pow((t - 0.5) / 0.05, 2))))]);

    private static List<SeedFinding> Came(int seeds) => [.. Enumerable.Range(0, seeds).Select(i => new SeedFinding(i, Verdict.Confirmed, "both points"))];

    private static AnalysisResult Decide(params GradientNormPassage.Passage?[] passages) =>
        GradientNormPassage.Decide(ClaimScope.Universal, passages, Came(passages.Length), Resolution, Rule);

    [Fact]
    public void A_fall_to_near_zero_without_a_climb_in_every_seed_is_confirmed()
    {
        var result = Decide(Curve(0, 0.05), Curve(1, 0.1), Curve(2, 0.12));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Measured.Single(m => m.Key == "ratio").Value.Should().BeApproximately(0.16, 1e-12);
        result.Measured.Single(m => m.Key == "climb").Value.Should().Be(0);
    }

    [Fact]
    public void One_seed_ending_above_a_fifth_of_its_start_refutes_the_universal_claim()
    {
        var result = Decide(Curve(0, 0.05), Curve(1, 0.2), Curve(2, 0.1));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Comparisons.Single(c => c.Key == "ratio").Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void One_seed_climbing_over_a_ridge_on_the_way_refutes_even_if_it_ends_low()
    {
        var result = Decide(Curve(0, 0.05), Curve(1, 0.05, hill: 0.4), Curve(2, 0.1));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Comparisons.Single(c => c.Key == "climb").Verdict.Should().Be(Verdict.Refuted);
        result.Comparisons.Single(c => c.Key == "ratio").Verdict.Should().Be(Verdict.Confirmed);
    }

    [Fact]
    public void A_seed_past_the_ratio_only_within_the_resolution_is_inconclusive()
    {
        var result = Decide(Curve(0, 0.05), Curve(1, (0.2 * 0.75) + (0.1 * Resolution)), Curve(2, 0.1));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
    }

    [Fact]
    public void The_control_reads_the_curves_backwards_and_is_refuted()
    {
        var passages = new[] { Curve(0, 0.05), Curve(1, 0.1), Curve(2, 0.12) };

        var control = Decide([.. passages.Select(p => p.Reversed)]);

        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Measured.Single(m => m.Key == "ratio").Value.Should().BeApproximately(15, 1e-9);
    }

    [Fact]
    public void A_seed_without_a_curve_has_no_value_and_fewer_than_three_leave_it_inconclusive()
    {
        var result = GradientNormPassage.Decide(
            ClaimScope.Universal, [Curve(0, 0.05), null, Curve(2, 0.1)],
            [new SeedFinding(0, Verdict.Confirmed, "both"), new SeedFinding(1, Verdict.Inconclusive, "no point 2"), new SeedFinding(2, Verdict.Confirmed, "both")],
            Resolution, Rule);

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
    }
}
