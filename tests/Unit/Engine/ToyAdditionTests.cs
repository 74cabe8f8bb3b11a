using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Optim;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>
/// Toy addition (Omnigrok section 5.1, its notebook addition-landscape.ipynb): the pairs, labels and splits of the data
/// kind, the learned representation and decoder of the model kind against hand computations, and what the optimizer does
/// with a representation (its own rate, no decay, outside the held norm) and with the notebook's step schedule.
/// </summary>
public sealed class ToyAdditionTests
{
    private static GrokkingOptions Toy(params string[] overrides) => EngineFixtures.Small(
    [
        "Data:Kind=toyaddition", "Data:Modulus=10", "Data:TemplateDimension=30", "Data:TrainSamples=45", "Model:Kind=toyaddition",
        "Model:Embedding=2", "Model:Hidden=200,200", "Model:Activation=leakyrelu", "Train:BatchSize=0", .. overrides,
    ]);

    [Fact]
    public void The_pairs_are_the_55_unordered_digit_pairs_in_the_notebooks_order()
    {
        var pairs = ToyAdditionDataset.Pairs(10);

        pairs.GetLength(0).Should().Be(55).And.Be(DataOptions.ToyAdditionPairs(10));
        (pairs[0, 0], pairs[0, 1]).Should().Be((0L, 0L));
        (pairs[9, 0], pairs[9, 1]).Should().Be((0L, 9L));
        (pairs[10, 0], pairs[10, 1]).Should().Be((1L, 1L), "i outer, j from i");
        (pairs[54, 0], pairs[54, 1]).Should().Be((9L, 9L));
    }

    [Fact]
    public void Each_pair_is_labelled_by_the_template_of_its_sum_mod_p_and_train_and_test_split_the_pairs()
    {
        var o = Toy();
        using var scope = NewDisposeScope();
        using var data = PopulationDataFactory.Create(o.Data, [3, 4], CPU);

        data.Task.Should().Be(TaskKind.NearestTemplate);
        data.Templates!.shape.Should().Equal(2, 10, 30);
        data.TrainX.shape.Should().Equal(2, 45, 2);
        data.ValX.shape.Should().Equal(2, 10, 2);
        for (int k = 0; k < 2; k++)
        {
            var x = Pairs(cat([data.TrainX[k], data.ValX[k]]));
            x.Distinct().Should().HaveCount(55, "train and test rows are every pair once");
            var y = cat([data.TrainY[k], data.ValY[k]]);
            for (int row = 0; row < 55; row++)
            {
                int label = (x[row].I + x[row].J) % 10;
                y[row].allclose(data.Templates[k][label]).Should().BeTrue($"pair {x[row]} has the template of {label}");
            }
        }

        data.Templates[0].allclose(data.Templates[1]).Should().BeFalse("each seed draws its own templates");
        double mean = data.Templates.mean().item<float>(), std = data.Templates.std().item<float>();
        mean.Should().BeApproximately(0, 0.1, "N(0, 1) over 600 entries");
        std.Should().BeApproximately(1, 0.1);
    }

    [Fact]
    public void A_size_sweep_nests_one_seeds_training_sets_and_the_member_that_trains_on_every_pair_has_no_test_pair()
    {
        var o = Toy("Population:TrainSamples=25,55", "Population:Seeds=7");
        var members = PopulationSetup.Members(o);
        using var scope = NewDisposeScope();
        using var data = PopulationDataFactory.Create(o.Data, [.. members.Select(m => m.Seed)], CPU, trainSamples: MemberSpec.SweptSamples(members));

        data.TrainWeights!.sum(1).data<float>().ToArray().Should().Equal(25, 55);
        data.ValWeights!.sum(1).data<float>().ToArray().Should().Equal(30, 0);
        Pairs(data.TrainX[1])[..25].Should().Equal(Pairs(data.TrainX[0])[..25], "the first 25 of the seed's permutation");

        using var model = PopulationModelFactory.Create(2, o.Model, o.Data);
        model.Initialize([7, 7], [1.0, 1.0]);
        var test = PopulationEvaluator.Evaluate(model, data.ValX, data.ValY, data, data.ValWeights, data.ValSizes);
        double.IsNaN(test.Loss[1].item<float>()).Should().BeTrue("no test pair: NaN, never a loss of 0");
        double.IsFinite(test.Loss[0].item<float>()).Should().BeTrue();
    }

    [Fact]
    public void The_output_is_the_decoder_of_the_summed_representation_with_leaky_relu_of_slope_0_2()
    {
        var o = Toy("Model:Hidden=3", "Data:TemplateDimension=2");
        using var scope = NewDisposeScope();
        using var model = new PopulationToyAddition(2, o.Model, 10, 2, dtype: ScalarType.Float64);
        model.Initialize([1, 2], [1.0, 3.0]);
        var x = tensor(new long[] { 2, 7, 0, 0, 9, 4, 5, 5 }).view(2, 2, 2);

        var output = model.forward(x);

        var p = model.Parameters.ToDictionary(q => q.Name, q => q.Value.detach());
        for (int k = 0; k < 2; k++)
        {
            for (int b = 0; b < 2; b++)
            {
                long i = x[k, b, 0].item<long>(), j = x[k, b, 1].item<long>();
                var sum = p["representation"][k][i].add(p["representation"][k][j]);
                var hidden = sum.matmul(p["decoder.0.weight"][k]).add(p["decoder.0.bias"][k]);
                hidden = where(hidden.gt(0), hidden, hidden.mul(0.2));
                var expected = hidden.matmul(p["decoder.1.weight"][k]).add(p["decoder.1.bias"][k]);
                output[k][b].allclose(expected, rtol: 1e-12, atol: 1e-12).Should().BeTrue($"member {k}, pair ({i}, {j})");
            }
        }
    }

