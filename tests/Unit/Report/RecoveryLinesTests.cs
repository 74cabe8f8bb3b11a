using System.Text.Json;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

/// <summary>A recomputed cache entry is said in every format: one line per entry, and a structured field in report.json.</summary>
public sealed class RecoveryLinesTests
{
    private const string Line =
        "Recovered: cache entry modular-addition-0123456789abcdef was damaged (members.json: content does not match the manifest "
        + "(SHA-256 differs)); moved to /cache/modular-addition-0123456789abcdef.damaged-20251122T200000; recomputed";

    [Fact]
    public void Markdown_and_html_print_the_recovery_under_the_claim_that_read_it_only()
    {
        string markdown = MarkdownReportRenderer.Render(ReportFixtures.Document()).ReplaceLineEndings("\n");
        string html = HtmlReportRenderer.Render(ReportFixtures.Document(), Path.GetTempPath());

        markdown.Should().Contain(Line + "\n");
        CountOf(markdown, "Recovered: ").Should().Be(1, "only MC_1's run was recomputed");
        html.Should().Contain(System.Net.WebUtility.HtmlEncode(Line) + "<br>");
        CountOf(html, "Recovered: ").Should().Be(1);
    }

    [Fact]
    public void Report_json_carries_each_recovery_with_its_file_and_where_it_was_moved()
    {
        using var json = JsonDocument.Parse(JsonReportRenderer.Render(ReportFixtures.Document()));
        var claims = json.RootElement.GetProperty("claims");

        var recovered = claims[0].GetProperty("recovered");
        recovered.GetArrayLength().Should().Be(1);
        recovered[0].GetProperty("file").GetString().Should().Be("members.json");
        recovered[0].GetProperty("movedTo").GetString().Should().EndWith(".damaged-20251122T200000");
        claims[1].GetProperty("recovered").GetArrayLength().Should().Be(0);
    }

    private static int CountOf(string text, string part) => text.Split(part).Length - 1;
}
