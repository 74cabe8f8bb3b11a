using Grokking.Configuration;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// What evaluating or fitting a path needs from the run it comes from: the architecture and data, the minibatch
/// size (of the stochastic gradient norm and of a fit), the weight decay of the L2 term, the learning rate a fit
/// uses by default, the landscape options, and the device.
/// </summary>
public sealed record LandscapeSetup(
    ModelOptions Model, DataOptions Data, int BatchSize, double WeightDecay, double LearningRate, LandscapeOptions Options, Device Device)
{
    /// <summary>The setup of one member of a run (its weight decay, learning rate and, in a fraction sweep, its train fraction).</summary>
    public static LandscapeSetup Of(GrokkingOptions options, MemberSpec member, Device device) =>
        new(
            options.Model,
            double.IsNaN(member.TrainFraction) ? options.Data : WithFraction(options.Data, member.TrainFraction),
            options.Train.BatchSize,
            member.WeightDecay,
            member.LearningRate,
            options.Landscape,
            device);

    // The member's split is its seed's permutation cut at its own fraction, so rebuilding the data at that fraction
    // gives exactly the rows it trained on.
    private static DataOptions WithFraction(DataOptions data, double fraction)
    {
        var copy = System.Text.Json.JsonSerializer.Deserialize<DataOptions>(System.Text.Json.JsonSerializer.Serialize(data))!;
        copy.TrainFraction = fraction;
        return copy;
    }

    /// <summary>Path points per population model when Landscape:MaxMembers fixes it; null: measured (<see cref="PathChunkLayout"/>).</summary>
    public int? FixedMembersPerChunk => Options.MaxMembers > 0 ? Options.MaxMembers : null;

    /// <summary>
    /// The points per model of the engine before measured layouts (4 on a CPU, 128 on a GPU), which still fixes the
    /// numerics: points are materialized in groups of this many and a split is summed in blocks of
    /// <see cref="PopulationEvaluator.SumRows"/> of it, so every layout gives a point the same bits.
    /// </summary>
    public int NumericsMembers => Device.type == TorchSharp.DeviceType.CUDA ? 128 : 4;

    public double FitLearningRate => Options.FitLearningRate > 0 ? Options.FitLearningRate : LearningRate;
}
