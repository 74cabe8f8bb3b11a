using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Landscape;
using Grokking.Models;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// PG-7's analysis (<see cref="GrokkingSlices"/>): the a grid, the ridge ratio and the per-seed decision on synthetic
/// slices, the choice of snapshots (<see cref="SlicePlan"/>), slices that extend past their ends, and the whole
/// analysis on hand-written snapshots of a linear model, whose slices are parabolas and so never cross a ridge.
/// </summary>
public sealed class GrokkingSlicesTests
{
    private static readonly GrokkingSlices.Limits Limits = new(MemorizedLevel: 0.99, ValleyValAccuracy: 0.1, MinRidge: 1.2, MinContrast: 2);

    // ---------------------------------------------------------------- the grid and the ridge

    [Fact]
    public void The_thresholds_bind_as_a_group_and_a_ridge_ratio_below_one_is_rejected()
    {
        ClaimDefinition Claim(double minRidge) => new()
        {
            Id = "PG-7",
            Analysis = "grokking-slices",
            RuleParameters =
            [
                new("memorizedLevel", 0.99, "r"), new("valleyValAccuracy", 0.5, "r"), new("minRidge", minRidge, "r"),
                new("minContrast", 2, "r"), new("slices", 4, "r"), new("alphaPoints", 21, "r"),
            ],
        };

        Claim(2).ParametersAs<GrokkingSlices.Parameters>()
            .Should().Be(new GrokkingSlices.Parameters(new GrokkingSlices.Limits(0.99, 0.5, 2, 2), Slices: 4, AlphaPoints: 21));
        FluentActions.Invoking(() => Claim(0.5).ParametersAs<GrokkingSlices.Parameters>())
            .Should().Throw<ClaimDefinitionException>().WithMessage("*'ruleParameters.minRidge' is 0.5, outside its range*");
    }


    [Fact]
    public void The_grid_spans_minus_a_half_to_one_and_a_half_and_always_holds_both_ends_of_the_segment()
    {
        GrokkingSlices.Alphas(5).Should().Equal(-0.5, 0, 0.5, 1, 1.5);
        GrokkingSlices.Alphas(4).Should().Equal([-0.5, 0, 1.0 / 6, 5.0 / 6, 1, 1.5], (a, b) => Math.Abs(a - b) < 1e-12);
        var fine = GrokkingSlices.Alphas(21);
        fine.Should().HaveCount(21, "0 and 1 are grid points at a step of 0.1 and are not added twice");
        fine.Should().BeInAscendingOrder().And.Contain(0.0).And.Contain(1.0);
    }

    /// <summary>A slice on the grid of 21 points with train loss <paramref name="loss"/>(a) and the given accuracies everywhere.</summary>
    private static PathEvaluation Slice(Func<double, double> loss, double trainAccuracy = 1, double valAccuracy = 0.05) =>
        new("slice", PathKind.Segment, 0, [0.0, 1.0],
        [
            .. GrokkingSlices.Alphas(21)
                .Select(a => new PathPoint(a, loss(a), loss(a), 1, 1, 1 - trainAccuracy, 1 - valAccuracy, 0, double.NaN, 10)),
        ]);

    /// <summary>0.01 at the ends, a hill of 0.09 at a = 0.5, and a huge loss beyond the segment that the ridge ignores.</summary>
    private static double Hill(double a) => a < 0 || a > 1 ? 5 : 0.01 + (0.09 * Math.Exp(-Math.Pow((a - 0.5) / 0.1, 2)));

    [Fact]
    public void The_ridge_ratio_is_the_highest_loss_between_the_ends_over_the_higher_end()
    {
        GrokkingSlices.RidgeRatio(Slice(Hill)).Should().BeApproximately(
            10, 1e-6, "(0.01 + 0.09) / 0.01 (the hill's tail adds 1e-12 at the ends); a outside [0, 1] does not count");
        GrokkingSlices.RidgeRatio(Slice(a => 1 - (0.5 * a))).Should().Be(1, "a descent from θ_t to θ* has its maximum at θ_t");
        GrokkingSlices.RidgeRatio(Slice(a => 0.02 + (0.02 * a))).Should().Be(1, "the larger end is the reference, here θ*");
    }

