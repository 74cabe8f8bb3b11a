namespace Grokking.Training;

/// <summary>Everything a finished (or interrupted) run produced, in memory.</summary>
public sealed class TrainingResult
{
    public required IReadOnlyList<MemberSpec> Members { get; init; }

    public required IReadOnlyList<MetricRow> Metrics { get; init; }

    public required IReadOnlyList<MemberEvents> Events { get; init; }

    /// <summary>Per member, the minibatch training loss of every optimizer step (for spectral analyses).</summary>
    public required IReadOnlyList<float[]> StepLosses { get; init; }

    /// <summary>Per member, the output layer's weight norm after every step (Train:StepTraces; empty otherwise).</summary>
    public IReadOnlyList<float[]> StepOutputNorms { get; init; } = [];

    /// <summary>Per member, 1 - cos(theta before, theta after) of every step (Train:StepTraces; empty otherwise).</summary>
    public IReadOnlyList<float[]> StepCosineDistances { get; init; } = [];

    public required long StepsPerEpoch { get; init; }

    public required long StepsCompleted { get; init; }

    /// <summary>The step this session started from: 0, or a resumed run's checkpoint (run files do not keep it).</summary>
    public long ResumedFrom { get; init; }

    public required bool Interrupted { get; init; }

    /// <summary>
    /// Members stepped together in training (<see cref="MemberChunkLayout"/>); 0 for a run read from files. Results do
    /// not depend on it.
    /// </summary>
    public int MembersPerChunk { get; init; }

    public double EpochOf(long step) => (double)step / StepsPerEpoch;

    public IEnumerable<MetricRow> MetricsOf(int member) => Metrics.Where(m => m.Member == member);
}
