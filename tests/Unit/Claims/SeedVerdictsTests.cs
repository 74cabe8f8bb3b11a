using Grokking.Claims;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

public class SeedVerdictsTests
{
    private static SeedFinding Ok(long seed) => new(seed, Verdict.Confirmed, "holds");

    private static SeedFinding Diverged(long seed, Verdict verdict = Verdict.Inconclusive) => new(seed, verdict, "diverged", Diverged: true);

    [Fact]
    public void Three_completed_seeds_that_hold_confirm_even_beside_a_diverged_one() =>
        SeedVerdicts.Combine([Ok(0), Diverged(1), Ok(2), Ok(3)]).Verdict.Should().Be(Verdict.Confirmed);

    [Fact]
    public void Fewer_than_three_completed_seeds_cannot_decide()
    {
        var (verdict, reason) = SeedVerdicts.Combine([Ok(0), Diverged(1), Ok(2), Ok(3), Diverged(4), Ok(5), Diverged(6)]);
        verdict.Should().Be(Verdict.Confirmed); // 3 of 7 diverged: under half, 4 completed

        (verdict, reason) = SeedVerdicts.Combine([Ok(0), Ok(1), Diverged(2), Ok(3), Ok(4), Diverged(5)]);
        verdict.Should().Be(Verdict.Confirmed);

        (verdict, reason) = SeedVerdicts.Combine([Ok(0), Ok(1)]);
        verdict.Should().Be(Verdict.Inconclusive);
        reason.Should().Contain("only 2 seed(s) completed");
    }

    [Fact]
    public void Half_or_more_diverged_seeds_leave_the_claim_inconclusive()
    {
        var (verdict, reason) = SeedVerdicts.Combine([Ok(0), Diverged(1), Ok(2), Diverged(3)]);
        verdict.Should().Be(Verdict.Inconclusive);
        reason.Should().Contain("2 of 4 seeds diverged");
    }

    [Fact]
    public void Evidence_from_before_a_divergence_refutes()
    {
        var (verdict, reason) = SeedVerdicts.Combine([Ok(0), Diverged(1, Verdict.Refuted), Diverged(2), Diverged(3)]);
        verdict.Should().Be(Verdict.Refuted);
        reason.Should().Contain("seed 1");
    }

    [Fact]
    public void One_undecided_completed_seed_leaves_it_inconclusive() =>
        SeedVerdicts.Combine([Ok(0), new SeedFinding(1, Verdict.Inconclusive, "budget"), Ok(2)]).Verdict.Should().Be(Verdict.Inconclusive);

    [Theory]
    [InlineData(Verdict.Confirmed, Verdict.Confirmed, Verdict.Confirmed)]
    [InlineData(Verdict.Confirmed, Verdict.Refuted, Verdict.Refuted)]
    [InlineData(Verdict.Inconclusive, Verdict.Refuted, Verdict.Refuted)]
    [InlineData(Verdict.Confirmed, Verdict.Inconclusive, Verdict.Inconclusive)]
    public void Groups_hold_together_only_when_every_group_holds(Verdict first, Verdict second, Verdict expected)
    {
        var (verdict, reason) = SeedVerdicts.CombineGroups([("1 layer", first, "a"), ("2 layers", second, "b")]);

        verdict.Should().Be(expected);
        reason.Should().Be($"1 layer: {first.ToString().ToUpperInvariant()} — a | 2 layers: {second.ToString().ToUpperInvariant()} — b");
    }
}
