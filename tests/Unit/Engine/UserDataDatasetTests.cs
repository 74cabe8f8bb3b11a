using Grokking.Configuration;
using Grokking.Data;
using Grokking.Runtime;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>The population data of the user-brought data sets: each member's reviews or molecules, split and shaped as the models read them.</summary>
public class UserDataDatasetTests
{
    internal static string Reviews()
    {
        string dir = EngineFixtures.TempDirectory();
        var rows = Enumerable.Range(0, 20).Select(i => i % 2 == 0 ? $"great film number {i},positive" : $"awful dull film {i},negative");
        File.WriteAllText(Path.Combine(dir, ImdbReviews.CsvName), string.Join("\n", ["review,sentiment", .. rows, ""]));
        return dir;
    }

    [Fact]
    public void Each_member_draws_its_reviews_and_holds_back_a_stratified_test_set_as_token_rows()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        var options = new DataOptions
        {
            Kind = DatasetKind.Reviews, ReviewsDirectory = Reviews(), TrainSamples = 12, TestSamples = 4, Vocabulary = 5, SequenceLength = 6,
        };

        using var data = PopulationDataFactory.Create(options, [0, 1], CPU);

        data.TrainX.shape.Should().Equal(2, 12, 6);
        data.ValX.shape.Should().Equal(2, 4, 6);
        data.TrainX.dtype.Should().Be(ScalarType.Int64);
        data.TrainX.max().item<long>().Should().BeLessThanOrEqualTo(5, "tokens are 0 (padding) and 1..Vocabulary");
        data.ValY.sum(1).data<long>().ToArray().Should().Equal(2, 2); // stratified: half of each test set positive
        data.Classes.Should().Be(2);
        data.TrainX[0].data<long>().ToArray().Should().NotEqual(data.TrainX[1].data<long>().ToArray(), "each seed draws its own reviews");
    }

    [Fact]
    public void Molecules_are_the_first_characterized_ones_split_per_member_with_alpha_as_the_target()
    {
        TorchRuntime.Initialize(DeviceChoice.Cpu);
        var options = new DataOptions { Kind = DatasetKind.Molecules, MoleculesDirectory = Qm9MoleculesTests.Qm9Directory(), TrainSamples = 2, TestSamples = 2 };
        var molecules = Qm9Molecules.Read(options.MoleculesDirectory, 4);

        using var data = PopulationDataFactory.Create(options, [0, 1, 2], CPU);

        data.Task.Should().Be(TaskKind.Regression);
        data.TrainX.shape.Should().Equal(3, 2, 5, MoleculeGraphs.Width(5)); // padded to the largest of the four (5 atoms)
        for (int k = 0; k < 3; k++)
        {
            var alphas = data.TrainY[k].reshape(-1).data<float>().Concat(data.ValY[k].reshape(-1).data<float>()).Order();
            alphas.Should().Equal(molecules.Select(m => (float)m.Alpha).Order(), "every member splits the same four molecules");
        }
    }
}
