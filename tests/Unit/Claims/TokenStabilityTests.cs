using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Rules.MC;
using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// MC-10 (<see cref="ThreeTokensMoreStable"/>): the lost-fit share of a member worked out by hand, and the rule's
/// verdicts and control on synthetic three- and five-token runs (one member per seed, StepsPerEpoch 1, a metric row
/// every 10 epochs).
/// </summary>
public class TokenStabilityTests
{
    private const double Level = 0.9;
    private const double MinDifference = 0.01;
    private const long Every = 10;

    private static readonly ThreeTokensMoreStable.Parameters Limits = new(Level, MinDifference);

    /// <summary>
    /// One member's course: fit (100% train accuracy) from <paramref name="Fit"/> (null: never, 0.5 before), train
    /// accuracy 0.5 on the rows in [From, To) of each collapse, diverged at <paramref name="Diverged"/> (null: never).
    /// </summary>
    private sealed record Course(long? Fit, (long From, long To)[] Collapses, long? Diverged = null)
    {
        public static Course Stable(long fit) => new(fit, []);
    }

    private static MetricRow Row(long epoch, int member, double accuracy, long diverged = MemberEvents.Never) =>
        new(epoch, epoch, member, 1 - accuracy + 1e-3, 1 - accuracy + 1e-3, accuracy, 1.0, 1.0, 0.5, 10, 1e-3, 1, 1, null, diverged);

    private static double Accuracy(Course c, long epoch) =>
        c.Fit is not { } fit || epoch < fit ? 0.5 : c.Collapses.Any(x => epoch >= x.From && epoch < x.To) ? 0.5 : 1.0;

    /// <summary>Rows every 10 epochs from 10 to <paramref name="budget"/>, cut at each member's divergence.</summary>
    private static TrainingResult Run(IReadOnlyList<Course> courses, long budget = 1000)
    {
        var members = courses.Select((_, i) => new MemberSpec(i, i, 1e-3, 1e-3, 1.0)).ToList();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        for (int i = 0; i < courses.Count; i++)
        {
            var c = courses[i];
            long diverged = c.Diverged ?? MemberEvents.Never;
            for (long epoch = Every; epoch <= budget && (c.Diverged is null || epoch < diverged); epoch += Every)
            {
                metrics.Add(Row(epoch, i, Accuracy(c, epoch)));
            }

            events.Add(MemberEvents.None(i) with { DivergedStep = diverged });
        }

        return new TrainingResult
        {
            Members = members,
            Metrics = metrics,
            Events = events,
            StepLosses = [.. members.Select(_ => Array.Empty<float>())],
            StepsPerEpoch = 1,
            StepsCompleted = budget,
            Interrupted = false,
        };
    }

    private static ClaimDefinition Claim(ClaimScope scope = ClaimScope.Typical) => new()
    {
        Id = "MC-10",
        Experiment = "mc-grokking",
        Companions = [ThreeTokensMoreStable.FiveTokenExperiment],
        Analysis = "three-tokens-more-stable",
        Seeds = [0, 1, 2, 3],
        Members = new MemberFilter(),
        Paper = [],
        Scope = new ScopeDeclaration { Kind = scope == ClaimScope.Typical ? "typical" : "universal", Reason = "test" },
        RuleParameters = [new("collapseTrainAccuracy", Level, "r"), new("minLostShareDifference", MinDifference, "r")],
    };

    private static ClaimContext Context(IReadOnlyList<Course> three, IReadOnlyList<Course> five, long threeBudget = 1000, long fiveBudget = 1000)
    {
        var claim = Claim();
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        var companion = new ClaimContext(claim, Run(five, fiveBudget), "dir-five", Profile.Ci, report)
        {
            Experiment = ThreeTokensMoreStable.FiveTokenExperiment,
        };
        return new ClaimContext(claim, Run(three, threeBudget), "dir", Profile.Ci, report)
        {
            Companions = new Dictionary<string, ClaimContext> { [ThreeTokensMoreStable.FiveTokenExperiment] = companion },
        };
    }

    private static IReadOnlyList<Course> AllStable(params long[] fits) => [.. fits.Select(Course.Stable)];

    private static MeasuredValue Measured(AnalysisResult result, string key) => result.Measured.Single(m => m.Key == key);