    // ---------------------------------------------------------------- the per-seed decision

    /// <summary>Seeds 0, 1, 2 with the same tested slices and, unless null, a reference without a ridge (a descent).</summary>
    private static List<GrokkingSlices.SeedSlices> Seeds(IReadOnlyList<(long, PathEvaluation)> tested, bool reference = true) =>
        [.. new long[] { 0, 1, 2 }.Select(seed => new GrokkingSlices.SeedSlices(
            seed, tested, reference ? (900, Slice(a => 1 - (0.5 * a), valAccuracy: 1)) : null, Valley: true))];

    [Fact]
    public void Memorizing_slices_that_all_cross_a_ridge_the_grokked_slice_has_left_confirm()
    {
        var result = GrokkingSlices.Decide(ClaimScope.Universal, Limits, Seeds([(100, Slice(Hill)), (200, Slice(Hill))]), "");

        result.Verdict.Should().Be(Verdict.Confirmed, result.Reason);
        result.Reason.Should().Contain("step 100: ridge 10.00x, a = 0 train/validation accuracy 100.0 %/5.0 %");
        result.Comparisons.Single(c => c.Key == "ridgeContrast").Worst.Should().BeApproximately(10, 1e-6);
    }

    [Fact]
    public void One_memorizing_slice_without_a_ridge_refutes_and_is_named()
    {
        var result = GrokkingSlices.Decide(
            ClaimScope.Universal, Limits, Seeds([(100, Slice(Hill)), (200, Slice(a => 1 - (0.5 * a)))]), "");

        result.Verdict.Should().Be(Verdict.Refuted);
        result.Comparisons.Single(c => c.Key == "ridgeRatioMin").Verdict.Should().Be(Verdict.Refuted);
        result.Reason.Should().Contain("counterexample 1 is past the threshold").And.Contain("step 200: ridge 1.00x");
    }

    [Fact]
    public void A_slice_that_does_not_start_in_the_valley_or_a_seed_without_a_reference_cannot_decide()
    {
        var generalized = GrokkingSlices.Decide(
            ClaimScope.Universal, Limits, Seeds([(100, Slice(Hill)), (200, Slice(Hill, valAccuracy: 0.5))]), "");
        var unfit = GrokkingSlices.Decide(ClaimScope.Universal, Limits, Seeds([(100, Slice(Hill, trainAccuracy: 0.9))]), "");
        var unreferenced = GrokkingSlices.Decide(ClaimScope.Universal, Limits, Seeds([(100, Slice(Hill))], reference: false), "");

        generalized.Verdict.Should().Be(Verdict.Inconclusive);
        generalized.Reason.Should().Contain("the slice(s) from step 200 do not start in the valley");
        unfit.Verdict.Should().Be(Verdict.Inconclusive);
        unreferenced.Verdict.Should().Be(Verdict.Inconclusive);
        unreferenced.Reason.Should().Contain("no reference slice");
        GrokkingSlices.Decide(ClaimScope.Universal, Limits, Seeds([]), "").Verdict.Should().Be(Verdict.Inconclusive);
    }

    // ---------------------------------------------------------------- which snapshots are sliced

    /// <summary>
    /// Rows every 10 steps to 100: train accuracy from <paramref name="memorized"/> on, validation accuracy 1 from
    /// <paramref name="grokked"/> on.
    /// </summary>
    private static TrainingResult Rows(long memorized, long grokked, long diverged = MemberEvents.Never)
    {
        using var run = new SyntheticRun(SyntheticRun.Sweep([0], [0.5]));
        for (long step = 10; step <= 100; step += 10)
        {
            run.Row(0, step, 0.1, step >= memorized ? 1 : 0.5, step >= grokked ? 1 : 0.05, step >= diverged ? diverged : MemberEvents.Never);
        }

        return run.Result();
    }

    private static readonly long[] Snapshots = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

