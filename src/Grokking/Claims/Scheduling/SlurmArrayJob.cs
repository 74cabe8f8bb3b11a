using Grokking.Configuration;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// A SLURM submission script, run from the repository's root on a shared file system: one job array over the 0-based
/// shard indices (one GPU each; SLURM_ARRAY_TASK_ID is the index, each writing records/shard-&lt;index&gt;), and the merge
/// job (no GPU) submitted to start after every task of the array has ended, whatever their exit.
/// </summary>
public static class SlurmArrayJob
{
    public static string Render(ShardJobRequest request)
    {
        string profile = request.Profile.Name;
        string shard = request.ShardCommand("\"records/shard-$SLURM_ARRAY_TASK_ID\"");
        return $$"""
            #!/usr/bin/env bash
            # grokking verify --emit slurm-array --shards {{request.Count}} {{request.Selection}}
            # Run on a login node from the repository's root (a shared file system): it builds the command once, submits the
            # {{request.Count}} shards as one job array, then the merge (no GPU), which starts when every shard has ended and judges
            # the records against baselines/{{profile}}.
            set -euo pipefail
            mkdir -p records
            {{ShardJobRequest.Build}}
            array=$(sbatch --parsable --job-name=grokking-shard --array=0-{{request.LastIndex}} --gres=gpu:1 --time=12:00:00 \
              --output=records/shard-%a.log \
              --wrap='{{shard}}')
            sbatch --parsable --job-name=grokking-merge --dependency="afterany:${array}" --time=1:00:00 \
              --output=records/merge.log \
              --wrap='{{request.MergeCommand(ShardJobRequest.Grokking, "records/shard-*")}}'

            """;
    }
}
