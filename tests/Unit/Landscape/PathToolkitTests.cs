using Grokking.Configuration;
using Grokking.Landscape;
using Grokking.Models;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Landscape;

/// <summary>
/// The path toolkit against its definitions: exact endpoints, MC's polyline through its bend, batched evaluation
/// equal to one-at-a-time evaluation, a zero barrier between copies of one model, and a fitted curve beating the
/// straight segment where the segment has a barrier.
/// </summary>
public sealed class PathToolkitTests
{
    private static GrokkingOptions Options(params string[] overrides) => EngineFixtures.Small([.. overrides]);

    private static (WeightVector A, WeightVector B, WeightVector C) ThreeModels(GrokkingOptions options)
    {
        using var model = PopulationModelFactory.Create(3, options.Model, options.Data);
        model.Initialize([0, 1, 2], [1.0, 1.0, 1.0]);
        return (WeightVector.Of(model, 0, "a", 0), WeightVector.Of(model, 1, "b", 0), WeightVector.Of(model, 2, "c", 0));
    }

    private static bool Equal(Tensor x, Tensor y) => x.shape.SequenceEqual(y.shape) && x.eq(y).all().item<bool>();

    [Fact]
    public void Every_path_starts_and_ends_exactly_at_its_end_models_and_the_polyline_passes_its_bend_at_one_half()
    {
        var options = Options();
        var (a, b, c) = ThreeModels(options);
        using (a)
        using (b)
        using (c)
        {
            var paths = new[]
            {
                WeightPath.Segment(a, b, "segment"),
                WeightPath.Chain([a, c, b], "chain"),
                WeightPath.Polyline(a, c, b, "polyline"),
                WeightPath.Bezier(a, c, b, "bezier"),
            };
            var points = paths.SelectMany((p, i) => new[] { (i, 0.0), (i, 1.0) }).Append((2, 0.5)).Append((1, 0.5)).ToList();
            var state = PathEvaluator.Materialize(paths, points);
            try
            {
                foreach (var (name, stacked) in state)
                {
                    for (int i = 0; i < paths.Length; i++)
                    {
                        Equal(stacked[2 * i], a.Tensors[name]).Should().BeTrue($"{paths[i].Label} at t = 0 is the first model ({name})");
                        Equal(stacked[(2 * i) + 1], b.Tensors[name]).Should().BeTrue($"{paths[i].Label} at t = 1 is the last model ({name})");
                    }

                    Equal(stacked[8], c.Tensors[name]).Should().BeTrue($"the polyline at t = 0.5 is its bend ({name})");
                    Equal(stacked[9], c.Tensors[name]).Should().BeTrue($"a chain of three passes its middle point at t = 0.5 ({name})");
                }
            }
            finally
            {
                foreach (var t in state.Values)
                {
                    t.Dispose();
                }
            }
        }
    }

    [Theory]
    [InlineData(0.0, new[] { 1.0, 0.0, 0.0 })]
    [InlineData(0.25, new[] { 0.5, 0.5, 0.0 })]
    [InlineData(0.75, new[] { 0.0, 0.5, 0.5 })]
    public void Polyline_coefficients_follow_MC_definition_3(double t, double[] expected)
    {
        var options = Options();
        var (a, b, c) = ThreeModels(options);
        using (a)
        using (b)
        using (c)
        {
            var polyline = WeightPath.Polyline(a, c, b, "p");
            polyline.Coefficients(t).Should().Equal(expected, (x, y) => Math.Abs(x - y) < 1e-12);
            using var tensorForm = WeightPath.BendCoefficients(PathKind.Polyline, tensor(new[] { (float)t }));
            tensorForm.data<float>().ToArray().Select(v => (double)v).Should().Equal(expected, (x, y) => Math.Abs(x - y) < 1e-6);
            using var bezier = WeightPath.BendCoefficients(PathKind.Bezier, tensor(new[] { (float)t }));
            bezier.data<float>().ToArray().Select(v => (double)v).Should().Equal(
                new[] { (1 - t) * (1 - t), 2 * t * (1 - t), t * t }, (x, y) => Math.Abs(x - y) < 1e-6);
        }
    }

    [Fact]
    public void Evaluating_a_path_as_one_population_equals_evaluating_its_points_one_at_a_time()
    {
        var options = Options();
        var (a, b, c) = ThreeModels(options);
        using (a)
        using (b)
        using (c)
        {
            var path = WeightPath.Segment(a, b, "segment");
            var batched = LandscapeSetup(options, points: 7, maxMembers: 7);
            var single = LandscapeSetup(options, points: 7, maxMembers: 1);
            var together = PathEvaluator.Evaluate(batched, [path])[0];
            var apart = PathEvaluator.Evaluate(single, [path])[0];
            together.Points.Should().HaveCount(7);
            for (int i = 0; i < 7; i++)
            {
                var x = together.Points[i];
                var y = apart.Points[i];
                x.T.Should().Be(y.T);
                x.TrainLoss.Should().BeApproximately(y.TrainLoss, 1e-5);
                x.ValLossL2.Should().BeApproximately(y.ValLossL2, 1e-5);
                x.TrainError.Should().BeApproximately(y.TrainError, 1e-9);
                x.ValError.Should().BeApproximately(y.ValError, 1e-9);
                x.GradNorm.Should().BeApproximately(y.GradNorm, 1e-4 * Math.Max(1, y.GradNorm));
            }

            // The ends are the models themselves: the path's end metrics are the population evaluator's.
            using var model = PopulationModelFactory.Create(1, options.Model, options.Data);
            model.Load(a.Tensors.ToDictionary(t => t.Key, t => t.Value.unsqueeze(0)));
            using var data = Grokking.Data.PopulationDataFactory.Create(options.Data, [0], CPU);
            var direct = PopulationEvaluator.Evaluate(model, data.TrainX, data.TrainY, data);
            together.Points[0].TrainLoss.Should().BeApproximately(direct.Loss.item<float>(), 1e-5);
        }
    }

