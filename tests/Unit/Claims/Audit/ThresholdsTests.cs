using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims.Audit;

/// <summary>
/// How the audit core judges a decisive quantity by scope: typical claims by the 95 % interval (within noise when it
/// straddles, with the seeds that would decide), universal claims by their worst seed against the resolution, shares by
/// Wilson, fits by their own interval; flip points that, re-judged, give the other verdict; and the combination.
/// </summary>
public sealed class ThresholdsTests
{
    private static readonly Quantity Val = new("valAtPoint1", "validation accuracy at point 1");

    [Fact]
    public void Typical_confirms_when_the_interval_lies_on_the_holding_side()
    {
        var c = Thresholds.Typical(Val, [0.05, 0.06, 0.07], Relation.AtMost, 0.1);

        c.Verdict.Should().Be(Verdict.Confirmed);
        c.Method.Should().Be(IntervalMethod.StudentT);
        c.Estimate.Should().BeApproximately(0.06, 1e-12);
        c.High.Should().BeApproximately(0.06 + (4.303 * 0.01 / Math.Sqrt(3)), 1e-12);
        c.SeedsNeeded.Should().BeNull();
        c.Scope.Should().Be(ClaimScope.Typical);
        double.IsNaN(c.Worst).Should().BeTrue("a typical comparison has no deciding seed");
    }

    [Fact]
    public void Typical_refutes_when_the_interval_lies_wholly_past_the_threshold()
    {
        var c = Thresholds.Typical(Val, [0.2, 0.21, 0.22], Relation.AtMost, 0.1);

        c.Verdict.Should().Be(Verdict.Refuted);
        c.Reason.Should().Contain("wholly past");
    }

