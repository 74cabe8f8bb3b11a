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

    /// <summary>
    /// Trains in memory, or into <paramref name="runDirectory"/>: locked for the run (<see cref="RunLock"/>), resumed from
    /// its checkpoint when it has one, and refused when it was started with other settings (<see cref="RunConfiguration"/>),
    /// checked before any file is written or any model is built.
    /// </summary>
    public TrainingResult Run(string? runDirectory = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        if (runDirectory is null)
        {
            return Train(null, progress, cancel);
        }

        var run = new RunDirectory(runDirectory);
        using var runLock = RunLock.Acquire(run);
        RunConfiguration.Check(run, options);
        return Train(run, progress, cancel);
    }

    private TrainingResult Train(RunDirectory? run, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        using var session = new TrainingSession(options, members, device, run);

        // After the session has read a resumed run's state: a run that cannot resume keeps its files as they were.
        if (run is not null)
        {
            RunConfiguration.WriteIfStarting(run, options);
        }

        long completed = session.StepLoop(progress, cancel);
        return session.Finish(completed);
    }
}
