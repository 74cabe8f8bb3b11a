using Grokking.Claims.Contracts;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>report.json read back for the history: what the renderer writes, and every way it can be unreadable, named.</summary>
public sealed class HistoryReportReaderTests : IDisposable
{
    private readonly string dir = HistoryFixtures.TempDirectory();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void The_renderers_report_reads_back_with_verdicts_comparisons_and_provenance()
    {
        string json = JsonReportRenderer.Render(ReportFixtures.Document());

        var entry = HistoryReportReader.Parse(json, "r.json", DateTimeOffset.UnixEpoch);

        entry.Run.Source.Should().Be("r.json");
        entry.Run.Environment.Should().BeEquivalentTo(ReportFixtures.Environment);
        entry.Claims.Select(c => (c.Id, c.Verdict, c.RuleVerdict)).Should().Equal(
            ("MC_1", Verdict.Confirmed, Verdict.Confirmed), ("WN_2", Verdict.Refuted, Verdict.Refuted));
        var valAcc = entry.Claims[0].Comparisons[0];
        valAcc.Key.Should().Be("valAcc");
        (valAcc.Estimate, valAcc.Low, valAcc.High).Should().Be(
            (ReportFixtures.ValAccComparison.Estimate, ReportFixtures.ValAccComparison.Low, ReportFixtures.ValAccComparison.High));
        valAcc.Relation.Should().Be(Relation.AtLeast);
        entry.Claims[0].Measured.Select(m => m.Key).Should().Equal("valAcc", "delay");
    }

    [Fact]
    public void A_report_folder_reads_as_its_report_json()
    {
        HistoryFixtures.WriteReport(Path.Combine(dir, "report.json"), "abcd");

        HistoryReportReader.Read(dir).Run.Environment.GitCommit.Should().Be("abcd");
    }

    [Theory]
    [InlineData("{ not json", "not a readable report.json")]
    [InlineData("""{"schemaVersion": 9, "environment": {}, "claims": []}""", "not a readable report.json")]
    [InlineData("VERSION9", "report.json schema version 9 is not one this grokking reads (2, 3)")]
    [InlineData("NOVERDICT", "not a readable report.json")]
    [InlineData("TWICE", "claim id 'MC_1' is listed twice")]
    public void An_unreadable_report_is_one_line_naming_the_file(string content, string problem)
    {
        string valid = JsonReportRenderer.Render(ReportFixtures.Document());
        string text = content switch
        {
            "VERSION9" => valid.Replace("\"schemaVersion\": 3", "\"schemaVersion\": 9", StringComparison.Ordinal),
            "NOVERDICT" => valid.Replace("\"verdict\": \"refuted\",", "", StringComparison.Ordinal),
            "TWICE" => valid.Replace("\"id\": \"WN_2\"", "\"id\": \"MC_1\"", StringComparison.Ordinal),
            _ => content,
        };
        text.Should().NotBe(valid, "the case changes the file");
        string path = Path.Combine(dir, "report.json");
        File.WriteAllText(path, text);

        var act = () => HistoryReportReader.Read(path);

        act.Should().Throw<HistoryInputException>().Which.Message.Should().StartWith(path + ": ").And.Contain(problem).And.NotContain("\n");
    }

    [Fact]
    public void A_missing_report_names_the_path()
    {
        string path = Path.Combine(dir, "nope.json");

        var act = () => HistoryReportReader.Read(path);

        act.Should().Throw<HistoryInputException>().WithMessage($"{path}: no such report*");
    }

    [Fact]
    public void A_report_from_before_the_provenance_fields_reads_with_them_unrecorded()
    {
        string json = JsonReportRenderer.Render(ReportFixtures.Document());
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        var environment = node["environment"]!.AsObject();
        foreach (string field in new[] { "engine", "gitDirty", "gitDiffHash", "dtype", "configuration" })
        {
            environment.Remove(field).Should().BeTrue(field);
        }

        var entry = HistoryReportReader.Parse(node.ToJsonString(), "old.json", DateTimeOffset.UnixEpoch);

        entry.Run.Environment.Engine.Should().BeEmpty();
        entry.Run.Environment.GitDirty.Should().BeNull();
        entry.Run.Environment.Dtype.Should().BeEmpty();
        entry.Claims.Should().HaveCount(2);
    }
}
