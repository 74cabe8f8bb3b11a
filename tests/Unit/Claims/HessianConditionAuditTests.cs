using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-6 under issue 25 (<see cref="HessianCondition"/>): κ_grok / κ_fast per seed read by the typical scope (the seed
/// interval decides, a straddle is INCONCLUSIVE within noise), "larger" kept strict, and the roles-swapped control
/// refuting where the rule confirms (the same comparison the control's code path reaches, <see cref="HessianCondition.Compare"/>).
/// </summary>
public sealed class HessianConditionAuditTests
{
    /// <summary>Three measured seeds (their findings decided, so every ratio counts) with the given κ pairs.</summary>
    private static Comparison Typical(params (double Grok, double Fast)[] kappas) =>
        HessianCondition.Compare(
            ClaimScope.Typical, [.. kappas.Select((_, i) => new SeedFinding(i, Verdict.Confirmed, "measured"))], kappas);

    [Fact]
    public void Ratios_straddling_one_across_seeds_are_inconclusive_within_noise()
    {
        var c = Typical((800, 1000), (1100, 1000), (1400, 1000));

        c.Verdict.Should().Be(Verdict.Inconclusive, c.Reason);
        c.Reason.Should().Contain("within noise");
        c.SeedsNeeded.Should().NotBeNull().And.BeGreaterThan(3);
        c.PerSeed.Should().Equal(0.8, 1.1, 1.4);
    }

    [Fact]
    public void Ratios_wholly_above_one_confirm_and_wholly_below_refute()
    {
        Typical((2000, 1000), (2200, 1000), (2400, 1000)).Verdict.Should().Be(Verdict.Confirmed);
        var below = Typical((500, 1000), (600, 1000), (700, 1000));
        below.Verdict.Should().Be(Verdict.Refuted);
        below.Flip.ConfirmAt.Should().BeApproximately(0.6 - (4.303 * 0.1 / Math.Sqrt(3)), 1e-3, "the interval's low end");
    }

    [Fact]
    public void An_equal_condition_number_is_not_larger()
    {
        HessianCondition.Larger.Should().BeGreaterThan(1).And.Be(Math.BitIncrement(1.0));
        Typical((1000, 1000), (1000, 1000), (1000, 1000)).Verdict.Should().Be(Verdict.Refuted);
    }

    [Fact]
    public void The_swapped_roles_refute_where_the_rule_confirms()
    {
        (double, double)[] kappas = [(2000, 1000), (2500, 1000), (3000, 1000)];

        var main = Typical(kappas);
        var swapped = Typical([.. kappas.Select(k => (k.Item2, k.Item1))]);

        main.Verdict.Should().Be(Verdict.Confirmed);
        swapped.Verdict.Should().Be(Verdict.Refuted);
        new HessianCondition().ControlName.Should().Be("roles-swapped");
    }

    [Fact]
    public void A_seed_without_a_snapshot_has_no_ratio_and_fewer_than_three_cannot_decide()
    {
        SeedFinding[] findings =
        [
            new(0, Verdict.Confirmed, "measured"), new(1, Verdict.Inconclusive, "no snapshot"), new(2, Verdict.Refuted, "measured"),
        ];

        var c = HessianCondition.Compare(ClaimScope.Typical, findings, [(2000, 1000), (double.NaN, 1000), (3000, 1000)]);

        c.PerSeed[1].Should().Be(double.NaN);
        c.Verdict.Should().Be(Verdict.Inconclusive);
        c.Reason.Should().Contain("1 seed(s) without the value");
    }
}