    [Fact]
    public void Pre_grokking_snapshots_are_spread_from_memorization_to_grokking_and_one_after_grokking_is_added()
    {
        var result = Rows(memorized: 20, grokked: 80);

        var plan = SlicePlan.Of(result, Snapshots, result.Members[0], 0.99, 0.1, slices: 3);

        plan.Missing.Should().BeNull();
        plan.MemorizedStep.Should().Be(20);
        plan.GrokkedStep.Should().Be(80);
        plan.PreGrokking.Should().Equal(20, 40, 70); // of 20..70, spread over three
        plan.AfterGrokking.Should().Be(80);
        plan.FinalStep.Should().Be(100);
        plan.Sliced.Should().Equal(20, 40, 70, 80);
    }

    [Fact]
    public void Theta_star_is_the_last_grokked_snapshot_not_weights_caught_in_a_final_slingshot()
    {
        using var run = new SyntheticRun(SyntheticRun.Sweep([0], [0.5]));
        for (long step = 10; step <= 100; step += 10)
        {
            // Memorized from 20, grokked from 60, and the last step lands inside a spike (train 30%, validation 20%).
            bool spike = step == 100;
            run.Row(0, step, spike ? 2.5 : 0.1, spike ? 0.3 : step >= 20 ? 1 : 0.5, spike ? 0.2 : step >= 60 ? 1 : 0.05);
        }

        var result = run.Result();
        var plan = SlicePlan.Of(result, Snapshots, result.Members[0], 0.99, 0.1, slices: 2);

        plan.FinalStep.Should().Be(90);
        plan.AfterGrokking.Should().Be(60);
        plan.PreGrokking.Should().Equal(20, 50);
    }

    [Fact]
    public void A_member_that_never_groks_or_never_memorizes_before_it_has_no_slice()
    {
        var never = Rows(memorized: 20, grokked: 1000);
        SlicePlan.Of(never, Snapshots, never.Members[0], 0.99, 0.1, 3).Missing.Should().Be("never reached 99 % validation accuracy within 100 steps");

        var diverged = Rows(memorized: 20, grokked: 90, diverged: 60);
        SlicePlan.Of(diverged, Snapshots, diverged.Members[0], 0.99, 0.1, 3).Missing
            .Should().Be("never reached 99 % validation accuracy before diverging at step 60");

        var together = Rows(memorized: 50, grokked: 50);
        SlicePlan.Of(together, Snapshots, together.Members[0], 0.99, 0.1, 3).Missing
            .Should().StartWith("no snapshot between memorization (step 50) and grokking (step 50)");
    }

    [Fact]
    public void Spread_keeps_the_ends_and_picks_evenly_between()
    {
        SlicePlan.Spread([1, 2, 3, 4, 5, 6], 3).Should().Equal(1, 3, 6);
        SlicePlan.Spread([1, 2], 3).Should().Equal(1, 2);
        SlicePlan.Spread([1, 2, 3], 1).Should().Equal(1);
    }

    // ---------------------------------------------------------------- slices of a linear model

    private static WeightVector Random(GrokkingOptions options, long seed)
    {
        using var model = PopulationModelFactory.Create(1, options.Model, options.Data);
        model.Initialize([seed], [1.0]);
        return WeightVector.Of(model, 0, $"init {seed}", 0);
    }

    [Fact]
    public void A_segment_extends_past_its_ends_as_a_line_and_is_evaluated_there()
    {
        var options = SyntheticRun.LinearRegression(trainSamples: 16);
        using var start = Random(options, 1);
        using var end = Random(options, 2);
        var slice = WeightPath.Segment(start, end, "slice");
        slice.Coefficients(-0.5).Should().Equal(1.5, -0.5);
        slice.Coefficients(1.5).Should().Equal(-0.5, 1.5);
        var chain = () => WeightPath.Chain([start, end], "chain").Coefficients(1.5);
        chain.Should().Throw<ArgumentOutOfRangeException>("only a segment is a line beyond its ends");

        var setup = LandscapeSetup.Of(options, new MemberSpec(0, 0, 1e-3, 0, 1), CPU);
        var e = PathEvaluator.Evaluate(setup, [slice], GrokkingSlices.Alphas(5), gradNorm: false)[0];

        e.T.Should().Equal(-0.5, 0, 0.5, 1, 1.5);
        e.Points.Should().OnlyContain(p => double.IsNaN(p.GradNorm), "the gradient-norm pass is skipped");
        // The outputs are linear in a, so the mean squared error is a parabola: constant second differences on the
        // even grid, past both ends too.
        var loss = e.Values(PathMetric.TrainLoss);
        var second = Enumerable.Range(1, 3).Select(i => loss[i - 1] - (2 * loss[i]) + loss[i + 1]).ToList();
        second.Should().OnlyContain(d => Math.Abs(d - second[0]) < 1e-9 * loss.Max());
        second[0].Should().BePositive();
    }

