using Grokking.Claims;
using Grokking.Claims.Analyses;
using Grokking.Configuration;
using Grokking.Training;
using Grokking.Claims.Contracts;

namespace Grokking.Tests.Unit.Claims;

public class MemorizationAnalysesTests
{
    private const long StepsPerEpoch = 10;

    /// <summary>
    /// A member whose train accuracy hits 1 at epoch p1 and validation reaches <paramref name="plateau"/> at epoch p2
    /// (null: never), metrics every epoch; optionally diverged at an epoch (rows after it repeat the frozen state).
    /// </summary>
    private static (MemberSpec Spec, List<MetricRow> Rows, MemberEvents Events) Member(int index, long seed, double wd, int p1, int? p2, double valAtP1, int epochs = 100, double plateau = 1.0, int? divergedEpoch = null)
    {
        var rows = new List<MetricRow>();
        long diverged = divergedEpoch is { } d ? d * StepsPerEpoch : MemberEvents.Never;
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            int e = divergedEpoch is { } de && epoch >= de ? de - 1 : epoch;
            double train = e >= p1 ? 1.0 : 0.5 * e / p1;
            double val = p2 is { } g && e >= g ? plateau : e >= p1 ? valAtP1 : 0.01;
            rows.Add(new MetricRow(epoch * StepsPerEpoch, epoch, index, 1, 1, train, 1, 1, val, 10, 0.01, 1, 1, null, epoch * StepsPerEpoch >= diverged && diverged != MemberEvents.Never ? diverged : MemberEvents.Never));
        }

