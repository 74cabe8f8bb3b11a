using Grokking.Configuration;
using Grokking.Landscape;
using Grokking.Models;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Landscape;

/// <summary>
/// A path point's values are the same bits whatever the points per model (1, 3, the former default 4, all, or
/// measured): its weights are materialized with the same group and its splits summed in the same blocks.
/// </summary>
public sealed class PathChunkInvarianceTests
{
    [Theory]
    [InlineData("transformer")]
    [InlineData("mlp")]
    public void Points_per_model_never_change_a_bit_of_a_path(string kind)
    {
        var o = kind == "mlp"
            ? EngineFixtures.Small("Model:Kind=mlp", "Data:Kind=teacherstudent", "Data:TrainSamples=300", "Data:TestSamples=200")
            : EngineFixtures.Small("Model:Norm=layernorm", "Data:Modulus=29");
        using var model = PopulationModelFactory.Create(3, o.Model, o.Data, CPU);
        model.Initialize([0, 1, 2], [1.0, 1.0, 1.0]);
        using var a = WeightVector.Of(model, 0, "a", 0);
        using var b = WeightVector.Of(model, 1, "b", 0);
        using var c = WeightVector.Of(model, 2, "c", 0);
        WeightPath[] paths = [WeightPath.Segment(a, b, "ab"), WeightPath.Polyline(a, c, b, "acb")];
        var grid = Enumerable.Range(0, 7).Select(i => i / 6.0).ToArray(); // 14 points: chunks of 3 and 4 straddle the paths

        var reference = Values(Setup(o, 1), paths, grid);
        reference.Should().OnlyContain(v => !double.IsNaN(BitConverter.Int64BitsToDouble(v)));
        foreach (int members in new[] { 3, 4, 14, 0 })
        {
            Values(Setup(o, members), paths, grid).Should().Equal(reference, $"{members} points per model");
        }
    }

    [Fact]
    public void The_measured_points_per_model_is_kept_per_setup_and_bounded()
    {
        var o = EngineFixtures.Small("Data:Modulus=19", "Model:DModel=16", "Model:DMlp=24");
        using var model = PopulationModelFactory.Create(2, o.Model, o.Data, CPU);
        model.Initialize([0, 1], [1.0, 1.0]);
        using var a = WeightVector.Of(model, 0, "a", 0);
        using var b = WeightVector.Of(model, 1, "b", 0);
        var setup = Setup(o, 0);
        var grid = Enumerable.Range(0, 40).Select(i => i / 39.0).ToArray();
        var points = PathEvaluator.Evaluate(setup, [WeightPath.Segment(a, b, "ab")], grid, gradNorm: false)[0].Points;

        points.Should().HaveCount(40);
        int? chosen = EvaluationLayout.Find(PathChunkLayout.Kind, PathChunkLayout.Key(setup, gradNorm: false));
        chosen.Should().NotBeNull("40 points settle the measurement (1 + 2 + 4 + 8 + 16 = 31 at most)");
        chosen!.Value.Should().BeInRange(1, PathChunkLayout.MaxMembers(CPU));
        EvaluationLayout.Describe().Should().Contain(PathChunkLayout.Kind);
    }

    private static LandscapeSetup Setup(GrokkingOptions o, int members) =>
        new(o.Model, o.Data, o.Train.BatchSize, WeightDecay: 0.001, LearningRate: 0.1, new LandscapeOptions { MaxMembers = members }, CPU);

    /// <summary>Every value of every point, as bits.</summary>
    private static List<long> Values(LandscapeSetup setup, WeightPath[] paths, double[] grid) =>
        PathEvaluator.Evaluate(setup, paths, grid, gradNorm: true)
            .SelectMany(e => e.Points)
            .SelectMany(p => new[] { p.TrainLoss, p.TrainLossL2, p.ValLoss, p.ValLossL2, p.TrainError, p.ValError, p.GradNorm, p.WeightNorm })
            .Select(BitConverter.DoubleToInt64Bits)
            .ToList();
}
