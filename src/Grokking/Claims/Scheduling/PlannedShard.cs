namespace Grokking.Claims.Scheduling;

/// <summary>One shard of a <see cref="ShardPlan"/>: 1-based <paramref name="Index"/> of <paramref name="Count"/>.</summary>
/// <param name="Groups">The experiment groups it holds, in the order the plan gave them to it (longest first).</param>
/// <param name="Claims">Its claims, in catalog order.</param>
public sealed record PlannedShard(int Index, int Count, IReadOnlyList<ExperimentGroup> Groups, IReadOnlyList<string> Claims)
{
    /// <summary>Its committed cost in seconds (<see cref="ExperimentGroup.Seconds"/> summed).</summary>
    public double Seconds => Groups.Sum(g => g.Seconds);

    /// <summary>Its experiments, group by group.</summary>
    public IReadOnlyList<string> Experiments => [.. Groups.SelectMany(g => g.Experiments)];

    public string Name => $"{Index}/{Count}";
}
