using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// What a sharded GitHub workflow must wire (nightly.yml, and what 'verify --emit github-matrix' prints): a matrix job over
/// the 0-based shard indices on GPU runners, each verifying 'auto/n' with the index in GROKKING_SHARD_INDEX and uploading
/// its records under a name of its own, and a merge job without a GPU that needs it, runs whatever the shards did,
/// downloads every shard's artifact into one folder, merges that folder judging against the baselines, and writes the job
/// summary and the report.
/// </summary>
internal static class WorkflowWiring
{
    /// <summary>Checks the wiring and returns the shard count and the profile both jobs run.</summary>
    public static (int Shards, string Profile) Check(YamlMappingNode workflow)
    {
        var jobs = workflow.Map("jobs");
        jobs.Keys().Should().HaveCount(2, "a shard job and a merge job");
        string shardName = jobs.Keys().Single(k => jobs.Find(k, "strategy", "matrix") is not null);
        var shard = jobs.Map(shardName);
        var merge = jobs.Map(jobs.Keys().Single(k => k != shardName));

        shard.Texts("runs-on").Should().Equal("self-hosted", "linux", "gpu");
        shard.Text("strategy", "fail-fast").Should().Be("false", "one failing shard must not cancel the others");
        var indices = shard.Texts("strategy", "matrix", "index");
        int count = indices.Count;
        indices.Should().Equal(Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        shard.Text("env", "GROKKING_SHARD_INDEX").Should().Be("${{ matrix.index }}");
        var verify = Step(shard, s => s.Text("run")?.Contains(" verify ", StringComparison.Ordinal) == true).Text("run")!;
        verify.Should().Contain($"--shard auto/{count} ").And.Contain("--no-progress");
        string records = Regex.Match(verify, "--records (\\S+)").Groups[1].Value;
        records.Should().NotBeEmpty();
        var upload = Step(shard, s => s.Text("uses")?.StartsWith("actions/upload-artifact", StringComparison.Ordinal) == true);
        upload.Text("if").Should().Be("always()");
        upload.Text("with", "path")!.TrimEnd('/').Should().Be(records);
        string artifact = upload.Text("with", "name")!;
        artifact.Should().Contain("${{ matrix.index }}", "each shard uploads under a name of its own");

        CheckMerge(merge, shardName, artifact);
        string profile = ProfileOf(shard, verify);
        ProfileOf(merge, Step(merge, s => s.Text("run")?.Contains("report merge", StringComparison.Ordinal) == true).Text("run")!)
            .Should().Be(profile, "the merge judges the profile the shards ran");
        return (count, profile);
    }

    private static void CheckMerge(YamlMappingNode merge, string shardName, string artifact)
    {
        merge.Texts("needs").Should().Contain(shardName);
        merge.Text("if").Should().Be("always()", "the merge reports even when a shard failed");
        merge.Texts("runs-on").Should().NotContain("gpu");
        var steps = merge.Seq("steps").Children.OfType<YamlMappingNode>().ToList();
        int download = steps.FindIndex(s => s.Text("uses")?.StartsWith("actions/download-artifact", StringComparison.Ordinal) == true);
        download.Should().BeGreaterThanOrEqualTo(0);
        string pattern = steps[download].Text("with", "pattern")!;
        string folder = steps[download].Text("with", "path")!;
        for (int i = 0; i < 3; i++)
        {
            string name = artifact.Replace("${{ matrix.index }}", i.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            Regex.IsMatch(name, "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal) + "$").Should().BeTrue($"{pattern} downloads {name}");
        }

        int merging = steps.FindIndex(s => s.Text("run")?.Contains($"report merge {folder}", StringComparison.Ordinal) == true);
        merging.Should().BeGreaterThan(download, "the merge reads the folder the artifacts were downloaded into");
        steps[merging].Text("run").Should().Contain("--fail-on-difference");
        int summary = steps.FindIndex(s => s.Text("run")?.Contains("report/report.md >> \"$GITHUB_STEP_SUMMARY\"", StringComparison.Ordinal) == true);
        summary.Should().BeGreaterThan(merging);
        steps[summary].Text("if").Should().Be("always()");
        steps.Where(s => s.Text("uses")?.StartsWith("actions/upload-artifact", StringComparison.Ordinal) == true)
            .Select(s => s.Text("with", "path") ?? "").Should().Contain(p => p.Contains("report/", StringComparison.Ordinal));
    }

    private static YamlMappingNode Step(YamlMappingNode job, Func<YamlMappingNode, bool> match) =>
        job.Seq("steps").Children.OfType<YamlMappingNode>().Single(match);

    /// <summary>The profile a job's command runs: --profile in the command, else GROKKING__Profile in the job's environment.</summary>
    private static string ProfileOf(YamlMappingNode job, string command) =>
        Regex.Match(command, "--profile (\\S+)") is { Success: true } m ? m.Groups[1].Value : job.Text("env", "GROKKING__Profile") ?? "ci";
}