    [Fact]
    public void Typical_straddling_the_threshold_is_inconclusive_within_noise_with_the_seeds_that_would_decide()
    {
        // MC-1's paper-profile values: one seed inside 10 %, three past it.
        double[] values = [0.079, 0.134, 0.135, 0.233];

        var c = Thresholds.Typical(Val, values, Relation.AtMost, 0.1);

        c.Verdict.Should().Be(Verdict.Inconclusive);
        c.Reason.Should().Contain("within noise").And.Contain($"about {c.SeedsNeeded} seeds would decide");
        int n = c.SeedsNeeded!.Value;
        var mean = values.Average();
        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / 3);
        Thresholds.Typical(Val, Spread(mean, sd, n), Relation.AtMost, 0.1).Verdict.Should().Be(Verdict.Refuted, "n seeds decide");
        Thresholds.Typical(Val, Spread(mean, sd, n - 1), Relation.AtMost, 0.1).Verdict.Should().Be(Verdict.Inconclusive, "n - 1 do not");
    }

    [Fact]
    public void Typical_with_fewer_than_3_values_is_inconclusive_keeping_the_missing_seeds_and_no_flip_point()
    {
        var c = Thresholds.Typical(Val, [0.05, double.NaN, 0.06], Relation.AtMost, 0.1);

        c.Verdict.Should().Be(Verdict.Inconclusive);
        c.Reason.Should().Contain("only 2 value(s)").And.Contain("1 seed(s) without the value");
        c.PerSeed.Should().HaveCount(3);
        c.SeedsNeeded.Should().BeNull();
        double.IsNaN(c.Flip.ConfirmAt).Should().BeTrue();
        double.IsNaN(c.Flip.RefuteAt).Should().BeTrue();
    }

    [Theory]
    [InlineData(0.105, Verdict.Inconclusive)]
    [InlineData(0.1, Verdict.Confirmed)]
    [InlineData(0.115, Verdict.Refuted)]
    public void Universal_refutes_only_past_the_resolution(double worst, Verdict expected)
    {
        var c = Thresholds.Universal(Val, [0.05, 0.08, worst], Relation.AtMost, 0.1, resolution: 0.01);

        c.Verdict.Should().Be(expected);
        c.Worst.Should().Be(worst);
        c.Scope.Should().Be(ClaimScope.Universal);
        if (expected == Verdict.Inconclusive)
        {
            c.Reason.Should().Contain("only within the resolution");
        }
    }

    [Fact]
    public void Universal_at_least_takes_the_lowest_seed()
    {
        Thresholds.Universal(Val, [3.5, 3.6, 1.4], Relation.AtLeast, 3, resolution: 0.1).Verdict.Should().Be(Verdict.Refuted);
        Thresholds.Universal(Val, [3.5, 3.6, 2.95], Relation.AtLeast, 3, resolution: 0.1).Verdict.Should().Be(Verdict.Inconclusive);
        Thresholds.Universal(Val, [3.5, 3.6, 3.1], Relation.AtLeast, 3, resolution: 0.1).Worst.Should().Be(3.1);
    }

    [Fact]
    public void A_resolution_made_from_missing_values_counts_only_when_no_seed_has_a_value()
    {
        var none = Thresholds.Universal(Val, [double.NaN, double.NaN, double.NaN], Relation.AtMost, 0.1, double.NaN);
        none.Verdict.Should().Be(Verdict.Inconclusive);
        none.Resolution.Should().Be(0, "a baseline stores a finite resolution");
        var act = () => Thresholds.Universal(Val, [0.05, 0.06, 0.07], Relation.AtMost, 0.1, double.NaN);
        act.Should().Throw<ArgumentException>().WithMessage("*valAtPoint1*resolution*");
    }

    [Fact]
    public void Universal_with_fewer_than_3_values_is_refuted_by_one_counterexample_but_never_confirmed()
    {
        Thresholds.Universal(Val, [0.2, double.NaN, double.NaN], Relation.AtMost, 0.1, 0.01).Verdict.Should().Be(Verdict.Refuted);
        var holding = Thresholds.Universal(Val, [0.05, 0.06, double.NaN], Relation.AtMost, 0.1, 0.01);
        holding.Verdict.Should().Be(Verdict.Inconclusive);
        holding.Reason.Should().Contain("only 2 seed(s)");
        double.IsNaN(holding.Flip.ConfirmAt).Should().BeTrue("no threshold confirms with 2 values");
        Thresholds.Universal(Val, [double.NaN, double.NaN, double.NaN], Relation.AtMost, 0.1, 0.01).Reason.Should().Contain("no seed has the value");
    }

    [Fact]
    public void Judge_reads_the_seeds_by_the_claims_scope()
    {
        double[] values = [0.05, 0.06, 0.5];
        Thresholds.Judge(ClaimScope.Universal, Val, values, Relation.AtMost, 0.1, 0.01).Verdict.Should().Be(Verdict.Refuted);
        Thresholds.Judge(ClaimScope.Typical, Val, values, Relation.AtMost, 0.1).Verdict.Should().Be(Verdict.Inconclusive);
    }

    public static TheoryData<string> FlipCases => new() { "typical-confirmed", "typical-refuted", "typical-noise", "universal-confirmed",
        "universal-refuted", "universal-resolution", "typical-at-least", "universal-at-least", "share", "fitted" };

    [Theory]
    [MemberData(nameof(FlipCases))]
    public void The_same_data_judged_at_the_flip_points_give_the_other_verdicts(string name)
    {
        var (judge, relation) = FlipCase(name);
        var flip = judge(relation == Relation.AtMost ? 0.1 : 3).Flip;
        // A stricter threshold: lower for an at-most rule, higher for an at-least one.
        double stricter = relation == Relation.AtMost ? -1e-9 : 1e-9;

        judge(flip.ConfirmAt).Verdict.Should().Be(Verdict.Confirmed, "the confirm point is inclusive");
        judge(flip.ConfirmAt + stricter).Verdict.Should().NotBe(Verdict.Confirmed, "a stricter threshold does not confirm");
        judge(flip.RefuteAt + stricter).Verdict.Should().Be(Verdict.Refuted, "strictly past the refute point it refutes");
        judge(flip.RefuteAt - stricter).Verdict.Should().NotBe(Verdict.Refuted, "just short of the refute point it does not");
    }

    [Fact]
    public void Flip_point_describes_both_sides_in_the_quantitys_unit()
    {
        var c = Thresholds.Typical(Val, [0.079, 0.134, 0.135, 0.233], Relation.AtMost, 0.1);

        c.Flip.Describe(c.Relation, "").Should().Be(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"confirms at a threshold >= {c.High:G4}; refutes at a threshold < {c.Low:G4}"));
        new FlipPoint(double.NaN, 2).Describe(Relation.AtLeast, "x").Should().Be("no threshold confirms; refutes at a threshold > 2 x");
        c.Rule.Should().Be("validation accuracy at point 1 <= 0.1 (typical)");
    }

    [Fact]
    public void Share_is_read_through_the_wilson_interval_of_the_pooled_count()
    {
        var q = new Quantity("matched", "matched share");
        Thresholds.Share(q, 19, 20, Relation.AtLeast, 0.66, []).Verdict.Should().Be(Verdict.Confirmed);
        Thresholds.Share(q, 1, 20, Relation.AtLeast, 0.66, []).Verdict.Should().Be(Verdict.Refuted);

        var noise = Thresholds.Share(q, 3, 5, Relation.AtLeast, 0.66, [1, 0, 1, 1, 0]);

        noise.Verdict.Should().Be(Verdict.Inconclusive);
        noise.Method.Should().Be(IntervalMethod.Wilson);
        noise.Low.Should().BeApproximately(0.2307, 1e-4);
        noise.Reason.Should().Contain("3 of 5").And.Contain("within noise").And.Contain("events would decide");
        noise.SeedsNeeded.Should().Be(WilsonInterval.Of(3, 5).TrialsToDecide(0.66));
    }

    [Fact]
    public void Fitted_is_read_through_the_fits_interval_and_its_seeds_needed_narrow_as_one_over_root_seeds()
    {
        var q = new Quantity("slope", "fitted slope");
        var fit = (-0.82, -0.873, -0.771);
        Thresholds.Fitted(q, fit, 5, Relation.AtMost, -0.75, []).Verdict.Should().Be(Verdict.Confirmed);
        Thresholds.Fitted(q, fit, 5, Relation.AtMost, -0.9, []).Verdict.Should().Be(Verdict.Refuted);

        var noise = Thresholds.Fitted(q, fit, 5, Relation.AtMost, -0.8, []);

        noise.Verdict.Should().Be(Verdict.Inconclusive);
        noise.Method.Should().Be(IntervalMethod.Fit);
        int n = noise.SeedsNeeded!.Value;
        double half = (-0.771 - -0.873) / 2, gap = 0.02;
        (half * Math.Sqrt(5.0 / n)).Should().BeLessThan(gap);
        (half * Math.Sqrt(5.0 / (n - 1))).Should().BeGreaterThanOrEqualTo(gap);
    }

    [Fact]
    public void A_fit_or_share_without_an_interval_decides_nothing_and_is_not_within_noise()
    {
        var q = new Quantity("slope", "fitted slope");

        var fit = Thresholds.Fitted(q, (-0.82, double.NaN, double.NaN), 5, Relation.AtMost, -0.75, []);
        var share = Thresholds.Share(q, 0, 0, Relation.AtLeast, 0.66, []);

        fit.Verdict.Should().Be(Verdict.Inconclusive);
        fit.Reason.Should().Contain("could not be computed").And.NotContain("within noise");
        fit.SeedsNeeded.Should().BeNull();
        double.IsNaN(fit.Flip.ConfirmAt).Should().BeTrue();
        share.Verdict.Should().Be(Verdict.Inconclusive);
        share.Reason.Should().NotContain("within noise");
    }

    [Fact]
    public void Combine_refutes_on_any_refuted_is_inconclusive_on_any_undecided_and_lists_each_reason()
    {
        var confirmed = Thresholds.Typical(Val, [0.05, 0.06, 0.07], Relation.AtMost, 0.1);
        var refuted = Thresholds.Typical(Val, [0.2, 0.21, 0.22], Relation.AtMost, 0.1);
        var noise = Thresholds.Typical(Val, [0.079, 0.134, 0.135, 0.233], Relation.AtMost, 0.1);

        Thresholds.Combine([confirmed, confirmed]).Verdict.Should().Be(Verdict.Confirmed);
        Thresholds.Combine([confirmed, noise]).Verdict.Should().Be(Verdict.Inconclusive);
        Thresholds.Combine([noise, refuted]).Verdict.Should().Be(Verdict.Refuted);
        Thresholds.Combine([confirmed, refuted]).Reason.Should().Be($"CONFIRMED: {confirmed.Reason}; REFUTED: {refuted.Reason}");
        Thresholds.Combine([]).Should().Be((Verdict.Inconclusive, "no decisive comparison could be made"));
    }

    /// <summary>n values with the given sample mean and standard deviation (evenly spaced, then standardized).</summary>
    private static double[] Spread(double mean, double sd, int n)
    {
        double[] z = [.. Enumerable.Range(0, n).Select(i => i - ((n - 1) / 2.0))];
        double s = Math.Sqrt(z.Sum(v => v * v) / (n - 1));
        return [.. z.Select(v => mean + (sd * v / s))];
    }

    private static (Func<double, Comparison> Judge, Relation Relation) FlipCase(string name) => name switch
    {
        "typical-confirmed" => (t => Thresholds.Typical(Val, [0.05, 0.06, 0.07], Relation.AtMost, t), Relation.AtMost),
        "typical-refuted" => (t => Thresholds.Typical(Val, [0.2, 0.21, 0.22], Relation.AtMost, t), Relation.AtMost),
        "typical-noise" => (t => Thresholds.Typical(Val, [0.079, 0.134, 0.135, 0.233], Relation.AtMost, t), Relation.AtMost),
        "typical-at-least" => (t => Thresholds.Typical(Val, [3.5, 3.6, 1.4], Relation.AtLeast, t), Relation.AtLeast),
        "universal-confirmed" => (t => Thresholds.Universal(Val, [0.05, 0.06, 0.07], Relation.AtMost, t, 0.01), Relation.AtMost),
        "universal-refuted" => (t => Thresholds.Universal(Val, [0.05, 0.06, 0.3], Relation.AtMost, t, 0.01), Relation.AtMost),
        "universal-resolution" => (t => Thresholds.Universal(Val, [0.05, 0.06, 0.105], Relation.AtMost, t, 0.01), Relation.AtMost),
        "universal-at-least" => (t => Thresholds.Universal(Val, [3.5, 3.6, 1.4], Relation.AtLeast, t, 0.1), Relation.AtLeast),
        "share" => (t => Thresholds.Share(Val, 3, 5, Relation.AtLeast, t, []), Relation.AtLeast),
        _ => (t => Thresholds.Fitted(Val, (-0.82, -0.873, -0.771), 5, Relation.AtMost, t, []), Relation.AtMost),
    };
}
