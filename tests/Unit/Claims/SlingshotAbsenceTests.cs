using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Training;
using static Grokking.Tests.Unit.Claims.SlingshotRun;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-8's decision (<see cref="SlingshotAbsence"/>) on synthetic runs: the judged (non-adaptive) arm and the adaptive
/// reference are each seeds 0-2 with <see cref="SlingshotRun"/>'s traces (3,000 steps, a row every 50) and accuracy
/// curves set by a fit step and a rise step. The data are p = 31 with r = 0.6: 961 pairs, 576 to train, 385 to validate,
/// so one validation pair (the accuracy's resolution) is 1/385 ≈ 0.0026.
/// </summary>
public sealed class SlingshotAbsenceTests
{
    private const double Pair = 1.0 / 385;

    /// <summary>
    /// One synthetic member: traces with loss spikes, train accuracy 0.5 then 1 from the fit, validation 0.3 then
    /// <paramref name="Peak"/> from the rise.
    /// </summary>
    private sealed record Arm(int[] Spikes, long FitStep, long RiseStep = long.MaxValue, double Peak = 1, long DivergedStep = MemberEvents.Never);

    /// <summary>The adaptive reference as at ci: fits at step 150, slingshots every 700 steps, groks at 1,500 (t_4 / t_2 = 10).</summary>
    private static Arm Adaptive(long seed) => new(Spikes, 150, 1500);

    /// <summary>A non-adaptive seed that fits at step 100, with a catapult spike at step 80 (before the fit) and nothing after.</summary>
    private static Arm Quiet(long seed) => new([80], 100);

    private static AnalysisResult Analyze(Func<long, Arm> judged, Func<long, Arm>? reference = null, bool control = false)
    {
        var context = Context(judged, reference ?? Adaptive);
        return control ? new SlingshotAbsence().AnalyzeControl(context) : new SlingshotAbsence().Analyze(context);
    }

