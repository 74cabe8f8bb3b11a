using Grokking.Configuration;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Training;

/// <summary>
/// Threads per lane are a layout, not a setting: a run trained on one intra-op thread and on two must compute the same
/// bits, or the thread count would have to be part of the run's cache key (a 2-core CI machine trains each run on one
/// thread; a larger machine gives each lane more). Checked on the three model families the claims train.
/// </summary>
[Collection(SingleThreadCollection.Name)]
public sealed class ThreadCountInvarianceTests
{
    public static TheoryData<string> Families => new()
    {
        "transformer",
        "mlp",
        "sweep",
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void A_run_on_two_threads_computes_the_bits_of_a_run_on_one(string family)
    {
        var options = Options(family);
        int before = get_num_threads();
        try
        {
            var one = Train(options, 1);
            var two = Train(options, 2);
            two.Metrics.Should().Equal(one.Metrics, "every metric row, to the bit");
            for (int m = 0; m < one.StepLosses.Count; m++)
            {
                two.StepLosses[m].Should().Equal(one.StepLosses[m], $"member {m}: every step's minibatch loss, to the bit");
            }
        }
        finally
        {
            set_num_threads(before);
        }
    }

    private static TrainingResult Train(GrokkingOptions options, int threads)
    {
        set_num_threads(threads);
        return new PopulationTrainer(options, PopulationSetup.Members(options), CPU).Run();
    }

    private static GrokkingOptions Options(string family) => family switch
    {
        "transformer" => EngineFixtures.Small(
            "Data:Modulus=47", "Model:DModel=64", "Model:DMlp=256", "Train:BatchSize=256", "Train:Steps=20", "Train:MetricsEvery=10",
            "Population:Seeds:0=0", "Population:Seeds:1=1"),
        "mlp" => EngineFixtures.Small(
            "Data:Kind=teacherstudent", "Data:TrainSamples=100", "Data:TestSamples=100", "Model:Kind=mlp", "Model:Hidden:0=100",
            "Model:Hidden:1=100", "Model:Activation=tanh", "Train:BatchSize=0", "Train:Steps=20", "Train:MetricsEvery=10",
            "Population:Seeds:0=0", "Population:Seeds:1=1"),
        _ => EngineFixtures.Small(
            "Data:Modulus=31", "Data:Format=eosequation", "Model:Layers=2", "Model:Norm=postlayernorm", "Train:BatchSize=0",
            "Train:Steps=20", "Train:MetricsEvery=10", "Population:Seeds:0=0", "Population:TrainFractions:0=0.3",
            "Population:TrainFractions:1=0.9"),
    };
}
