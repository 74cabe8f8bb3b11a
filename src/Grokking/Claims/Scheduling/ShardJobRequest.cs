using Grokking.Configuration;

namespace Grokking.Claims.Scheduling;

/// <summary>What a sharded job definition runs: <paramref name="Count"/> shards of the claims at the profile.</summary>
/// <param name="Claims">The --claims patterns every shard and the plan share; null or empty: every claim.</param>
/// <param name="Image">The container image a Kubernetes job runs: a build of this repository.</param>
public sealed record ShardJobRequest(int Count, Profile Profile, IReadOnlyList<string>? Claims, string Image)
{
    /// <summary>Builds the command once, for CUDA, before the shards start (so they never build side by side in one checkout).</summary>
    public const string Build = "dotnet build src/Grokking.Cli -c Release -p:TorchBackend=cuda";

    /// <summary>Runs the command <see cref="Build"/> built, without building.</summary>
    public const string Grokking = "dotnet run --no-build -c Release --project src/Grokking.Cli -p:TorchBackend=cuda --";

    /// <summary>The options every shard's verify repeats, so that all of them compute the same plan.</summary>
    public string Selection =>
        $"--profile {Profile.Name}" + (Claims is { Count: > 0 } c ? $" --claims \"{string.Join(',', c)}\"" : "");

    /// <summary>The shard command, its records folder given by <paramref name="records"/> (already quoted as the shell needs).</summary>
    public string ShardCommand(string records, string extra = "") =>
        $"{Grokking} verify {Selection} --shard auto/{Count} --records {records}{extra} --no-progress";

    /// <summary>The merge command over <paramref name="records"/>, judging against the committed baselines (exit 3 on a difference).</summary>
    public string MergeCommand(string grokking, string records, string extra = "") =>
        $"{grokking} report merge {records} --profile {Profile.Name}{extra} --fail-on-difference";

    /// <summary>The last 0-based shard index.</summary>
    public int LastIndex => Count - 1;
}