    // ---------------------------------------------------------------- LostFit by hand

    private static LostFit Lost(Course c, long budget = 100, double end = 100)
    {
        var rows = Run([c], budget).Metrics.ToList();
        return LostFit.Of(rows, c.Diverged, end, Level);
    }

    [Fact]
    public void A_collapse_loses_the_epochs_its_rows_stand_for_over_the_post_fit_budget()
    {
        // Fit at 20; rows 50 and 60 at 0.5 stand for 50 -> 60 and 60 -> 70: 20 of the 80 epochs from 20 to 100.
        var f = Lost(new Course(20, [(50, 70)]));
        f.Point1.Should().Be(20);
        f.Share.Should().BeApproximately(20.0 / 80, 1e-12);
        f.Collapses.Should().Be(1);
        f.DivergedEpoch.Should().BeNull();
    }

    [Fact]
    public void Two_collapses_are_two_episodes_and_a_stable_member_loses_nothing()
    {
        var f = Lost(new Course(20, [(30, 40), (80, 90)]));
        f.Collapses.Should().Be(2);
        f.Share.Should().BeApproximately(20.0 / 80, 1e-12);
        Lost(Course.Stable(20)).Share.Should().Be(0);
    }

    [Fact]
    public void A_divergence_after_the_fit_loses_the_rest_of_the_budget()
    {
        // Fit at 20, diverged at 65: rows 10 ... 60; 65 -> 100 lost = 35 of 80.
        var f = Lost(new Course(20, [], 65));
        f.Share.Should().BeApproximately(35.0 / 80, 1e-12);
        f.DivergedEpoch.Should().Be(65);
        f.Collapses.Should().Be(0);
    }

    [Fact]
    public void A_collapse_just_before_a_divergence_counts_only_up_to_the_divergence()
    {
        // Fit at 20, row 60 at 0.5 stands for 60 -> 65 (the divergence), then 65 -> 100: 40 of 80.
        var f = Lost(new Course(20, [(60, 100)], 65));
        f.Share.Should().BeApproximately(40.0 / 80, 1e-12);
        f.Collapses.Should().Be(1);
    }

    [Fact]
    public void Diverging_before_the_fit_loses_everything_and_never_fitting_has_no_share()
    {
        Lost(new Course(null, [], 45)).Share.Should().Be(1);
        Lost(new Course(null, [])).Share.Should().Be(double.NaN);
        Lost(new Course(200, [])).Share.Should().Be(double.NaN);
    }

    [Fact]
    public void Rows_and_a_divergence_past_the_window_are_outside_it()
    {
        // Budget 200, window to 100: the collapse at 150 and the divergence at 170 are not in it.
        var f = Lost(new Course(20, [(150, 160)], 170), budget: 200, end: 100);
        f.Share.Should().Be(0);
        f.Collapses.Should().Be(0);
        f.DivergedEpoch.Should().BeNull();
    }

    // ---------------------------------------------------------------- the rule

    private static readonly IReadOnlyList<Course> UnstableFive =
    [
        new(300, [(400, 600)]),
        new(300, [], 700),
        new(300, [(500, 650), (800, 900)]),
        new(300, [(350, 500)], 900),
    ];

    [Fact]
    public void Confirmed_when_every_seed_loses_more_of_its_fit_with_five_tokens()
    {
        var analysis = new ThreeTokensMoreStable();
        analysis.Name.Should().Be("three-tokens-more-stable");
        var result = analysis.Analyze(Context(AllStable(200, 210, 220, 230), UnstableFive));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        // Five-token shares over the 700 post-fit epochs: 200, 300, 250, 150 + 100 = 250.
        var differences = Measured(result, "lostShareDifference").PerSeed!;
        differences.Should().Equal([200.0 / 700, 300.0 / 700, 250.0 / 700, 250.0 / 700], (a, b) => Math.Abs(a - b) < 1e-12);
        Measured(result, "divergedFive").Value.Should().Be(2);
        Measured(result, "divergedThree").Value.Should().Be(0);
        Measured(result, "collapsesFive").Value.Should().Be(4);
        Measured(result, "point1Three").Value.Should().Be(215);
        result.Comparisons.Single().Low.Should().BeGreaterThan(MinDifference);
    }

