using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Grokking.Report;
using Grokking.Runtime;
using Grokking.Tests.Unit.Engine;

namespace Grokking.Tests.Unit.Report;

/// <summary>
/// Result records are content-addressed: named by the SHA-256 of their own bytes, read back only when the bytes match
/// the name and the content is a record of that claim; they carry the outcome whole, NaN included.
/// </summary>
public class ResultRecordFileTests
{
    [Fact]
    public void A_record_is_named_by_its_claim_and_the_sha256_of_its_bytes()
    {
        string folder = EngineFixtures.TempDirectory();

        string path = ResultRecordFile.Write(folder, RecordFixtures.Record("MC-1"));

        string digest = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();
        Path.GetFileName(path).Should().Be($"MC-1.{digest}.json");
        ResultRecordFile.ClaimOf(path).Should().Be("MC-1");
        Directory.GetFiles(folder).Should().Equal(path);  // atomic: no temporary file left beside it
    }

    [Fact]
    public void Read_back_the_outcome_serializes_byte_for_byte_as_it_was_written_nan_included()
    {
        var record = RecordFixtures.Record("MC-2", refuted: true);
        string path = ResultRecordFile.Write(EngineFixtures.TempDirectory(), record);

        var read = ResultRecordFile.Read(path);

        double.IsNaN(read.Outcome.Measured[0].Value).Should().BeTrue();
        ResultRecordFile.Bytes(read).Should().Equal(File.ReadAllBytes(path));
        read.Outcome.Comparisons.Should().BeEmpty();
        read.Provenance.Should().Be(record.Provenance);
        read.Configuration[0].Options.ToJsonString().Should().Be(record.Configuration[0].Options.ToJsonString());
    }

    [Fact]
    public void An_outcome_with_comparisons_a_control_and_divergences_survives_the_round_trip()
    {
        var record = RecordFixtures.Record("MC-1");

        var read = ResultRecordFile.Read(ResultRecordFile.Write(EngineFixtures.TempDirectory(), record));

        read.Outcome.Comparisons.Select(c => (c.Key, c.Estimate, c.Low, c.High, c.Worst, c.Verdict, c.Flip)).Should().Equal(
            record.Outcome.Comparisons.Select(c => (c.Key, c.Estimate, c.Low, c.High, c.Worst, c.Verdict, c.Flip)));
        read.Outcome.Control!.Comparisons.Should().HaveCount(1);
        read.Outcome.Divergences.Should().Equal(record.Outcome.Divergences);
        read.Outcome.RunMinutes.Should().Equal(record.Outcome.RunMinutes);
        read.Outcome.RuleVerdict.Should().Be(record.Outcome.RuleVerdict);
    }

    [Fact]
    public void A_record_edited_in_place_is_an_error_naming_the_file()
    {
        string path = ResultRecordFile.Write(EngineFixtures.TempDirectory(), RecordFixtures.Record("MC-1"));
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"confirmed\"", "\"refuted\"", StringComparison.Ordinal));

        var act = () => ResultRecordFile.Read(path);

        act.Should().Throw<DamagedFileException>().Which.Message.Should()
            .StartWith(path).And.Contain("its content does not match the SHA-256 in its name");
    }

    [Fact]
    public void A_truncated_record_is_an_error_naming_the_file()
    {
        string path = ResultRecordFile.Write(EngineFixtures.TempDirectory(), RecordFixtures.Record("MC-1"));
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var act = () => ResultRecordFile.Read(path);

        act.Should().Throw<DamagedFileException>().Which.FilePath.Should().Be(path);
    }

    [Fact]
    public void A_record_renamed_to_another_claim_is_refused_even_with_a_matching_digest()
    {
        // Another claim's name with the digest recomputed: the bytes match the name, the content names MC-1.
        string folder = EngineFixtures.TempDirectory();
        byte[] bytes = ResultRecordFile.Bytes(RecordFixtures.Record("MC-1"));
        string path = Path.Combine(folder, $"OG-1.{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()}.json");
        File.WriteAllBytes(path, bytes);

        var act = () => ResultRecordFile.Read(path);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: holds claim 'MC-1' ('MC-1'), not 'OG-1'");
    }

    [Theory]
    [InlineData("recordVersion", "2", "record version 2, not 1")]
    [InlineData("outcome", "null", "lacks one of outcome")]
    public void A_well_formed_file_that_is_not_a_record_of_this_version_is_refused(string field, string value, string problem)
    {
        var node = JsonSerializer.SerializeToNode(JsonDocument.Parse(ResultRecordFile.Bytes(RecordFixtures.Record("MC-1"))).RootElement)!;
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        byte[] bytes = Encoding.UTF8.GetBytes(node.ToJsonString());
        string path = Path.Combine(EngineFixtures.TempDirectory(), $"MC-1.{Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant()}.json");
        File.WriteAllBytes(path, bytes);

        var act = () => ResultRecordFile.Read(path);

        act.Should().Throw<DamagedFileException>().WithMessage($"{path}: {problem}*");
    }

    [Fact]
    public void Find_searches_folders_recursively_for_record_names_only_each_once()
    {
        var folders = RecordFixtures.Shards([RecordFixtures.Record("MC-1")], [RecordFixtures.Record("MC-2")]);
        string parent = Path.GetDirectoryName(folders[0])!;
        File.WriteAllText(Path.Combine(parent, "report.json"), "{}");
        File.WriteAllText(Path.Combine(folders[0], "shard-1-of-2.done"), "");

        var found = ResultRecordFile.Find([parent, folders[0]]);

        found.Select(ResultRecordFile.ClaimOf).Should().Equal("MC-1", "MC-2");
    }
}
