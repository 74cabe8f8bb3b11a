using System.Globalization;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// The job definitions 'verify --emit' prints: n shards numbered from 0 as the scheduler numbers them, each verifying
/// 'auto/n' into a records folder of its own, and one merge step over all of them that needs no GPU.
/// </summary>
public class ShardJobsTests
{
    private static readonly ShardJobRequest Request = new(3, Profile.Paper, ["MC-*", "PB-1"], "grokking-claims:0123456789ab");

    [Fact]
    public void The_slurm_script_builds_once_submits_an_array_of_n_and_a_merge_after_it()
    {
        var lines = ShardJobs.Emit(ShardScheduler.SlurmArray, Request).Split('\n');

        lines[0].Should().Be("#!/usr/bin/env bash");
        int build = Array.FindIndex(lines, l => l == ShardJobRequest.Build);
        int array = Array.FindIndex(lines, l => l.StartsWith("array=$(sbatch --parsable ", StringComparison.Ordinal));
        int merge = Array.FindIndex(lines, l => l.StartsWith("sbatch --parsable --job-name=grokking-merge", StringComparison.Ordinal));
        build.Should().BePositive().And.BeLessThan(array);
        merge.Should().BeGreaterThan(array);
        lines[array].Should().Contain("--array=0-2 ").And.Contain("--gres=gpu:1");
        string shard = string.Join('\n', lines[array..merge]);
        shard.Should().Contain("--wrap='dotnet run --no-build ").And.Contain(
            "verify --profile paper --claims \"MC-*,PB-1\" --shard auto/3 --records \"records/shard-$SLURM_ARRAY_TASK_ID\" --no-progress'");
        string merging = string.Join('\n', lines[merge..]);
        merging.Should().Contain("--dependency=\"afterany:${array}\"").And.NotContain("gres")
            .And.Contain("report merge records/shard-* --profile paper --fail-on-difference'");
    }

    [Fact]
    public void The_kubernetes_definition_is_an_indexed_job_of_n_and_a_merge_job_waiting_for_their_markers()
    {
        var documents = Yaml.Documents(ShardJobs.Emit(ShardScheduler.K8sIndexedJob, Request));

        documents.Should().HaveCount(2);
        var (shards, merge) = (documents[0], documents[1]);
        shards.Text("kind").Should().Be("Job");
        shards.Text("spec", "completionMode").Should().Be("Indexed");
        shards.Text("spec", "completions").Should().Be("3");
        shards.Text("spec", "parallelism").Should().Be("3");
        var container = (YamlDotNet.RepresentationModel.YamlMappingNode)shards.Seq("spec", "template", "spec", "containers").Children.Single();
        container.Text("image").Should().Be("grokking-claims:0123456789ab");
        container.Text("resources", "limits", "nvidia.com/gpu").Should().Be("1");
        string command = container.Texts("args").Single();
        command.Should().Contain("verify --profile paper --claims \"MC-*,PB-1\" --shard auto/3 --records \"/work/records/shard-$JOB_COMPLETION_INDEX\"")
            .And.Contain("Output:CacheDirectory=/work/cache/shard-$JOB_COMPLETION_INDEX");
        shards.Seq("spec", "podFailurePolicy", "rules").Children.Should().ContainSingle();

        merge.Text("kind").Should().Be("Job");
        var merger = (YamlDotNet.RepresentationModel.YamlMappingNode)merge.Seq("spec", "template", "spec", "containers").Children.Single();
        merger.Find("resources").Should().BeNull("the merge needs no GPU");
        var script = merger.Texts("args").Single().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        script[0].Should().Be("until [ \"$$(ls /work/records/shard-*/shard-*-of-3.done 2>/dev/null | wc -l)\" -ge 3 ]; do sleep 60; done");
        script[1].Should().Contain("report merge /work/records/shard-* --profile paper --set Output:ReportDirectory=/work/report --fail-on-difference");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void Every_definition_numbers_its_shards_from_0_to_n_minus_1(int count)
    {
        var request = Request with { Count = count };
        string last = (count - 1).ToString(CultureInfo.InvariantCulture);

        Yaml.Documents(ShardJobs.Emit(ShardScheduler.GithubMatrix, request)).Single().Texts("jobs", "shards", "strategy", "matrix", "index")
            .Should().Equal(Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        ShardJobs.Emit(ShardScheduler.SlurmArray, request).Should().Contain($"--array=0-{last} ").And.Contain($"--shard auto/{count} ");
        Yaml.Documents(ShardJobs.Emit(ShardScheduler.K8sIndexedJob, request))[0].Text("spec", "completions").Should().Be(count.ToString(CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("github-matrix", ShardScheduler.GithubMatrix)]
    [InlineData("slurm-array", ShardScheduler.SlurmArray)]
    [InlineData("K8S-Indexed-Job", ShardScheduler.K8sIndexedJob)]
    public void The_schedulers_have_their_command_line_names(string name, ShardScheduler scheduler)
    {
        ShardJobs.TryParse(name, out var parsed).Should().BeTrue();
        parsed.Should().Be(scheduler);
        ShardJobs.TryParse("pbs", out _).Should().BeFalse();
    }
}