    [Fact]
    public void Divergences_are_the_measured_instability_not_lost_seeds()
    {
        // Every five-token member diverges (half or more would make another MC rule inconclusive): here it confirms.
        IReadOnlyList<Course> five = [new(300, [], 500), new(300, [], 600), new(300, [], 550), new(null, [], 250)];
        var result = new ThreeTokensMoreStable().Analyze(Context(AllStable(200, 200, 200, 200), five));
        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "lostShareFive").PerSeed![3].Should().Be(1);
        result.Reason.Should().Contain("diverged at epoch 500");
    }

    [Fact]
    public void Refuted_when_both_forms_are_equally_stable()
    {
        var result = new ThreeTokensMoreStable().Analyze(Context(AllStable(200, 210, 220, 230), AllStable(300, 310, 320, 330)));
        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Comparisons.Single().High.Should().Be(0);
    }

    [Fact]
    public void Refuted_when_three_tokens_are_the_less_stable_form()
    {
        var result = new ThreeTokensMoreStable().Analyze(Context(UnstableFive, AllStable(200, 210, 220, 230)));
        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
    }

    [Fact]
    public void Inconclusive_within_noise_when_one_seed_of_four_carries_the_difference()
    {
        // Differences 0.5, 0, 0, 0: mean 0.125, interval 0.125 +- 3.18 x 0.125 straddles 0.01.
        IReadOnlyList<Course> five = [new(300, [(400, 750)]), Course.Stable(300), Course.Stable(300), Course.Stable(300)];
        var result = new ThreeTokensMoreStable().Analyze(Context(AllStable(200, 200, 200, 200), five));
        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        var comparison = result.Comparisons.Single();
        comparison.Estimate.Should().BeApproximately(0.125, 1e-12);
        comparison.Low.Should().BeLessThan(MinDifference);
        comparison.High.Should().BeGreaterThan(MinDifference);
        comparison.SeedsNeeded.Should().NotBeNull();
        result.Reason.Should().Contain("within noise");
    }

    [Fact]
    public void Inconclusive_when_an_arm_neither_fits_nor_diverges_within_the_budget()
    {
        // Seeds 0-2 confirm by the interval, seed 3's five-token member never fits: its seed has no difference.
        IReadOnlyList<Course> five = [.. UnstableFive.Take(3), new(null, [])];
        var result = new ThreeTokensMoreStable().Analyze(Context(AllStable(200, 200, 200, 200), five));
        result.Comparisons.Single().Verdict.Should().Be(Verdict.Confirmed);
        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("neither reached 100% train accuracy nor diverged");
    }

    [Fact]
    public void The_arms_are_read_over_their_common_budget()
    {
        // The three-token run trains to 2000 and collapses after 1000; the five-token run stops at 1000.
        IReadOnlyList<Course> three = [.. Enumerable.Range(0, 4).Select(_ => new Course(200, [(1200, 1800)]))];
        var result = new ThreeTokensMoreStable().Analyze(Context(three, UnstableFive, threeBudget: 2000, fiveBudget: 1000));
        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "lostShareThree").PerSeed!.Should().AllSatisfy(s => s.Should().Be(0));
    }

    [Fact]
    public void The_control_swaps_the_arms_and_refutes_what_the_claim_confirms()
    {
        var analysis = new ThreeTokensMoreStable();
        analysis.ControlName.Should().Be("arms-swapped");
        var context = Context(AllStable(200, 210, 220, 230), UnstableFive);
        var claim = analysis.Analyze(context);
        var control = analysis.AnalyzeControl(context);
        claim.Verdict.Should().Be(Verdict.Confirmed, claim.Reason);
        control.Verdict.Should().Be(Verdict.Refuted, control.Reason);
        control.Comparisons.Single().Estimate.Should().BeApproximately(-claim.Comparisons.Single().Estimate, 1e-12);
    }

    [Fact]
    public void A_missing_companion_is_a_definition_error()
    {
        var claim = Claim();
        var context = new ClaimContext(claim, Run(AllStable(200, 200, 200)), "dir", Profile.Ci, "report");
        var act = () => new ThreeTokensMoreStable().Analyze(context);
        act.Should().Throw<InvalidOperationException>().WithMessage("*mc-five-token*");
    }
}