        long Before(long step) => diverged == MemberEvents.Never || step < diverged ? step : MemberEvents.Never;
        var events = new MemberEvents(index, Before(p1 * StepsPerEpoch), p2 is { } v && plateau >= 1 ? Before(v * StepsPerEpoch) : MemberEvents.Never, diverged);
        return (new MemberSpec(index, seed, 0.1, wd, 1), rows, events);
    }

    private static AnalysisResult Analyze(IClaimAnalysis analysis, ClaimDefinition claim, params (MemberSpec Spec, List<MetricRow> Rows, MemberEvents Events)[] members)
    {
        return analysis.Analyze(Context(claim, members));
    }

    /// <summary>The claim's negative control on the same synthetic run.</summary>
    private static AnalysisResult Control(IClaimAnalysis analysis, ClaimDefinition claim, params (MemberSpec Spec, List<MetricRow> Rows, MemberEvents Events)[] members) =>
        analysis.AnalyzeControl(Context(claim, members));

    private static ClaimContext Context(ClaimDefinition claim, (MemberSpec Spec, List<MetricRow> Rows, MemberEvents Events)[] members)
    {
        var result = SyntheticResult.Of(members.Select(m => m.Spec).ToList(), members.SelectMany(m => m.Rows).ToList(), members.Select(m => m.Events).ToList(), StepsPerEpoch, 100 * StepsPerEpoch);
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        // The default data (x*y mod 97, 40% train): MC-2's resolution is one of its 5,588 validation pairs.
        return new ClaimContext(claim, result, "dir", Profile.Ci, report, new GrokkingOptions());
    }

    private static ClaimDefinition Mc1() => new()
    {
        Id = "MC-1",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(WeightDecay: 0.001),
        Paper = [new PaperValue("point 1", 585), new PaperValue("point 2", 2402)],
        RuleParameters = [new("maxValAccuracyAtPoint1", 0.1, "r"), new("minDelayRatio", 2, "r"), new("robustValAccuracy", 0.99, "r")],
    };

    [Fact]
    public void MC1_is_confirmed_when_every_seed_memorizes_near_chance_and_generalizes_much_later()
    {
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 12, 48, 0.05), Member(2, 2, 0.001, 20, 82, 0.0));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        var p1 = result.Measured.Single(m => m.Name.StartsWith("point 1", StringComparison.Ordinal));
        p1.Value.Should().Be(12); // median of 10, 12, 20
        p1.Paper.Should().Be(585);
        result.Measured.Single(m => m.Name.StartsWith("delay", StringComparison.Ordinal)).Value.Should().BeApproximately(4.0, 1e-12);
        result.Comparisons.Select(c => c.Key).Should().Equal("valAtPoint1", "delayRatio");
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void MC1_is_refuted_when_the_seeds_generalize_together_with_memorization()
    {
        // Typical (issue 25): the seed mean's interval of the delay ratio (1.5, 1.4, 1.5) lies wholly below 2.
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 15, 0.02), Member(1, 1, 0.001, 10, 14, 0.05), Member(2, 2, 0.001, 20, 30, 0.0));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: robust point 2 / point 1 >= 2").And.Contain("seed 1").And.Contain("1.4x");
    }

    [Fact]
    public void MC1_is_refuted_when_validation_is_not_near_chance_at_point_1()
    {
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.30), Member(1, 1, 0.001, 10, 40, 0.35), Member(2, 2, 0.001, 20, 80, 0.32));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("REFUTED: validation accuracy at point 1 <= 0.1");
    }

    [Fact]
    public void MC1_is_inconclusive_when_the_budget_ends_before_point_2()
    {
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, null, 0.02), Member(1, 1, 0.001, 10, 30, 0.05), Member(2, 2, 0.001, 20, 60, 0.0));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("budget");
    }

    [Fact]
    public void MC1_decides_on_the_robust_point_2_when_validation_plateaus_just_below_100_percent()
    {
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.02, plateau: 0.995), Member(1, 1, 0.001, 12, 48, 0.05), Member(2, 2, 0.001, 20, 80, 0.0, plateau: 0.992));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Measured.Single(m => m.Key == "point2Robust").PerSeed.Should().Equal(40, 48, 80);
        var exact = result.Measured.Single(m => m.Key == "point2Exact").PerSeed!;
        double.IsNaN(exact[0]).Should().BeTrue();
        exact[1].Should().Be(48);
    }

    [Fact]
    public void MC1_is_decided_on_the_completed_seeds_when_one_of_four_diverged()
    {
        var result = Analyze(new MemorizationThenGeneralization(), AllSeeds(Mc1()), Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 12, 30, 0.05, divergedEpoch: 20), Member(2, 2, 0.001, 20, 80, 0.0), Member(3, 3, 0.001, 10, 40, 0.0));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Reason.Should().Contain("seed 1").And.Contain("diverged at epoch 20").And.Contain("not counted as completed");
        // Its validation accuracy at point 1 was measured before the divergence and counts; it has no delay.
        result.Comparisons.Single(c => c.Key == "valAtPoint1").PerSeed.Should().Equal(0.02, 0.05, 0.0, 0.0);
    }

    [Fact]
    public void MC1_is_inconclusive_when_half_of_the_seeds_diverged()
    {
        var result = Analyze(new MemorizationThenGeneralization(), AllSeeds(Mc1()), Member(0, 0, 0.001, 10, 40, 0.02, divergedEpoch: 15), Member(1, 1, 0.001, 12, 30, 0.05, divergedEpoch: 20), Member(2, 2, 0.001, 20, 41, 0.0), Member(3, 3, 0.001, 10, 50, 0.0));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("2 of 4 seeds diverged");
    }

    [Fact]
    public void MC1_counts_a_value_measured_before_a_divergence()
    {
        // Seed 1 reached 40% validation at point 1 (not near chance), then diverged at epoch 20: with the other seeds'
        // 30-42% its value puts the seed interval wholly past 10%.
        var result = Analyze(new MemorizationThenGeneralization(), AllSeeds(Mc1()), Member(0, 0, 0.001, 10, 40, 0.30), Member(1, 1, 0.001, 12, null, 0.4, divergedEpoch: 20), Member(2, 2, 0.001, 20, 80, 0.35), Member(3, 3, 0.001, 10, 40, 0.42));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Comparisons.Single(c => c.Key == "valAtPoint1").PerSeed.Should().Equal(0.30, 0.4, 0.35, 0.42);
        result.Reason.Should().Contain("seed 1").And.Contain("diverged at epoch 20");
    }

    private static ClaimDefinition AllSeeds(ClaimDefinition claim)
    {
        claim.Seeds = [];
        return claim;
    }

    private static ClaimDefinition Mc2() => new()
    {
        Id = "MC-2",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(WeightDecay: 0),
        Scope = new ScopeDeclaration { Kind = "universal", Reason = "r" },
        Paper = [new PaperValue("point 2", 2402)],
        RuleParameters = [new("maxValAccuracy", 0.5, "r"), new("referenceWeightDecay", 0.001, "r"), new("minBudgetOverGrokking", 1.25, "r"), new("robustValAccuracy", 0.99, "r")],
    };

    private static (MemberSpec, List<MetricRow>, MemberEvents)[] WithReference(int referencePoint2, params (MemberSpec, List<MetricRow>, MemberEvents)[] controls) =>
        [.. controls, Member(3, 0, 0.001, 10, referencePoint2, 0.01), Member(4, 1, 0.001, 10, referencePoint2 - 5, 0.01), Member(5, 2, 0.001, 10, referencePoint2 - 8, 0.01)];

    [Fact]
    public void MC2_is_confirmed_when_controls_stay_low_for_a_budget_beyond_the_reference_point_2()
    {
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), WithReference(60, Member(0, 0, 0, 10, null, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3)));

        result.Verdict.Should().Be(Verdict.Confirmed);
        result.Measured[0].Value.Should().Be(0.3);
    }

    [Fact]
    public void MC2_is_inconclusive_when_the_budget_is_not_long_enough_after_the_reference_groks()
    {
        // Reference point 2 at epoch 90: 1.25 x 90 = 112.5 > the 100-epoch budget.
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), WithReference(90, Member(0, 0, 0, 10, null, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3)));

        result.Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Fact]
    public void MC2_is_refuted_when_a_control_generalizes()
    {
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), WithReference(60, Member(0, 0, 0, 10, 70, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3)));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("seed 0");
    }

    [Fact]
    public void MC2_is_refuted_by_a_control_that_generalized_before_it_diverged()
    {
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), AllSeeds(Mc2()), WithReference(60, Member(0, 0, 0, 10, 30, 0.2, divergedEpoch: 50), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3), Member(6, 3, 0, 12, null, 0.3)));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("seed 0").And.Contain("diverged at epoch 50");
    }

    [Fact]
    public void MC2_is_inconclusive_when_the_reference_plateaus_below_the_robust_level()
    {
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), Member(0, 0, 0, 10, null, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3), Member(3, 0, 0.001, 10, 40, 0.01, plateau: 0.9), Member(4, 1, 0.001, 10, 40, 0.01), Member(5, 2, 0.001, 10, 40, 0.01));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("fewer than 3 completed weight-decay");
    }

    // ---------------------------------------------------------------- issue 25: scope, noise, resolution, controls

    [Fact]
    public void MC1_is_inconclusive_within_noise_when_the_seed_interval_straddles_10_percent()
    {
        // 5%, 12%, 9% at point 1: mean 8.7%, the 95% interval about [0%, 17%] straddles the 10% bound.
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.05), Member(1, 1, 0.001, 10, 40, 0.12), Member(2, 2, 0.001, 20, 80, 0.09));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        var val = result.Comparisons.Single(c => c.Key == "valAtPoint1");
        val.Reason.Should().Contain("within noise");
        val.SeedsNeeded.Should().NotBeNull().And.BeGreaterThan(3);
        val.Flip.ConfirmAt.Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void MC1_control_with_the_train_curve_as_validation_is_refuted_where_the_claim_is_confirmed()
    {
        var members = new[] { Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 12, 48, 0.05), Member(2, 2, 0.001, 20, 82, 0.0) };

        Analyze(new MemorizationThenGeneralization(), Mc1(), members).Verdict.Should().Be(Verdict.Confirmed);
        var control = Control(new MemorizationThenGeneralization(), Mc1(), members);

        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Single(c => c.Key == "valAtPoint1").PerSeed.Should().Equal(1.0, 1.0, 1.0);
        control.Comparisons.Single(c => c.Key == "delayRatio").Verdict.Should().Be(Verdict.Refuted);
    }

    private static readonly NoGrokkingWithoutWeightDecay.Parameters Mc2Parameters = new(0.5, 0.001, 1.25, 0.99, 2402);

    /// <summary>MC-2's rule on three weight-decay-0 seeds whose highest validation accuracies are given, with a reference that grokked in time.</summary>
    private static AnalysisResult Mc2Decide(double resolution, params double[] maxVal)
    {
        var seeds = maxVal.Select((v, i) => ((long)i, new GrokkingPoints(10, 0.01, double.NaN, double.NaN, v, null))).ToList();
        var reference = NoGrokkingWithoutWeightDecay.ReferenceOf([.. Enumerable.Repeat(new GrokkingPoints(10, 0.01, 50, 50, 1, null), 3)], Mc2Parameters);
        return NoGrokkingWithoutWeightDecay.Decide(ClaimScope.Universal, seeds, reference, 100, resolution, Mc2Parameters);
    }

    [Fact]
    public void MC2_a_seed_past_the_bound_by_less_than_one_validation_pair_does_not_refute_and_one_just_beyond_does()
    {
        const double pair = 1.0 / 5588;

        var within = Mc2Decide(pair, 0.2, 0.5 + (0.5 * pair), 0.1);
        within.Verdict.Should().Be(Verdict.Inconclusive);
        within.Reason.Should().Contain("within the resolution");

        var past = Mc2Decide(pair, 0.2, 0.5 + (2 * pair), 0.1);
        past.Verdict.Should().Be(Verdict.Refuted);
        past.Comparisons.Single().Worst.Should().BeApproximately(0.5 + (2 * pair), 1e-12);
    }

    [Fact]
    public void MC2_resolution_is_one_validation_pair_of_the_runs_data()
    {
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), WithReference(60, Member(0, 0, 0, 10, null, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3)));

        result.Comparisons.Single().Resolution.Should().BeApproximately(1.0 / ((97 * 96) - 3724), 1e-15);
    }

    [Fact]
    public void MC2_control_on_the_weight_decay_members_is_refuted_where_the_claim_is_confirmed()
    {
        var members = WithReference(60, Member(0, 0, 0, 10, null, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3));

        Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), members).Verdict.Should().Be(Verdict.Confirmed);
        var control = Control(new NoGrokkingWithoutWeightDecay(), Mc2(), members);

        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Single().PerSeed.Should().Equal(1.0, 1.0, 1.0);
    }
}
