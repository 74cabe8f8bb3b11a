using System.Text.Json.Nodes;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// The sharded fan-out end to end at the smoke profile: 3 shards merged give the same verdicts and values, byte for byte,
/// as the same selection verified at once; a shard re-run with its records in place trains nothing; a missing, duplicated
/// or edited record stops the merge with one line naming the claim or the file.
/// </summary>
[Collection(ProcessEnvironmentCollection.Name)]
public class ShardedSmokeRunTests(ShardedSmokeRun run) : IClassFixture<ShardedSmokeRun>
{
    [Fact]
    public void Three_shards_merged_equal_the_unsharded_run_byte_for_byte()
    {
        run.Unsharded.Code.Should().Be(0, run.Unsharded.Stderr);
        run.Shards.Should().AllSatisfy(s => s.Code.Should().Be(0, s.Stderr));
        run.Merged.Code.Should().Be(0, run.Merged.Stderr);

        var unsharded = ShardedSmokeRun.Claims(run.Report("unsharded"));
        var merged = ShardedSmokeRun.Claims(run.Report("merged"));

        unsharded.Should().HaveCount(7);
        merged.Should().Equal(unsharded);
        var summary = (string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(run.Report(name), "report.json")))!;
        summary("merged")["summary"]!.ToJsonString().Should().Be(summary("unsharded")["summary"]!.ToJsonString());
        summary("merged")["controls"]!.ToJsonString().Should().Be(summary("unsharded")["controls"]!.ToJsonString());
        summary("merged")["agreement"]!.ToJsonString().Should().Be(summary("unsharded")["agreement"]!.ToJsonString());
    }

    [Fact]
    public void The_merge_judges_the_records_against_the_baselines_as_the_unsharded_verify_does()
    {
        static IEnumerable<string> Judged(string stdout) => stdout.Split('\n').Where(l => l.StartsWith("baseline ", StringComparison.Ordinal));

        Judged(run.Merged.Stdout).Should().Equal(Judged(run.Unsharded.Stdout));
        run.Merged.Stdout.Should().Contain("merged 7 result record(s) of profile smoke")
            .And.Contain("1 CONFIRMED / 1 REFUTED / 4 INCONCLUSIVE / 0 ERROR / 1 DATA MISSING").And.Contain("data missing in OG-8");
        File.Exists(Path.Combine(run.Report("merged"), "costs.json")).Should().BeTrue();
    }

    [Fact]
    public void Each_shard_holds_whole_experiment_groups_and_the_shards_cover_the_selection_once()
    {
        var claims = Enumerable.Range(1, 3)
            .Select(i => Directory.GetFiles(run.Records(i), "*.json").Select(ResultRecordFile.ClaimOf).Order().ToList())
            .ToList();

        // Committed smoke costs, longest first into the lightest shard: mc-grokking's group, og-modular's, then og-lu's with PB-5.
        claims.Should().BeEquivalentTo(
            new[] { new[] { "MC-1", "MC-2" }, new[] { "OG-4", "OG-5", "OG-8" }, new[] { "OG-1", "PB-5" } }, o => o.WithStrictOrdering());
        run.Shards[1].Stdout.Should().StartWith("shard 2/3: ").And.Contain("(OG-4, OG-5, OG-8; experiments og-modular, og-modular-constrained, og-imdb");
        Enumerable.Range(1, 3).Should().AllSatisfy(i => File.Exists(Path.Combine(run.Records(i), $"shard-{i}-of-3.done")).Should().BeTrue());
        Directory.Exists(Path.Combine(run.Report("unsharded"), "records")).Should().BeFalse("a verify without --shard writes no records");
    }

    [Fact]
    public void Records_are_self_contained_with_configuration_provenance_and_figures()
    {
        var record = ResultRecordFile.Read(Directory.GetFiles(run.Records(1), "MC-1.*.json").Single());

        record.Selection.Should().Equal("MC-1", "MC-2", "PB-5", "OG-1", "OG-4", "OG-5", "OG-8");  // catalog order
        record.Configuration.Select(c => c.Experiment).Should().Equal("mc-grokking");
        record.Configuration[0].Options["Profile"]!.GetValue<string>().Should().Be("smoke");
        record.Configuration[0].Options.ContainsKey("Runtime").Should().BeFalse();
        record.Provenance.Shard.Should().Be("1/3");
        record.Provenance.Device.Should().Be("cpu");
        record.Provenance.DType.Should().Be("float32");
        record.Provenance.Engine.Should().Be(Grokking.Training.EngineVersion.Value);
        record.Figures.Select(f => f.Path).Should().BeEquivalentTo(
            record.Outcome.Figures.SelectMany(f => new[] { f.PngPath, f.SvgPath }).OfType<string>());
        record.Figures.Should().NotBeEmpty();
        File.Exists(Path.Combine(run.Report("merged"), record.Figures[0].Path)).Should().BeTrue();
    }

    [Fact]
    public void A_shard_run_again_keeps_its_records_and_trains_nothing()
    {
        var before = Directory.GetFiles(run.Records(2)).Order().ToList();

        var again = run.Run(["verify", "--claims", ShardedSmokeRun.Selection, "--shard", "2/3", "--records", run.Records(2), .. run.Outputs("again")]);

        again.Code.Should().Be(0, again.Stderr);
        again.Stdout.Should().Contain("kept the records of OG-4, OG-5 in").And.Contain("verifying OG-8 ").And.Contain("records: 1 written, 2 kept");
        Directory.Exists(run.Cache("again")).Should().BeFalse("no run was trained or even looked up");
        Directory.GetFiles(run.Records(2)).Order().Where(f => !f.Contains("OG-8.", StringComparison.Ordinal))
            .Should().Equal(before.Where(f => !f.Contains("OG-8.", StringComparison.Ordinal)));
        Directory.GetFiles(run.Records(2), "OG-8.*.json").Should().ContainSingle("a newer record of a claim replaces the older one");
    }

    [Fact]
    public void A_missing_record_exits_2_with_one_line_naming_the_claim()
    {
        string copy = Copy(2);
        File.Delete(Directory.GetFiles(copy, "OG-5.*.json").Single());

        var (code, stdout, stderr) = run.Run("report", "merge", run.Records(1), copy, run.Records(3), "--set", $"Output:ReportDirectory={run.Report("x")}");

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Should().StartWith("error: no record of claim OG-5 under ").And.EndWith("\n").And.Subject.Trim().Should().NotContain("\n");
        Directory.Exists(run.Report("x")).Should().BeFalse();
    }

    [Fact]
    public void A_duplicated_record_exits_2_with_one_line_naming_the_claim()
    {
        string copy = Copy(3);
        var record = ResultRecordFile.Read(Directory.GetFiles(run.Records(1), "MC-2.*.json").Single());
        ResultRecordFile.Write(copy, record with { Provenance = record.Provenance with { Shard = "3/3" } });

        var (code, _, stderr) = run.Run("report", "merge", run.Records(1), run.Records(2), copy, "--set", $"Output:ReportDirectory={run.Report("y")}");

        code.Should().Be(2);
        stderr.Trim().Should().StartWith("error: claim MC-2 has 2 records, one allowed: ").And.NotContain("\n");
    }

    [Fact]
    public void An_edited_record_exits_1_naming_the_file()
    {
        string copy = Copy(1);
        string victim = Directory.GetFiles(copy, "MC-1.*.json").Single();
        File.WriteAllText(victim, File.ReadAllText(victim).Replace("\"profile\": \"smoke\"", "\"profile\": \"smoke\" ", StringComparison.Ordinal));

        var (code, _, stderr) = run.Run("report", "merge", copy, run.Records(2), run.Records(3), "--set", $"Output:ReportDirectory={run.Report("z")}");

        code.Should().Be(1);
        stderr.Trim().Should().Be($"error: {victim}: its content does not match the SHA-256 in its name (damaged or edited); run the shard that made it again");
    }

    private string Copy(int shard)
    {
        string copy = Path.Combine(run.Root, "copies", Guid.NewGuid().ToString("N"));
        Engine.EngineFixtures.CopyDirectory(run.Records(shard), copy);
        return copy;
    }
}
