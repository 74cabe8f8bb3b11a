using Grokking.Claims.Scheduling;
using Grokking.Cli;

namespace Grokking.Tests.Unit.Cli;

/// <summary>
/// verify --shard / --emit and report merge as a user types them: help, one-line errors with exit 2 before anything
/// runs, and --emit printing the job definition and nothing else.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class ShardCliTests
{
    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Verify_help_shows_the_sharding_options()
    {
        var (code, stdout, _) = Run("verify", "--help");

        code.Should().Be(0);
        stdout.Should().Contain("--shard <i/n|auto/n>").And.Contain("--records <DIR>")
            .And.Contain("--emit <github-matrix|slurm-array|k8s-indexed-job>").And.Contain("--shards <n>");
    }

    [Fact]
    public void Report_is_a_command_with_a_merge_subcommand()
    {
        Run("--help").Stdout.Should().MatchRegex("(?m)^  report ");
        var (code, stdout, _) = Run("report", "merge", "--help");

        code.Should().Be(0);
        stdout.Should().Contain("grokking report merge <DIR>... [options]").And.Contain("--fail-on <refuted,inconclusive>").And.Contain("--fail-on-difference");
    }

    [Theory]
    [InlineData("verify --records out", "Invalid value for '--records': it is where --shard writes its records; add --shard")]
    [InlineData("verify --emit slurm-array", "Invalid value for '--emit': say how many shards with --shards n")]
    [InlineData("verify --shards 3", "Invalid value for '--shards': it goes with --emit")]
    [InlineData("verify --emit slurm-array --shards 0", "Invalid value for '--shards': '0'; allowed: an integer >= 1")]
    [InlineData("verify --emit pbs --shards 2", "Invalid value for '--emit': 'pbs'; allowed: github-matrix, slurm-array, k8s-indexed-job")]
    [InlineData("verify --shard 1/3 --plan", "Invalid value for '--shard': it verifies one shard's claims, --plan does something else; use one")]
    [InlineData("verify --shard 1/3 --emit github-matrix --shards 3", "--emit does something else")]
    [InlineData("verify --emit github-matrix --shards 2 --fail-on refuted", "so --fail-on does not apply")]
    [InlineData("verify --shard 4/3", "Invalid value for '--shard': '4/3': the shard index must be a whole number from 1 to 3")]
    [InlineData("verify --shard three", "Invalid value for '--shard': 'three' is not i/n with 1 <= i <= n")]
    [InlineData("report", "Required command was not provided")]
    [InlineData("report merge", "Required argument 'DIR' missing for command: 'merge'")]
    public void A_bad_sharding_command_line_exits_2_with_one_line(string line, string message)
    {
        var (code, stdout, stderr) = Run(line.Split(' '));

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("error: ").And.Contain(message);
        stderr.TrimEnd().Should().NotContain("\n");
    }

    [Fact]
    public void Auto_without_a_scheduler_index_exits_2_naming_the_variables()
    {
        using var clean = new Variables(("GROKKING_SHARD_INDEX", null), ("SLURM_ARRAY_TASK_ID", null), ("JOB_COMPLETION_INDEX", null));

        var (code, _, stderr) = Run("verify", "--shard", "auto/3", "--profile", "smoke");

        code.Should().Be(2);
        stderr.Trim().Should().Be(
            "error: --shard auto/3 takes the 0-based shard index from the environment, but none of GROKKING_SHARD_INDEX, SLURM_ARRAY_TASK_ID, "
            + "JOB_COMPLETION_INDEX is set");
    }

    [Fact]
    public void An_index_past_the_shard_count_exits_2_naming_its_variable()
    {
        using var index = new Variables(("GROKKING_SHARD_INDEX", null), ("SLURM_ARRAY_TASK_ID", null), ("JOB_COMPLETION_INDEX", "3"));

        var (code, _, stderr) = Run("verify", "--shard", "auto/3", "--profile", "smoke");

        code.Should().Be(2);
        stderr.Trim().Should().Be(
            "error: Invalid value for environment variable JOB_COMPLETION_INDEX: '3' is not a 0-based index below the 3 shard(s) of --shard auto/3");
    }

    [Theory]
    [InlineData("github-matrix", "name: grokking-shards")]
    [InlineData("slurm-array", "#!/usr/bin/env bash")]
    [InlineData("k8s-indexed-job", "apiVersion: batch/v1")]
    public void Emit_prints_the_job_definition_and_nothing_else(string scheduler, string expected)
    {
        var (code, stdout, stderr) = Run("verify", "--emit", scheduler, "--shards", "4", "--profile", "paper", "--claims", "OG-*");

        code.Should().Be(0);
        stderr.Should().BeEmpty();
        stdout.Should().Contain(expected).And.Contain("--shard auto/4").And.Contain("--claims \"OG-*\"").And.Contain("--profile paper");
        ShardJobs.TryParse(scheduler, out var parsed).Should().BeTrue();
        var request = new ShardJobRequest(4, Grokking.Configuration.Profile.Paper, ["OG-*"], "grokking-claims:TAG");

        // The image is tagged with the checkout's commit (12 hex digits), "latest" outside a repository.
        System.Text.RegularExpressions.Regex.Replace(stdout, "grokking-claims:([0-9a-f]{12}|latest)", "grokking-claims:TAG")
            .Should().Be(ShardJobs.Emit(parsed, request), "the command prints the library's definition");
    }

    [Fact]
    public void Emit_checks_the_selection_before_printing_anything()
    {
        var (code, stdout, stderr) = Run("verify", "--emit", "slurm-array", "--shards", "2", "--claims", "XY-*");

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().Contain("no claim matches 'XY-*'");
    }

    [Fact]
    public void A_claim_that_errors_gets_a_record_that_a_rerun_verifies_again_and_the_merge_reports_as_error()
    {
        string images = Claims.ImageCheckout.GarbageImages();
        using var checkout = new Claims.ImageCheckout(images);
        string records = Path.Combine(checkout.Root, "records");

        var first = Run("verify", "--profile", "smoke", "--no-progress", "--shard", "1/1", "--records", records);
        var again = Run("verify", "--profile", "smoke", "--no-progress", "--shard", "1/1", "--records", records);
        var merged = Run("report", "merge", records, "--profile", "smoke");

        first.Code.Should().Be(1, first.Stdout + first.Stderr);
        first.Stderr.Should().StartWith("error in OG-1: InvalidDataException: ");
        again.Stdout.Should().Contain("verifying OG-1 ").And.Contain("records: 1 written, 0 kept").And.NotContain("kept the records");
        var record = Grokking.Report.ResultRecordFile.Read(Directory.GetFiles(records, "OG-1.*.json").Single());
        record.Outcome.Verdict.Should().Be(Grokking.Claims.Contracts.Verdict.Error);
        record.Provenance.Dirty.Should().BeNull("the checkout is no git repository");
        merged.Code.Should().Be(1);
        merged.Stdout.Should().Contain("0 CONFIRMED / 0 REFUTED / 0 INCONCLUSIVE / 1 ERROR / 0 DATA MISSING");
        merged.Stderr.Should().StartWith("error in OG-1: InvalidDataException: ");
    }

    /// <summary>Sets environment variables for a test, restoring them afterwards.</summary>
    private sealed class Variables : IDisposable
    {
        private readonly List<(string Name, string? Value)> saved = [];

        public Variables(params (string Name, string? Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                saved.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, value) in saved)
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