    [Fact]
    public void The_representation_interpolates_the_seeds_line_and_random_draw_and_the_init_scale_multiplies_the_decoder_alone()
    {
        var o = Toy("Model:Hidden=8");
        using var scope = NewDisposeScope();
        using var model = new PopulationToyAddition(4, o.Model, 10, 30, dtype: ScalarType.Float64);
        model.Initialize([5, 5, 5, 5], [1.0, 1.0, 1.0, 2.5], [0.0, 1.0, 0.3, 0.3]);
        var rep = model.Parameters.Single(q => q.Name == "representation").Value.detach();
        var decoder = model.Parameters.Single(q => q.Name == "decoder.0.weight").Value.detach();

        rep[0].select(1, 0).allclose(linspace(-1, 1, 10, dtype: ScalarType.Float64), atol: 1e-7).Should().BeTrue("m = 0 is the line");
        rep[0].select(1, 1).abs().max().item<double>().Should().BeLessThanOrEqualTo(0.3, "the line's other column is 0.3 U(-1, 1)");
        rep[1].abs().max().item<double>().Should().BeLessThan(1, "m = 1 is U(-1, 1)");
        rep[2].allclose(rep[1].mul(0.3).add(rep[0].mul(0.7)), atol: 1e-7).Should().BeTrue("R = m R_random + (1 - m) R_line");
        rep[3].allclose(rep[2]).Should().BeTrue("the init scale leaves the representation alone");
        decoder[3].allclose(decoder[2].mul(2.5)).Should().BeTrue("and multiplies the decoder (the notebook's nn_init_scale)");
        model.HasRepresentation.Should().BeTrue();
    }

    [Fact]
    public void A_member_is_correct_when_its_output_is_nearest_its_labels_template()
    {
        using var scope = NewDisposeScope();
        var templates = tensor(new float[] { 0, 0, 10, 0, 0, 10 }).view(1, 3, 2);
        var labels = templates[0].index_select(0, tensor(new long[] { 1, 1, 2 })).unsqueeze(0);
        var output = tensor(new float[] { 6, 1, 4, 1, 1, 8 }).view(1, 3, 2);

        var correct = LossFunctions.Correct(output, labels, zeros(1, 3), TaskKind.NearestTemplate, 0, templates);

        // (6, 1) is nearest (10, 0): right; (4, 1) is nearest (0, 0): wrong; (1, 8) is nearest (0, 10): right.
        correct.data<float>().ToArray().Should().Equal(1, 0, 1);
        LossFunctions.PerExample(output, labels, TaskKind.NearestTemplate).data<float>().ToArray()
            .Should().Equal([8.5f, 18.5f, 2.5f], "the MSE against the label's template, mean over its entries");
    }

