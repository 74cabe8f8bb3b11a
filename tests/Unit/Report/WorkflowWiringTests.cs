using Grokking.Claims;
using Grokking.Claims.Scheduling;
using Grokking.Configuration;

namespace Grokking.Tests.Unit.Report;

/// <summary>nightly.yml, read as YAML: a matrix of paper shards on GPU runners and a merge job wired to their records.</summary>
public class WorkflowWiringTests
{
    private static string Workflow(string name) => File.ReadAllText(Path.Combine(RepositoryLocator.Find(), ".github", "workflows", name));

    [Fact]
    public void The_nightly_trains_paper_shards_on_gpu_runners_and_merges_their_records_without_one()
    {
        var nightly = Yaml.Documents(Workflow("nightly.yml")).Single();

        var (shards, profile) = WorkflowWiring.Check(nightly);

        shards.Should().BeGreaterThan(1);
        profile.Should().Be("paper");
        nightly.Text("jobs", "shards", "env", "GROKKING__Runtime__Device").Should().Be("cuda");
        nightly.Map("jobs", "shards").Seq("steps").Children.Should().Contain(s => s.Text("run") == ShardJobRequest.Build);
        nightly.Texts("jobs", "shards", "name").Single().Should().Be($"shard ${{{{ matrix.index }}}} of {shards}");
        nightly.Find("on", "schedule").Should().NotBeNull();
    }

    [Fact]
    public void The_emitted_github_matrix_has_the_nightlys_wiring()
    {
        string emitted = ShardJobs.Emit(ShardScheduler.GithubMatrix, new ShardJobRequest(5, Profile.Ci, ["MC-*"], "unused"));

        var (shards, profile) = WorkflowWiring.Check(Yaml.Documents(emitted).Single());

        shards.Should().Be(5);
        profile.Should().Be("ci");
        emitted.Should().Contain("verify --profile ci --claims \"MC-*\" --shard auto/5 --records records --no-progress");
    }

    [Fact]
    public void The_wiring_check_fails_when_the_merge_reads_another_folder_than_the_download()
    {
        string broken = Workflow("nightly.yml").Replace("report merge records", "report merge elsewhere", StringComparison.Ordinal);

        var act = () => WorkflowWiring.Check(Yaml.Documents(broken).Single());

        act.Should().Throw<Exception>();
    }

    [Fact]
    public void The_wiring_check_fails_when_the_matrix_and_the_shard_count_disagree()
    {
        string broken = Workflow("nightly.yml").Replace("index: [0, 1, 2, 3]", "index: [0, 1, 2]", StringComparison.Ordinal);

        var act = () => WorkflowWiring.Check(Yaml.Documents(broken).Single());

        act.Should().Throw<Exception>().WithMessage("*--shard auto/3*");
    }

    [Fact]
    public void The_ci_workflow_is_valid_yaml_with_its_test_job()
    {
        Yaml.Documents(Workflow("ci.yml")).Single().Map("jobs").Keys().Should().Equal("test");
    }
}