    [Fact]
    public void A_run_that_fits_and_stays_quiet_long_enough_is_confirmed()
    {
        var result = Analyze(Quiet);

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "fitStep").PerSeed.Should().Equal(100, 100, 100);
        Measured(result, "lossSpikes").PerSeed.Should().Equal([0, 0, 0], "the spike at step 80 comes before the fit");
        Measured(result, "lossSpikesAll").PerSeed.Should().Equal(1, 1, 1);
        Measured(result, "delayedVal").Value.Should().Be(0.3);
        Measured(result, "referenceRatio").Value.Should().Be(10);
        Measured(result, "budgetNeeded").Value.Should().Be(1000);
        result.Figures.Should().ContainSingle();
        new SlingshotAbsence().Name.Should().Be("slingshot-absence");
    }

    [Fact]
    public void A_model_that_never_fits_is_inconclusive_however_quiet()
    {
        // The "confirmed because nothing happened" trap: no spikes and no generalization, but no fit either.
        var result = Analyze(s => s == 1 ? new Arm([], long.MaxValue) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("seed 1: train accuracy never reached 99 %").And.Contain("never fit");
        double.IsNaN(Measured(result, "fitStep").PerSeed![1]).Should().BeTrue();
    }

    [Fact]
    public void A_budget_shorter_than_the_reference_ratio_times_the_fit_is_inconclusive()
    {
        // Seed 2 fits at step 400; the adaptive arm grokked at 10 x its fit, so an absence needs 4,000 steps: 3,000 ran.
        var result = Analyze(s => s == 2 ? new Arm([], 400) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("ran 3000 steps, fewer than the 4000 needed");
    }

    [Fact]
    public void Grokking_in_one_seed_refutes_even_within_a_short_budget()
    {
        // Universal: seed 0 fits at 400 (budget short), then reaches 100% validation at 2,000 (5 x its fit): a counterexample.
        var result = Analyze(s => s == 0 ? new Arm([], 400, 2000) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Comparisons.Single(c => c.Key == "delayedVal").Worst.Should().Be(1);
    }

    [Fact]
    public void Cyclic_spikes_after_the_fit_in_one_seed_refute()
    {
        var result = Analyze(s => s == 1 ? new Arm([500, 1200], 100) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        Measured(result, "lossSpikes").PerSeed.Should().Equal(0, 2, 0);
        result.Reason.Should().Contain("counterexample 2");
    }

    [Fact]
    public void One_spike_after_the_fit_is_not_cyclic()
    {
        var result = Analyze(s => s == 1 ? new Arm([500], 100) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        Measured(result, "lossSpikes").PerSeed.Should().Equal(0, 1, 0);
    }

    [Fact]
    public void A_delayed_peak_within_one_validation_pair_of_the_level_does_not_refute_and_one_just_past_it_does()
    {
        // Seed 1 rises at step 1,000 (10 x its fit) to 99% + 0.8 pair (within the resolution) or + 1.2 pairs (past it).
        var within = Analyze(s => s == 1 ? new Arm([], 100, 1000, 0.99 + (0.8 * Pair)) : Quiet(s));
        var past = Analyze(s => s == 1 ? new Arm([], 100, 1000, 0.99 + (1.2 * Pair)) : Quiet(s));

        within.Verdict.Should().Be(Verdict.Inconclusive, within.Reason);
        within.Reason.Should().Contain("only within the resolution");
        within.Comparisons.Single(c => c.Key == "delayedVal").Resolution.Should().BeApproximately(Pair, 1e-12);
        past.Verdict.Should().Be(Verdict.Refuted, past.Reason);
    }

    [Fact]
    public void Generalizing_as_it_fits_is_not_grokking()
    {
        // Seed 0 reaches 100% validation at step 150, before 2 x its fit step (200): no delay, so no delayed-accuracy value;
        // with two valued seeds left the comparison cannot confirm, and nothing refutes.
        var result = Analyze(s => s == 0 ? new Arm([], 100, 150) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("generalization without delay, not grokking");
        double.IsNaN(Measured(result, "delayedVal").PerSeed![0]).Should().BeTrue();
    }

    [Fact]
    public void A_reference_that_never_grokked_leaves_the_budget_unknown()
    {
        var result = Analyze(Quiet, reference: s => s == 2 ? new Arm(Spikes, 150) : Adaptive(s));

        result.Verdict.Should().Be(Verdict.Inconclusive, result.Reason);
        result.Reason.Should().Contain("only 2 completed seed(s) of 'pg-fractions' grokked");
    }

    [Fact]
    public void A_seed_diverging_after_it_slingshots_still_refutes()
    {
        var result = Analyze(s => s == 1 ? new Arm([500, 1200], 100, DivergedStep: 2000) : Quiet(s));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Reason.Should().Contain("diverged at step 2000");
    }

    [Fact]
    public void The_control_reads_the_adaptive_arm_and_refutes()
    {
        var result = Analyze(Quiet, control: true);

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Comparisons.Single(c => c.Key == "lossSpikes").PerSeed.Should().Equal(4, 4, 4);
        result.Comparisons.Single(c => c.Key == "delayedVal").PerSeed.Should().Equal(1, 1, 1);
        new SlingshotAbsence().ControlName.Should().Be("adaptive-arm");
    }

    private static ClaimContext Context(Func<long, Arm> judged, Func<long, Arm> reference)
    {
        var claim = new ClaimDefinition
        {
            Id = "PG-8",
            Experiment = "pg-sgd",
            Companions = [SlingshotAbsence.AdaptiveExperiment],
            Seeds = [0, 1, 2],
            Members = new MemberFilter(),
            Scope = new ScopeDeclaration { Kind = "universal", Reason = "r" },
            RuleParameters =
            [
                new("spikeWindow", 50, "r"), new("spikeJump", 1.0, "r"), new("refractory", 50, "r"), new("minSpikes", 2, "r"),
                new("valLevel", 0.99, "r"), new("fitLevel", 0.99, "r"), new("minDelayRatio", 2, "r"),
            ],
        };
        var options = new GrokkingOptions();
        options.Data.Operation = ModularOperation.Add;
        options.Data.Modulus = 31;
        options.Data.Format = SequenceFormat.EosEquation;
        options.Data.TrainFraction = 0.5;
        string report = Path.Combine(Path.GetTempPath(), "grokking-tests", Guid.NewGuid().ToString("N"));
        ClaimContext Of(string experiment, Func<long, Arm> arm) =>
            new ClaimContext(claim, RunOf(arm), "dir", Profile.Ci, report, options) { Experiment = experiment };
        var adaptive = Of(SlingshotAbsence.AdaptiveExperiment, reference);
        return Of("pg-sgd", judged) with { Companions = new Dictionary<string, ClaimContext> { [adaptive.Experiment] = adaptive } };
    }

    /// <summary>
    /// A run of seeds 0-2, r = 0.6: SlingshotRun's traces for the member's spikes, rows with train accuracy 0.5 before the
    /// fit and 1 from it, validation 0.3 before the rise and the member's peak from it; a diverged member as the trainer
    /// leaves it (NaN loss from its step, rows marked).
    /// </summary>
    private static TrainingResult RunOf(Func<long, Arm> arm)
    {
        var result = Result(s => Slingshots(s, arm(s).Spikes, arm(s).RiseStep) with { DivergedStep = arm(s).DivergedStep });
        var members = result.Members.Select(m => m with { TrainFraction = 0.6 }).ToList();
        var rows = result.Metrics.Select(r =>
        {
            var a = arm(result.Members[r.Member].Seed);
            return r with { TrainAccuracy = r.Step >= a.FitStep ? 1 : 0.5, ValAccuracy = r.Step >= a.RiseStep ? a.Peak : 0.3 };
        }).ToList();
        return new TrainingResult
        {
            Members = members,
            Metrics = rows,
            Events = result.Events,
            StepLosses = result.StepLosses,
            StepOutputNorms = result.StepOutputNorms,
            StepCosineDistances = result.StepCosineDistances,
            StepsPerEpoch = 1,
            StepsCompleted = result.StepsCompleted,
            Interrupted = false,
        };
    }
}
