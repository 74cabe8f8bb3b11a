namespace Grokking.Claims.Scheduling;

/// <summary>The schedulers 'grokking verify --emit' writes a sharded job for (the project never schedules work itself).</summary>
public enum ShardScheduler
{
    /// <summary>A GitHub Actions workflow: a matrix job over the shards on GPU runners, and a merge job.</summary>
    GithubMatrix,

    /// <summary>A SLURM job array over the shards, and a merge job that depends on it.</summary>
    SlurmArray,

    /// <summary>A Kubernetes Indexed Job over the shards, and a merge Job that waits for their done markers.</summary>
    K8sIndexedJob,
}
