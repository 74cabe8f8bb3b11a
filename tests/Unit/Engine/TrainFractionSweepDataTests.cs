using Grokking.Data;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Engine;

/// <summary>A fraction sweep's data: one shape for all members, padding with weight 0, nested sets per seed.</summary>
public class TrainFractionSweepDataTests
{
    [Fact]
    public void Members_get_their_own_fraction_of_their_seeds_permutation_padded_to_one_shape()
    {
        var o = EngineFixtures.Small();
        int total = 23 * 23;
        int small = PopulationDataFactory.SplitSize(total, 0.3);
        int large = PopulationDataFactory.SplitSize(total, 0.6);
        using var data = PopulationDataFactory.Create(o.Data, [5, 5], CPU, ScalarType.Float32, [0.3, 0.6]);

        data.IsPadded.Should().BeTrue();
        data.TrainX.shape[1].Should().Be(large);
        data.ValX.shape[1].Should().Be(total - small);
        data.TrainSizes!.data<float>().ToArray().Should().Equal(small, large);
        data.ValSizes!.data<float>().ToArray().Should().Equal(total - small, total - large);
        // One seed, one permutation: the small set is the first rows of the large one.
        data.TrainX[0, ..small].allclose(data.TrainX[1, ..small], 0, 0).Should().BeTrue();

        // A member's train and validation rows (weight 1) are disjoint and cover every pair once.
        var seen = new HashSet<(long, long)>();
        for (int k = 0; k < 2; k++)
        {
            seen.Clear();
            foreach (var (x, w) in new[] { (data.TrainX[k], data.TrainWeights![k]), (data.ValX[k], data.ValWeights![k]) })
            {
                var rows = x.data<long>().ToArray();
                var weights = w.data<float>().ToArray();
                int width = (int)x.shape[1];
                for (int i = 0; i < weights.Length; i++)
                {
                    if (weights[i] > 0)
                    {
                        seen.Add((rows[i * width], rows[(i * width) + 1])).Should().BeTrue();
                    }
                }
            }

            seen.Should().HaveCount(total);
        }
    }

    [Fact]
    public void Equal_fractions_build_the_ordinary_unpadded_data()
    {
        var o = EngineFixtures.Small();
        using var swept = PopulationDataFactory.Create(o.Data, [5, 6], CPU, ScalarType.Float32, [0.4, 0.4]);
        using var plain = PopulationDataFactory.Create(o.Data, [5, 6], CPU);

        swept.IsPadded.Should().BeFalse();
        swept.TrainX.allclose(plain.TrainX, 0, 0).Should().BeTrue();
    }

    [Fact]
    public void Members_of_runs_cached_before_the_sweep_existed_read_back_without_a_fraction()
    {
        // members.json written before MemberSpec had TrainFraction: NaN (Data:TrainFraction), not 0.
        const string old = """[{"Index":0,"Seed":5,"LearningRate":0.1,"WeightDecay":0.001,"InitScale":1}]""";
        var members = System.Text.Json.JsonSerializer.Deserialize<List<Grokking.Training.MemberSpec>>(old, Grokking.Training.RunDirectory.Json)!;

        double.IsNaN(members[0].TrainFraction).Should().BeTrue();
        members[0].Label.Should().NotContain("fraction");
    }
}
