using Grokking.Claims;
using Grokking.Claims.Analyses;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

public class MemorizationAnalysesTests
{
    private const long StepsPerEpoch = 10;

    /// <summary>A member whose train accuracy hits 1 at epoch p1 and validation at epoch p2 (null: never), metrics every epoch.</summary>
    private static (MemberSpec Spec, List<MetricRow> Rows, MemberEvents Events) Member(int index, long seed, double wd, int p1, int? p2, double valAtP1, int epochs = 100)
    {
        var rows = new List<MetricRow>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            double train = epoch >= p1 ? 1.0 : 0.5 * epoch / p1;
            double val = p2 is { } g && epoch >= g ? 1.0 : epoch >= p1 ? valAtP1 : 0.01;
            rows.Add(new MetricRow(epoch * StepsPerEpoch, epoch, index, 1, 1, train, 1, 1, val, 10, 0.01, 1, 1, null));
        }

        var events = new MemberEvents(index, p1 * StepsPerEpoch, p2 is { } v ? v * StepsPerEpoch : MemberEvents.Never, MemberEvents.Never);
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
        var run = new CachedRun("test", "key", "dir", new GrokkingOptions(), result, true, 0);
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        return analysis.Analyze(new ClaimContext(claim, run, "ci", report));
    }

    private static ClaimDefinition Mc1() => new()
    {
        Id = "MC-1",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(WeightDecay: 0.001),
        Paper = [new PaperValue("point 1", 585), new PaperValue("point 2", 2402)],
        Tolerances = [new("maxValAccuracyAtPoint1", 0.1, "r"), new("minDelayRatio", 2, "r")],
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

    private static ClaimDefinition Mc2() => new()
    {
        Id = "MC-2",
        Seeds = [0, 1, 2],
        Members = new MemberFilter(WeightDecay: 0),
        Tolerances = [new("maxValAccuracy", 0.5, "r"), new("referenceWeightDecay", 0.001, "r"), new("minBudgetOverGrokking", 1.25, "r")],
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
}
