using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

/// <summary>The suite's measured minutes beside the projected ones (issue 27), in report.md and report.html.</summary>
public sealed class SuiteMinutesLineTests
{
    [Fact]
    public void The_report_shows_the_measured_suite_minutes_beside_the_projected_ones()
    {
        var environment = ReportFixtures.Environment with { ProjectedSeconds = 3000 };
        var document = new ReportDocument(environment, ReportFixtures.Outcomes);

        string line = ReportText.SuiteMinutesLine(environment);
        string markdown = MarkdownReportRenderer.Render(document);

        line.Should().Be("Suite: 62.1 min measured · 50.0 min projected from the recorded costs (baselines/ci/costs.json)");
        markdown.Should().Contain(line + "\n\n" + ReportText.ExperimentsCaption);
        HtmlReportRenderer.Render(document, Path.GetTempPath()).Should().Contain("<p>Suite: 62.1 min measured").And.Contain("50.0 min projected");
    }

    [Fact]
    public void Without_recorded_costs_the_line_says_there_is_no_projection()
    {
        ReportText.SuiteMinutesLine(ReportFixtures.Environment).Should().Be(
            "Suite: 62.1 min measured · no projection (no recorded costs in baselines/ci/costs.json)");
    }
}
