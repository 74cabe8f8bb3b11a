using Grokking.Configuration;

namespace Grokking.Claims.Scheduling;

/// <summary>
/// Two Kubernetes Jobs on one volume (claim 'grokking-work', mounted at /work): 'grokking-shards', an Indexed Job of one
/// pod per shard (JOB_COMPLETION_INDEX is the index; one GPU each; records and run cache under /work per shard; an exit
/// of 1-3 — a claim that errored, a usage error, a --fail-on verdict — fails its index without retrying, while an
/// evicted or killed pod is retried and resumes from its records and checkpoints), and 'grokking-merge' (no GPU), which
/// waits for every shard's done marker and merges the records into /work/report.
/// </summary>
public static class KubernetesIndexedJob
{
    public static string Render(ShardJobRequest request) => $$"""
        # grokking verify --emit k8s-indexed-job --shards {{request.Count}} {{request.Selection}}
        # Image {{request.Image}}: this repository at /grokking, built by '{{ShardJobRequest.Build}}'.
        # Apply both documents at once: the merge Job waits for the {{request.Count}} shards' done markers, then judges the
        # records against baselines/{{request.Profile.Name}}.

        """ + Shards(request) + "---\n" + Merge(request);

    private static string Shards(ShardJobRequest request) => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: grokking-shards
        spec:
          completionMode: Indexed
          completions: {{request.Count}}
          parallelism: {{request.Count}}
          backoffLimitPerIndex: 3
          podFailurePolicy:
            rules:
              - action: FailIndex
                onExitCodes:
                  containerName: shard
                  operator: In
                  values: [1, 2, 3]
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: shard
                  image: {{request.Image}}
                  workingDir: /grokking
                  command: ["bash", "-c"]
                  args:
                    - |
                      {{ShardCommand(request)}}
                  resources:
                    limits:
                      nvidia.com/gpu: 1
        """ + "\n" + Volume;

    private static string Merge(ShardJobRequest request) => $$"""
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: grokking-merge
        spec:
          backoffLimit: 0
          activeDeadlineSeconds: 604800
          template:
            spec:
              restartPolicy: Never
              containers:
                - name: merge
                  image: {{request.Image}}
                  workingDir: /grokking
                  command: ["bash", "-c"]
                  args:
                    - |
                      {{WaitForShards(request.Count)}}
                      {{request.MergeCommand(ShardJobRequest.Grokking, "/work/records/shard-*", " --set Output:ReportDirectory=/work/report")}}
        """ + "\n" + Volume;

    /// <summary>A shard's verify: its records and its run cache in folders of its own on the volume.</summary>
    private static string ShardCommand(ShardJobRequest request) => request.ShardCommand(
        "\"/work/records/shard-$JOB_COMPLETION_INDEX\"", " --set \"Output:CacheDirectory=/work/cache/shard-$JOB_COMPLETION_INDEX\"");

    /// <summary>
    /// Waits until every shard has left its done marker ('$$(' is Kubernetes' escape of '$(': the shell, not the
    /// kubelet, substitutes the command).
    /// </summary>
    private static string WaitForShards(int count) =>
        $"until [ \"$$(ls /work/records/shard-*/shard-*-of-{count}.done 2>/dev/null | wc -l)\" -ge {count} ]; do sleep 60; done";

    /// <summary>The work volume, mounted by each Job's one container and declared in its pod.</summary>
    private const string Volume = """
                  volumeMounts:
                    - name: work
                      mountPath: /work
              volumes:
                - name: work
                  persistentVolumeClaim:
                    claimName: grokking-work

        """;
}