    [Fact]
    public void The_representation_trains_at_its_own_rate_without_decay_and_outside_the_held_norm()
    {
        var o = Toy("Model:Hidden=8", "Optimizer:Name=adamw", "Optimizer:LearningRate=0.01", "Optimizer:RepresentationLearningRate=0",
            "Optimizer:WeightDecay=0.5", "Optimizer:ConstrainNorm=true");
        using var scope = NewDisposeScope();
        using var model = PopulationModelFactory.Create(1, o.Model, o.Data);
        model.Initialize([1], [1.0]);
        using var data = PopulationDataFactory.Create(o.Data, [1], CPU);
        var before = model.Snapshot();
        double norm = model.SquaredNorm(PopulationModel.IsWeight).sqrt().item<float>();
        using var frozen = new PopulationOptimizer(model, o.Optimizer, [0.01], [0.5]);

        for (int step = 0; step < 3; step++)
        {
            frozen.ZeroGrad();
            LossFunctions.PerExample(model.forward(data.TrainX), data.TrainY, data.Task).mean().backward();
            frozen.Step(step);
        }

        var after = model.Snapshot();
        after["representation"].allclose(before["representation"], rtol: 0, atol: 0).Should().BeTrue("eta_R = 0 freezes the representation (the landscape)");
        after["decoder.0.weight"].allclose(before["decoder.0.weight"], rtol: 0, atol: 0).Should().BeFalse();
        model.SquaredNorm(PopulationModel.IsWeight).sqrt().item<float>().Should().BeApproximately((float)norm, 1e-4f, "the decoder's w is held");

        var start = model.Snapshot()["representation"];
        using var sgd = new PopulationOptimizer(model, new OptimizerOptions { Name = OptimizerKind.Sgd, RepresentationLearningRate = 0.1 }, [0], [0.5]);
        sgd.ZeroGrad();
        LossFunctions.PerExample(model.forward(data.TrainX), data.TrainY, data.Task).mean().backward();
        var grad = model.Parameters.Single(q => q.Representation).Value.grad!.clone();
        sgd.Step(0);
        model.Snapshot()["representation"].allclose(start.sub(grad.mul(0.1)), atol: 1e-7).Should()
            .BeTrue("one SGD step moves E by -eta_R dl/dE: no weight decay term (0.5 x E would show)");
    }

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(4998, 1.0)]
    [InlineData(4999, 0.2)]
    [InlineData(9998, 0.2)]
    [InlineData(9999, 0.04)]
    [InlineData(14998, 0.04)]
    public void The_step_schedule_drops_the_rate_where_the_notebook_does(long step, double factor)
    {
        // The notebook lowers the rate before step s when (s + 1) % 5000 == 0: step 4999 (0-based) already runs at 0.2.
        var schedule = new OptimizerOptions { LearningRateDropEvery = 5000, LearningRateDropFactor = 0.2 };

        schedule.ScheduleFactor(step).Should().BeApproximately(factor, 1e-12);
        new OptimizerOptions().ScheduleFactor(step).Should().Be(1, "no schedule");
    }

    [Fact]
    public void A_run_records_its_representation_in_every_metric_row_and_its_files_keep_it()
    {
        var o = Toy("Model:Hidden=8", "Data:TemplateDimension=4", "Population:Seeds=0", "Population:TrainSamples=35,55",
            "Train:Steps=4", "Train:MetricsEvery=2", "Train:RecordRepresentation=true", "Optimizer:Name=adam",
            "Optimizer:RepresentationLearningRate=0.01", "Optimizer:LearningRate=0.01");
        string dir = EngineFixtures.TempDirectory();

        var result = new PopulationTrainer(o, PopulationSetup.Members(o), CPU).Run(dir);
        var read = new RunDirectory(dir).ReadResult();

        result.Metrics.Should().HaveCount(4).And.OnlyContain(r => r.Representation != null && r.Representation.Length == 20);
        result.Metrics[0].Representation.Should().NotEqual(result.Metrics[2].Representation, "the representation trains");
        read.Metrics.Select(r => r.Representation).Should().BeEquivalentTo(result.Metrics.Select(r => r.Representation), c => c.WithStrictOrdering());
        double.IsNaN(result.Metrics.Single(r => r.Member == 1 && r.Step == 4).ValLoss).Should().BeTrue("size 55 has no test pair");
    }

    [Fact]
    public void A_run_without_the_record_writes_no_representation()
    {
        var o = Toy("Model:Hidden=8", "Data:TemplateDimension=4", "Population:Seeds=0", "Train:Steps=2", "Train:MetricsEvery=2");
        string dir = EngineFixtures.TempDirectory();

        var result = new PopulationTrainer(o, PopulationSetup.Members(o), CPU).Run(dir);

        result.Metrics.Should().OnlyContain(r => r.Representation == null);
        File.ReadAllText(new RunDirectory(dir).MetricsJsonl).Should().NotContain("Representation");
    }

    [Theory]
    [InlineData(new[] { "Data:TemplateDimension=0" }, "*Data:TemplateDimension*toyaddition needs*")]
    [InlineData(new[] { "Data:TrainSamples=56" }, "*Data:TrainSamples*56*55 pairs*")]
    [InlineData(new[] { "Model:Embedding=0" }, "*Model:Embedding*representation width*")]
    [InlineData(new[] { "Model:Kind=transformer", "Model:Activation=leakyrelu" }, "*Model:Activation*leakyrelu*")]
    public void A_bad_toy_setting_is_a_configuration_error_naming_the_key(string[] overrides, string message)
    {
        var load = () => Toy(overrides);

        load.Should().Throw<OptionsException>().WithMessage(message);
    }

    [Theory]
    [InlineData("Model:Kind=mlp", "*Model:Kind*Data:Kind = toyaddition needs Model:Kind = toyaddition*")]
    [InlineData("Train:RecordRepresentation=false", null)]
    public void The_toy_data_and_model_go_only_with_each_other(string setting, string? message)
    {
        var validate = () => PopulationSetup.Validate(Toy(setting));

        if (message is null)
        {
            validate.Should().NotThrow();
        }
        else
        {
            validate.Should().Throw<OptionsException>().WithMessage(message);
        }
    }

    [Fact]
    public void Recording_a_representation_needs_a_model_that_has_one()
    {
        var o = EngineFixtures.Small("Train:RecordRepresentation=true");

        var validate = () => PopulationSetup.Validate(o);

        validate.Should().Throw<OptionsException>().WithMessage("*Train:RecordRepresentation*toyaddition*");
    }

    private static (int I, int J)[] Pairs(Tensor x) =>
        [.. Enumerable.Range(0, (int)x.shape[0]).Select(r => ((int)x[r, 0].item<long>(), (int)x[r, 1].item<long>()))];
}
