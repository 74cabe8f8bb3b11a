using Grokking.Configuration;
using Grokking.Training;

namespace Grokking.Claims;

/// <summary>A finished run of an experiment, trained now or served from the cache.</summary>
public sealed record CachedRun(
    string Experiment,
    string Key,
    string Directory,
    GrokkingOptions Options,
    TrainingResult Result,
    bool FromCache,
    double TrainSeconds)
{
    /// <summary>The damaged cache entry this run replaced (moved aside, then trained afresh); empty when none was.</summary>
    public IReadOnlyList<CacheRecovery> Recovered { get; init; } = [];
}
