using Grokking.Configuration;
using static TorchSharp.torch;

namespace Grokking.Training;

/// <summary>
/// Trains a population in lockstep. Each member has its own seed (initialization, split, minibatch order) and
/// hyperparameters; the step is one batched computation. The device is synchronised only at metric steps
/// (every Train:MetricsEvery steps; 8 = one MC epoch by default), where metrics, events, the per-step minibatch
/// losses accumulated on the device, and checkpoints are handled.
/// </summary>
public sealed class PopulationTrainer
{
    private readonly GrokkingOptions options;
    private readonly IReadOnlyList<MemberSpec> members;
    private readonly Device device;

    public PopulationTrainer(GrokkingOptions options, IReadOnlyList<MemberSpec> members, Device device)
    {
        PopulationSetup.Validate(options);
        this.options = options;
        this.members = members;
        this.device = device;
    }

    public TrainingResult Run(string? runDirectory = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var run = runDirectory is null ? null : new RunDirectory(runDirectory);
        using var session = new TrainingSession(options, members, device, run);

        // After the session has read a resumed run's state: a run that cannot resume keeps its files as they were.
        run?.WriteConfiguration(options);
        long completed = session.StepLoop(progress, cancel);
        return session.Finish(completed);
    }
}
