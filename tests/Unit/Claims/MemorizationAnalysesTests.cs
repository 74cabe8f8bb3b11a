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
        var result = new TrainingResult
        {
            Members = members.Select(m => m.Spec).ToList(),
            Metrics = members.SelectMany(m => m.Rows).ToList(),
            Events = members.Select(m => m.Events).ToList(),
            StepLosses = members.Select(_ => Array.Empty<float>()).ToList(),
            StepsPerEpoch = StepsPerEpoch,
            StepsCompleted = 100 * StepsPerEpoch,
            Interrupted = false,
        };
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return analysis.Analyze(new ClaimContext(claim, result, "dir", Profile.Ci, report));
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
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 12, 30, 0.05), Member(2, 2, 0.001, 20, 41, 0.0));

        result.Verdict.Should().Be(Verdict.Confirmed);
        var p1 = result.Measured.Single(m => m.Name.StartsWith("point 1", StringComparison.Ordinal));
        p1.Value.Should().Be(12); // median of 10, 12, 20
        p1.Paper.Should().Be(585);
        result.Measured.Single(m => m.Name.StartsWith("delay", StringComparison.Ordinal)).Value.Should().BeApproximately(41.0 / 20, 1e-12);
        result.Figures.Should().ContainSingle();
    }

    [Fact]
    public void MC1_is_refuted_when_one_seed_generalizes_together_with_memorization()
    {
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 10, 15, 0.05), Member(2, 2, 0.001, 20, 60, 0.0));

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("seed 1").And.Contain("1.5x");
    }

    [Fact]
    public void MC1_is_refuted_when_validation_is_not_near_chance_at_point_1()
    {
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.30), Member(1, 1, 0.001, 10, 30, 0.05), Member(2, 2, 0.001, 20, 60, 0.0));

        result.Verdict.Should().Be(Verdict.Refuted);
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
        var result = Analyze(new MemorizationThenGeneralization(), Mc1(), Member(0, 0, 0.001, 10, 40, 0.02, plateau: 0.995), Member(1, 1, 0.001, 12, 30, 0.05), Member(2, 2, 0.001, 20, 41, 0.0, plateau: 0.992));

        result.Verdict.Should().Be(Verdict.Confirmed);
        result.Measured.Single(m => m.Key == "point2Robust").PerSeed.Should().Equal(40, 30, 41);
        var exact = result.Measured.Single(m => m.Key == "point2Exact").PerSeed!;
        double.IsNaN(exact[0]).Should().BeTrue();
        exact[1].Should().Be(30);
    }

    [Fact]
    public void MC1_is_decided_on_the_completed_seeds_when_one_of_four_diverged()
    {
        var result = Analyze(new MemorizationThenGeneralization(), AllSeeds(Mc1()), Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 12, 30, 0.05, divergedEpoch: 20), Member(2, 2, 0.001, 20, 41, 0.0), Member(3, 3, 0.001, 10, 50, 0.0));

        result.Verdict.Should().Be(Verdict.Confirmed);
        result.Reason.Should().Contain("3 completed seeds").And.Contain("seed 1").And.Contain("diverged at epoch 20");
    }

    [Fact]
    public void MC1_is_inconclusive_when_half_of_the_seeds_diverged()
    {
        var result = Analyze(new MemorizationThenGeneralization(), AllSeeds(Mc1()), Member(0, 0, 0.001, 10, 40, 0.02, divergedEpoch: 15), Member(1, 1, 0.001, 12, 30, 0.05, divergedEpoch: 20), Member(2, 2, 0.001, 20, 41, 0.0), Member(3, 3, 0.001, 10, 50, 0.0));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("2 of 4 seeds diverged");
    }

    [Fact]
    public void MC1_is_refuted_by_a_seed_that_refuted_before_it_diverged()
    {
        // Seed 1 reached 40% validation at point 1 (not near chance), then diverged at epoch 20.
        var result = Analyze(new MemorizationThenGeneralization(), AllSeeds(Mc1()), Member(0, 0, 0.001, 10, 40, 0.02), Member(1, 1, 0.001, 12, null, 0.4, divergedEpoch: 20), Member(2, 2, 0.001, 20, 41, 0.0), Member(3, 3, 0.001, 10, 50, 0.0));

        result.Verdict.Should().Be(Verdict.Refuted);
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
        result.Reason.Should().Contain("seed 0").And.Contain("before diverging");
    }

    [Fact]
    public void MC2_is_inconclusive_when_the_reference_plateaus_below_the_robust_level()
    {
        var result = Analyze(new NoGrokkingWithoutWeightDecay(), Mc2(), Member(0, 0, 0, 10, null, 0.2), Member(1, 1, 0, 10, null, 0.1), Member(2, 2, 0, 12, null, 0.3), Member(3, 0, 0.001, 10, 40, 0.01, plateau: 0.9), Member(4, 1, 0.001, 10, 40, 0.01), Member(5, 2, 0.001, 10, 40, 0.01));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("fewer than 3 completed weight-decay");
    }
}
