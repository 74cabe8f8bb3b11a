namespace Grokking.Report;

/// <summary>Where and how a <see cref="ResultRecord"/> was made.</summary>
/// <param name="GitCommit">The checked-out commit ("unknown" outside a repository).</param>
/// <param name="Dirty">Whether the working tree had changes (tracked or untracked, not ignored); null when git could not say.</param>
/// <param name="DiffSha256">
/// The SHA-256 of 'git diff HEAD --binary' (null when git could not say): two dirty records with the same digest ran the same changes.
/// </param>
/// <param name="Engine">The engine version (Training.EngineVersion), which keys the run cache.</param>
/// <param name="DType">The precision(s) of the experiments it read (float32, float64).</param>
/// <param name="Threads">Torch threads per run.</param>
/// <param name="Shard">The shard that made it, "i/n".</param>
/// <param name="Started">When that shard's verify started.</param>
/// <param name="Written">When the record was written.</param>
public sealed record RecordProvenance(
    string GitCommit,
    bool? Dirty,
    string? DiffSha256,
    string Engine,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Device,
    string DType,
    int Threads,
    int ParallelRuns,
    string Machine,
    string LibStdCxxShim,
    string Shard,
    DateTimeOffset Started,
    DateTimeOffset Written);
