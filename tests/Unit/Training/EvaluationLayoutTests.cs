using Grokking.Configuration;
using Grokking.Data;
using Grokking.Models;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Training;

/// <summary>
/// A split's loss and accuracy are the same bits whatever rows a forward pass takes (the measured layout changes
/// speed only), and the same bits as the engine's evaluation before layouts were measured (one pass per sum block),
/// on a transformer, an MLP and a padded train-fraction sweep.
/// </summary>
public sealed class EvaluationLayoutTests
{
    private static GrokkingOptions Options(string kind) => kind == "mlp"
        ? EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Data:TrainSamples=700", "Data:TestSamples=700")
        : EngineFixtures.Small("Model:Norm=layernorm", "Model:Layers=2", "Data:Modulus=41", "Data:TrainFraction=0.5");

    [Theory]
    [InlineData("transformer", 0)]
    [InlineData("transformer", 300)]
    [InlineData("mlp", 0)]
    [InlineData("mlp", 300)]
    public void Rows_per_pass_never_change_a_bit_and_match_the_evaluation_before_layouts(string kind, int sumRows)
    {
        var o = Options(kind);
        using var model = PopulationModelFactory.Create(3, o.Model, o.Data, CPU);
        model.Initialize([0, 1, 2], [1.0, 1.0, 1.0]);
        using var data = PopulationDataFactory.Create(o.Data, [0, 1, 2], CPU, model.DType);
        using var scope = NewDisposeScope();
        foreach (var (x, y) in new[] { (data.TrainX, data.TrainY), (data.ValX, data.ValY) })
        {
            long n = x.shape[1];
            long block = sumRows > 0 ? sumRows : PopulationEvaluator.SumRows(3);
            n.Should().BeGreaterThan(sumRows > 0 ? 2 * block : 64, "several passes, and several sum blocks where asked");
            var before = EvaluationBeforeLayouts(model, x, y, data, null, null, block);
            // An MLP's passes are not measured (a wider MLP's forward rounds differently with its row count: og-images at ci):
            // it evaluates a block in one pass, and the default evaluation must be exactly that.
            long[] passes = kind == "mlp" ? [block] : [64, 100, 257, 1000, n, 0];
            foreach (long rows in passes)
            {
                var metrics = PopulationEvaluator.Evaluate(model, x, y, data, null, null, block, rows);
                Bits(metrics.Loss).Should().Equal(Bits(before.Loss), $"loss with {rows} rows per pass");
                Bits(metrics.Accuracy).Should().Equal(Bits(before.Accuracy), $"accuracy with {rows} rows per pass");
            }

            if (sumRows == 0)
            {
                var chosen = PopulationEvaluator.Evaluate(model, x, y, data);
                Bits(chosen.Loss).Should().Equal(Bits(before.Loss), "the default evaluation's loss");
                Bits(chosen.Accuracy).Should().Equal(Bits(before.Accuracy), "the default evaluation's accuracy");
            }
        }
    }