    /// <summary>
    /// Three seeds at fraction 0.5 of the linear model (<see cref="SyntheticRun.LinearRegression"/>: its slices are
    /// parabolas), snapshots every 10 steps to 60 (random weights); every row memorized, validation accuracy 1 from
    /// <paramref name="grokked"/> on.
    /// </summary>
    private static SyntheticRun LinearRun(long grokked)
    {
        var options = SyntheticRun.LinearRegression(trainSamples: 16);
        var run = new SyntheticRun(SyntheticRun.Sweep([0, 1, 2], [0.5]), options);
        for (long step = 10; step <= 60; step += 10)
        {
            var state = SyntheticRun.Initialized(options, [.. run.Members.Select(m => (100 * step) + m.Seed)]);
            run.Save(step, state);
            SyntheticRun.Dispose(state);

            foreach (var m in run.Members)
            {
                run.Row(m.Index, step, 0.1, 1, step >= grokked ? 1 : 0.05);
            }
        }

        return run;
    }

    // memorizedLevel 0 and valleyValAccuracy 1: every slice of the regression model starts "in the valley", so the
    // decision rests on the ridge alone.
    private static (string, double)[] Tolerances =>
        [("memorizedLevel", 0), ("valleyValAccuracy", 1), ("minRidge", 1.05), ("minContrast", 2), ("slices", 2), ("alphaPoints", 5)];

    [Fact]
    public void Slices_of_a_linear_model_are_parabolas_without_a_ridge_and_refute_and_a_second_analysis_reads_the_cache()
    {
        using var run = LinearRun(grokked: 50);

        var result = new GrokkingSlices().Analyze(run.Context("PG-7", Tolerances));

        result.Verdict.Should().Be(Verdict.Refuted, result.Reason);
        result.Reason.Should().Contain("seed 0: step 10: ridge 1.00x").And.Contain("step 40: ridge 1.00x");
        result.Comparisons.Single(c => c.Key == "ridgeRatioMin").Verdict.Should().Be(Verdict.Refuted);
        result.Measured.Single(m => m.Key == "ridgeRatioMin").PerSeed
            .Should().OnlyContain(r => Math.Abs(r - 1) < 1e-12, "a parabola's maximum over [0, 1] is at an end");
        result.Measured.Single(m => m.Key == "ridgeRatioAfterGrokking").PerSeed.Should().OnlyContain(r => Math.Abs(r - 1) < 1e-12);
        result.Measured.Single(m => m.Key == "preGrokkingSlices").Value.Should().Be(2);
        result.Measured.Single(m => m.Key == "grokkedStep").Value.Should().Be(50);
        result.Measured.Single(m => m.Key == "memorizedStep").Value.Should().Be(10);
        result.Figures.Should().ContainSingle();
        File.Exists(Path.Combine(run.Report, result.Figures[0].PngPath)).Should().BeTrue();

        run.CorruptSnapshots();
        var again = new GrokkingSlices().Analyze(run.Context("PG-7", Tolerances));
        again.Reason.Should().Be(result.Reason);
    }

    [Fact]
    public void A_run_that_never_groks_cannot_decide_and_evaluates_nothing()
    {
        using var run = LinearRun(grokked: 1000);
        run.CorruptSnapshots(); // nothing may be read

        var result = new GrokkingSlices().Analyze(run.Context("PG-7", Tolerances));

        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("seed 2: never reached 99 % validation accuracy within 60 steps");
        result.Figures.Should().BeEmpty();
    }
}
