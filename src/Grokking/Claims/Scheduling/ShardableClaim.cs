namespace Grokking.Claims.Scheduling;

/// <summary>A claim as the shard plan sees it: the experiments it reads and whether its analysis trains them.</summary>
/// <param name="Experiments">Its experiment and companions: a shard must hold all of them.</param>
/// <param name="Trains">False for analyses that build their own models: their experiments cost nothing to train.</param>
public sealed record ShardableClaim(string Id, IReadOnlyList<string> Experiments, bool Trains);
