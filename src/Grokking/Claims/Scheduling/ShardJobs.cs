namespace Grokking.Claims.Scheduling;

/// <summary>
/// The job definitions 'grokking verify --emit SCHEDULER --shards n' prints: n shards, each running
/// 'verify --shard auto/n' with its 0-based index from the scheduler (<see cref="ShardSpec.IndexVariables"/>) and
/// writing its records into a folder of its own, then one merge step without a GPU, 'report merge' over all of them.
/// </summary>
public static class ShardJobs
{
    /// <summary>The names --emit takes, in the order of <see cref="ShardScheduler"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["github-matrix", "slurm-array", "k8s-indexed-job"];

    public static bool TryParse(string name, out ShardScheduler scheduler)
    {
        int index = Names.ToList().IndexOf(name.ToLowerInvariant());
        scheduler = (ShardScheduler)Math.Max(0, index);
        return index >= 0;
    }

    public static string Emit(ShardScheduler scheduler, ShardJobRequest request)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Count, 1);
        return scheduler switch
        {
            ShardScheduler.GithubMatrix => GitHubMatrixJob.Render(request),
            ShardScheduler.SlurmArray => SlurmArrayJob.Render(request),
            ShardScheduler.K8sIndexedJob => KubernetesIndexedJob.Render(request),
            _ => throw new ArgumentOutOfRangeException(nameof(scheduler)),
        };
    }

    /// <summary>The 0-based indices of the shards, as a YAML flow list: [0, 1, 2].</summary>
    public static string IndexList(int count) => "[" + string.Join(", ", Enumerable.Range(0, count)) + "]";
}