    [Fact]
    public void The_barrier_between_two_copies_of_one_model_is_zero()
    {
        var options = Options();
        var (a, b, c) = ThreeModels(options);
        using (a)
        using (b)
        using (c)
        using (var copy = a.Lerp(a, 0.5, "copy"))
        {
            var e = PathEvaluator.Evaluate(LandscapeSetup(options, points: 5, maxMembers: 5), [WeightPath.Segment(a, copy, "same")])[0];
            e.Barrier(PathMetric.TrainLoss).Should().BeLessThan(1e-6);
            e.Barrier(PathMetric.TrainError).Should().Be(0);
            e.Barrier(PathMetric.ValLoss).Should().BeLessThan(1e-6);
        }
    }

    [Fact]
    public void A_fitted_polyline_has_lower_mean_loss_than_the_straight_segment_between_permuted_copies_of_a_trained_network()
    {
        // A trained tanh MLP and the same network with its hidden units permuted compute the same function, but the
        // straight segment between them averages unrelated units: a known barrier that a bent path can avoid.
        var options = EngineFixtures.Small(
            "Data:Kind=teacherstudent", "Data:SplitSeed=0", "Data:TrainSamples=64", "Data:TestSamples=64", "Model:Kind=mlp",
            "Model:Hidden:0=12", "Model:Activation=tanh", "Optimizer:Name=adam", "Optimizer:LearningRate=0.01", "Optimizer:WeightDecay=0",
            "Train:BatchSize=0", "Train:Steps=400", "Train:MetricsEvery=400");
        string dir = EngineFixtures.TempDirectory();
        new PopulationTrainer(options, PopulationSetup.Members(options), CPU).Run(dir);
        var checkpoints = new RunCheckpoints(dir, CPU);
        using var trained = checkpoints.Load(checkpoints.Steps[^1], 0, 0, "trained");
        var permutation = Enumerable.Range(0, 12).Reverse().ToArray();
        using var index = tensor(permutation.Select(i => (long)i).ToArray());
        using var permuted = new WeightVector("permuted", 0, new Dictionary<string, Tensor>
        {
            ["layers.0.weight"] = trained.Tensors["layers.0.weight"].index_select(1, index),
            ["layers.0.bias"] = trained.Tensors["layers.0.bias"].index_select(0, index),
            ["layers.1.weight"] = trained.Tensors["layers.1.weight"].index_select(0, index),
            ["layers.1.bias"] = trained.Tensors["layers.1.bias"].clone(),
        });

        var setup = new LandscapeSetup(options.Model, options.Data, 0, WeightDecay: 0, LearningRate: 0.05, new LandscapeOptions { Points = 21, FitEpochs = 300 }, CPU);
        var segment = PathEvaluator.Evaluate(setup, [WeightPath.Segment(trained, permuted, "segment")])[0];
        segment.Points[0].TrainLoss.Should().BeApproximately(segment.Points[^1].TrainLoss, 1e-5, "the permuted copy computes the same function");
        segment.Barrier(PathMetric.TrainLoss).Should().BeGreaterThan(0.05 * segment.Points.Max(p => p.TrainLoss), "averaging unrelated hidden units costs loss");

        var curves = CurveFitter.Fit(setup, [new FitRequest(PathKind.Polyline, trained, permuted, 7, "fit", 300)]);
        using var curve = curves[0];
        var fitted = PathEvaluator.Evaluate(setup, [curve.Path])[0];
        fitted.Points.Average(p => p.TrainLoss).Should().BeLessThan(0.8 * segment.Points.Average(p => p.TrainLoss));
        curve.StepLoss.Take(20).Average().Should().BeGreaterThan(curve.StepLoss.TakeLast(20).Average(), "the fit lowers its objective");

        // Fits of one population keep their own budgets: a 5-epoch fit beside a 40-epoch one ends where it ends alone.
        var alone = CurveFitter.Fit(setup, [new FitRequest(PathKind.Polyline, trained, permuted, 7, "short", 5)]);
        var together = CurveFitter.Fit(setup, [new FitRequest(PathKind.Polyline, trained, permuted, 7, "short", 5), new FitRequest(PathKind.Polyline, trained, permuted, 7, "long", 40)]);
        together[0].StepLoss.Should().HaveCount(5, "full batch: one step per epoch, and only the fit's own budget is reported");
        together[1].StepLoss.Should().HaveCount(40);
        foreach (string name in alone[0].Bend.Tensors.Keys)
        {
            together[0].Bend.Tensors[name].allclose(alone[0].Bend.Tensors[name], rtol: 1e-5, atol: 1e-6).Should().BeTrue($"{name}: the short fit's bend is frozen once its budget is spent");
        }

        together[1].Bend.Tensors["layers.0.weight"].allclose(alone[0].Bend.Tensors["layers.0.weight"], rtol: 1e-3, atol: 1e-4).Should().BeFalse("the long fit, the same as the short one for 5 epochs, keeps moving");
        foreach (var c in alone.Concat(together))
        {
            c.Dispose();
        }

        Directory.Delete(dir, recursive: true);
    }

    private static LandscapeSetup LandscapeSetup(GrokkingOptions options, int points, int maxMembers) =>
        new(options.Model, options.Data, options.Train.BatchSize, WeightDecay: 0.001, LearningRate: 0.1, new LandscapeOptions { Points = points, MaxMembers = maxMembers }, CPU);
}
