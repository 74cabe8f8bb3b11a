namespace Grokking.Claims.Scheduling;

/// <summary>
/// The unit a shard holds: experiments joined by the claims that read them (a claim reading two experiments pins both
/// to one shard, so no run is trained twice and no claim waits for another shard's run), with those claims.
/// </summary>
/// <param name="Claims">Its claims, in catalog order.</param>
/// <param name="Experiments">Its experiments, in the order its claims name them.</param>
/// <param name="Seconds">Its committed cost: the training seconds of the experiments its claims train and their analysis seconds.</param>
/// <param name="Unknown">Experiments and claims whose cost is neither recorded nor projected (counted as 0).</param>
/// <param name="First">The catalog place of its first claim: ties between groups of equal cost go by it.</param>
public sealed record ExperimentGroup(
    IReadOnlyList<string> Claims, IReadOnlyList<string> Experiments, double Seconds, IReadOnlyList<string> Unknown, int First);
