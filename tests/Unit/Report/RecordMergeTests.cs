using Grokking.Claims;
using Grokking.Claims.Baselines;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Report;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// report merge joins the shards' records: every claim of the selection exactly once, of one profile and one selection,
/// in catalog order; anything else is one error naming the claim or the record.
/// </summary>
public class RecordMergeTests
{
    private static readonly Lazy<ClaimCatalog> Catalog = new(() => ClaimCatalog.Load(Path.Combine(RepositoryLocator.Find(), "claims")));

    private static RecordMerge Merge(IReadOnlyList<string> folders, Profile profile = Profile.Smoke) => RecordMerge.Read(folders, Catalog.Value, profile);

    [Fact]
    public void Records_from_several_shards_join_in_catalog_order()
    {
        var folders = RecordFixtures.Shards(
            [RecordFixtures.Record("OG-1", provenance: RecordFixtures.Provenance("2/2"))],
            [RecordFixtures.Record("MC-2", refuted: true), RecordFixtures.Record("MC-1")]);

        var merge = Merge(folders);

        merge.Outcomes.Select(o => (o.Id, o.Verdict)).Should().Equal(("MC-1", Verdict.Confirmed), ("MC-2", Verdict.Refuted), ("OG-1", Verdict.Confirmed));
        merge.Outcomes.Should().AllSatisfy(o => o.CachedRuns.Should().Equal("modular-addition"));
        merge.Environment().Machine.Should().Be("merged from 2 shard(s): test-host, 2 cores");
        merge.Environment().Seconds.Should().Be(300);
        merge.Warnings().Should().BeEmpty();
    }

    [Fact]
    public void A_claim_that_errored_comes_last_as_in_a_verifys_report()
    {
        var errored = RecordFixtures.Record("MC-1") with { Outcome = RecordFixtures.Record("MC-1").Outcome with { Verdict = Verdict.Error } };
        var folders = RecordFixtures.Shards([errored, RecordFixtures.Record("MC-2"), RecordFixtures.Record("OG-1")]);

        Merge(folders).Outcomes.Select(o => o.Id).Should().Equal("MC-2", "OG-1", "MC-1");
    }

    [Fact]
    public void A_missing_record_is_an_error_naming_the_claim()
    {
        var folders = RecordFixtures.Shards([RecordFixtures.Record("MC-1")], [RecordFixtures.Record("OG-1")]);

        var act = () => Merge(folders);

        act.Should().Throw<OptionsException>().WithMessage("no record of claim MC-2 under *(2 of the selection's 3 claims have one*");
    }

    [Fact]
    public void Two_records_of_one_claim_are_an_error_naming_the_claim_and_both_files()
    {
        var again = RecordFixtures.Record("MC-2", provenance: RecordFixtures.Provenance("2/2"));
        var folders = RecordFixtures.Shards([RecordFixtures.Record("MC-1"), RecordFixtures.Record("MC-2")], [again, RecordFixtures.Record("OG-1")]);

        var act = () => Merge(folders);

        act.Should().Throw<OptionsException>().WithMessage("claim MC-2 has 2 records, one allowed: *shard-0*MC-2.*.json, *shard-1*MC-2.*.json");
    }

    [Fact]
    public void The_same_record_copied_into_two_folders_is_one_record()
    {
        var folders = RecordFixtures.Shards(
            [RecordFixtures.Record("MC-1"), RecordFixtures.Record("MC-2")], [RecordFixtures.Record("MC-2"), RecordFixtures.Record("OG-1")]);

        Merge(folders).Outcomes.Select(o => o.Id).Should().Equal("MC-1", "MC-2", "OG-1");
    }

    [Fact]
    public void Records_of_another_profile_are_refused_naming_the_record_and_the_profile_to_set()
    {
        var folders = RecordFixtures.Shards([.. RecordFixtures.Selection.Select(id => RecordFixtures.Record(id))]);

        var act = () => Merge(folders, Profile.Ci);

        act.Should().Throw<OptionsException>().WithMessage("*MC-1.*.json is a record of profile smoke, and this merge is of profile ci (set --profile smoke)");
    }