    [Fact]
    public void A_padded_fraction_sweep_is_the_same_bits_for_every_rows_per_pass()
    {
        var o = Options("transformer");
        using var model = PopulationModelFactory.Create(3, o.Model, o.Data, CPU);
        model.Initialize([0, 1, 2], [1.0, 1.0, 1.0]);
        using var data = PopulationDataFactory.Create(o.Data, [0, 1, 2], CPU, ScalarType.Float32, [0.3, 0.6, 0.45]);
        data.IsPadded.Should().BeTrue();
        using var scope = NewDisposeScope();
        var split = new[]
        {
            (data.TrainX, data.TrainY, data.TrainWeights!, data.TrainSizes!), (data.ValX, data.ValY, data.ValWeights!, data.ValSizes!),
        };
        foreach (var (x, y, w, sizes) in split)
        {
            var reference = EvaluationBeforeLayouts(model, x, y, data, w, sizes, PopulationEvaluator.SumRows(3));
            foreach (long rows in new[] { 64, 333, x.shape[1], 0 })
            {
                var metrics = PopulationEvaluator.Evaluate(model, x, y, data, w, sizes, PopulationEvaluator.SumRows(3), rows);
                Bits(metrics.Loss).Should().Equal(Bits(reference.Loss), $"loss with {rows} rows per pass");
                Bits(metrics.Accuracy).Should().Equal(Bits(reference.Accuracy), $"accuracy with {rows} rows per pass");
            }
        }

        var recorded = PopulationEvaluator.Evaluate(model, data.TrainX, data.TrainY, data, data.TrainWeights, data.TrainSizes);
        var before = EvaluationBeforeLayouts(
            model, data.TrainX, data.TrainY, data, data.TrainWeights, data.TrainSizes, PopulationEvaluator.SumRows(3));
        Bits(recorded.Loss).Should().Equal(Bits(before.Loss), "the metric recorder's call, with its measured rows per pass");
    }

    [Fact]
    public void The_measured_rows_per_pass_is_a_candidate_kept_once_per_shape_even_when_two_lanes_ask_at_once()
    {
        var o = EngineFixtures.Small("Data:Modulus=37", "Model:DModel=24", "Model:DMlp=40");
        using var model = PopulationModelFactory.Create(2, o.Model, o.Data, CPU);
        model.Initialize([0, 1], [1.0, 1.0]);
        using var data = PopulationDataFactory.Create(o.Data, [0, 1], CPU, model.DType);
        long n = data.TrainX.shape[1];

        var chosen = Enumerable.Range(0, 2).AsParallel().Select(_ =>
        {
            using var scope = NewDisposeScope();
            return EvaluationRowsCalibration.RowsPerPass(model, data.TrainX, data.TrainY, data);
        }).ToList();

        chosen.Distinct().Should().ContainSingle();
        EvaluationRowsCalibration.Candidates.Select(c => (long)c).Append(n).Should().Contain(chosen[0]);
        EvaluationLayout.Find(EvaluationRowsCalibration.Kind, EvaluationRowsCalibration.Key(model, data.TrainX)).Should().Be((int)chosen[0]);
        EvaluationLayout.Describe().Should().Contain(EvaluationRowsCalibration.Key(model, data.TrainX));
    }

    /// <summary>The engine's evaluation before measured layouts: one forward pass per sum block (a copy of it).</summary>
    private static SplitMetrics EvaluationBeforeLayouts(
        PopulationModel model, Tensor inputs, Tensor labels, PopulationData data, Tensor? weights, Tensor? sizes, long chunk)
    {
        using var noGrad = no_grad();
        long n = inputs.shape[1];
        Tensor? lossSum = null;
        Tensor? correctSum = null;
        for (long start = 0; start < n; start += chunk)
        {
            long end = Math.Min(n, start + chunk);
            var x = inputs.narrow(1, start, end - start);
            var y = labels.narrow(1, start, end - start);
            var output = model.forward(x);
            var perExample = LossFunctions.PerExample(output, y, data.Task);
            var correct = LossFunctions.Correct(output, y, perExample, data.Task, data.CorrectThreshold);
            if (weights is not null)
            {
                var w = weights.narrow(1, start, end - start);
                perExample = perExample.mul(w);
                correct = correct.mul(w);
            }

            lossSum = lossSum is null ? perExample.sum(1) : lossSum.PlusInPlace(perExample.sum(1));
            correctSum = correctSum is null ? correct.sum(1) : correctSum.PlusInPlace(correct.sum(1));
        }

        return sizes is null
            ? new SplitMetrics(lossSum!.DivideInPlace(n), correctSum!.DivideInPlace(n))
            : new SplitMetrics(lossSum!.div_(sizes), correctSum!.div_(sizes));
    }

    private static long[] Bits(Tensor t) => t.to(ScalarType.Float64).data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
}
