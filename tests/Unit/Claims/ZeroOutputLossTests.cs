using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;
using Grokking.Configuration;
using Grokking.Data;
using Grokking.Tests.Unit.Engine;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// The zero network's loss on vector targets (toy addition's 30-D templates): an output of zeros loses the mean over
/// examples of the mean squared target component, computed here straight from the data's targets. Before the output
/// was sized by the targets, it was sized by the label count (10) and the subtraction failed on the 30-D templates.
/// </summary>
public sealed class ZeroOutputLossTests
{
    private static GrokkingOptions Toy() => EngineFixtures.Small(
        "Data:Kind=toyaddition", "Data:Modulus=10", "Data:TemplateDimension=30", "Data:TrainSamples=45", "Model:Kind=toyaddition",
        "Model:Embedding=2", "Model:Hidden=16,16", "Model:Activation=leakyrelu", "Train:BatchSize=0");

    [Fact]
    public void On_template_targets_the_zero_output_loses_the_mean_squared_target_on_each_split()
    {
        var options = Toy();
        var member = new MemberSpec(0, 3, 1e-2, 0, 3.0, Messiness: 0.05);
        var claim = new ClaimDefinition { Id = "OG-14", Experiment = "og-toy-landscape", Seeds = [3], Paper = [] };
        var result = new TrainingResult
        {
            Members = [member], Metrics = [], Events = [], StepLosses = [], StepsPerEpoch = 1, StepsCompleted = 0, Interrupted = false,
        };
        var context = new ClaimContext(claim, result, "dir", Profile.Ci, EngineFixtures.TempDirectory(), options);

        var zero = ZeroOutputLoss.Of(context, member);

        using var scope = NewDisposeScope();
        using var data = PopulationDataFactory.Create(options.Data, [3], CPU, ScalarType.Float32, [member.TrainFraction], null, [0.05]);
        data.TrainY.shape[^1].Should().Be(30);
        double ByHand(Tensor targets) => targets.to_type(ScalarType.Float64).square().mean().item<double>();
        zero.Train.Should().BeApproximately(ByHand(data.TrainY), 1e-6);
        zero.Test.Should().BeApproximately(ByHand(data.ValY), 1e-6);
        zero.Train.Should().BeInRange(0.5, 1.5, "templates are N(0, 1) entries");
    }
}