    [Fact]
    public void Records_made_for_different_selections_are_refused()
    {
        var folders = RecordFixtures.Shards([RecordFixtures.Record("MC-1"), RecordFixtures.Record("MC-2", selection: ["MC-2"])]);

        var act = () => Merge(folders);

        act.Should().Throw<OptionsException>().WithMessage("*MC-2.*.json was made for another selection of claims (1) than *MC-1.*.json (3)*");
    }

    [Fact]
    public void A_folder_without_records_or_that_does_not_exist_is_an_error()
    {
        string empty = EngineFixtures.TempDirectory();
        string absent = Path.Combine(empty, "nope");

        ((Action)(() => Merge([empty]))).Should().Throw<OptionsException>().WithMessage($"*no result records (<claim>.<sha256>.json) under {empty}");
        ((Action)(() => Merge([absent]))).Should().Throw<OptionsException>().WithMessage($"*records folder '{absent}' does not exist");
    }

    [Fact]
    public void A_damaged_record_stops_the_merge_naming_the_file()
    {
        var folders = RecordFixtures.Shards([.. RecordFixtures.Selection.Select(id => RecordFixtures.Record(id))]);
        string victim = Directory.GetFiles(folders[0], "OG-1.*.json").Single();
        File.AppendAllText(victim, " ");

        var act = () => Merge(folders);

        act.Should().Throw<Grokking.Runtime.DamagedFileException>().Which.FilePath.Should().Be(victim);
    }

    [Fact]
    public void Records_of_several_commits_or_a_dirty_tree_are_merged_with_a_warning()
    {
        var dirty = RecordFixtures.Provenance("2/2", commit: "feedface") with { Dirty = true, DiffSha256 = "abc" };
        var folders = RecordFixtures.Shards(
            [RecordFixtures.Record("MC-1"), RecordFixtures.Record("MC-2")], [RecordFixtures.Record("OG-1", provenance: dirty)]);

        var merge = Merge(folders);

        merge.Warnings().Should().Equal(
            "the records come from several commits: 0123456789abcdef0123456789abcdef01234567 (shard 1/2), feedface (shard 2/2)",
            "records made in a working tree with uncommitted changes (git diff sha256 abc)");
        merge.Environment().GitCommit.Should().Be("0123456789abcdef0123456789abcdef01234567, feedface");
    }

    [Fact]
    public void The_merged_report_holds_every_claim_and_its_figures_and_the_judgement_writes_received_files()
    {
        var folders = RecordFixtures.Shards([.. RecordFixtures.Selection.Select(id => RecordFixtures.Record(id))]);
        string report = EngineFixtures.TempDirectory();
        string baselines = EngineFixtures.TempDirectory();
        var merge = Merge(folders);

        var files = merge.Write(report, new BaselineStore(baselines));
        var judged = merge.Judge(new BaselineStore(baselines));

        files.Select(Path.GetFileName).Should().Equal("report.md", "report.html", "report.json", "costs.json");
        File.ReadAllBytes(Path.Combine(report, "figures", "mc1.png")).Should().Equal(new byte[] { 0x89, 0x50, 0x4e, 0x47, 1, 2, 3 });
        File.ReadAllText(Path.Combine(report, "report.md")).Should().Contain("MC-1").And.Contain("MC-2").And.Contain("OG-1");
        judged.Should().OnlyContain(j => j.Differs && j.Line!.Contains("no accepted baseline"));
        Directory.GetFiles(Path.Combine(baselines, "smoke")).Select(Path.GetFileName).Should().BeEquivalentTo(
            "MC-1.received.json", "MC-2.received.json", "OG-1.received.json");
    }
}
