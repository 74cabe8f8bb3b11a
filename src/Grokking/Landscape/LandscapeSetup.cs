using Grokking.Configuration;
using Grokking.Training;
using static TorchSharp.torch;

namespace Grokking.Landscape;

/// <summary>
/// What evaluating or fitting a path needs from the run it comes from: the architecture and data, the minibatch
/// size (of the stochastic gradient norm and of a fit), the weight decay of the L2 term, the learning rate a fit
/// uses by default, the landscape options, and the device.
/// </summary>
public sealed record LandscapeSetup(ModelOptions Model, DataOptions Data, int BatchSize, double WeightDecay, double LearningRate, LandscapeOptions Options, Device Device)
{
    /// <summary>The setup of one member of a run (its weight decay and learning rate).</summary>
    public static LandscapeSetup Of(GrokkingOptions options, MemberSpec member, Device device) =>
        new(options.Model, options.Data, options.Train.BatchSize, member.WeightDecay, member.LearningRate, options.Landscape, device);

    /// <summary>Path points per population model: Landscape:MaxMembers, or the device's default when it is 0.</summary>
    public int MembersPerChunk => Options.MaxMembers > 0 ? Options.MaxMembers : Device.type == TorchSharp.DeviceType.CUDA ? 128 : 4;

    public double FitLearningRate => Options.FitLearningRate > 0 ? Options.FitLearningRate : LearningRate;
}
