using Grokking.Report;

namespace Grokking.Tests.Unit.Report;

public sealed class HtmlReportRendererTests
{
    private readonly string _html = HtmlReportRenderer.Render(ReportFixtures.Document(), Path.GetTempPath()).ReplaceLineEndings("\n");

    [Fact]
    public void Inlines_the_stylesheet_from_the_embedded_resource()
    {
        using var stream = typeof(ClaimReport).Assembly.GetManifestResourceStream("Grokking.Report.report.css");
        stream.Should().NotBeNull("the stylesheet ships inside the library");
        string css = new StreamReader(stream!).ReadToEnd();

        css.Should().Contain(".badge {").And.Contain(".refuted {");
        _html.Should().Contain("<style>\n" + css + "</style>\n");
    }

    [Fact]
    public void Escapes_the_claim_title_and_links_the_summary_to_its_section()
    {
        _html.Should().Contain("<h3>WN_2 — Weight &lt;norm&gt; &amp; friends</h3>")
            .And.NotContain("<norm>")
            .And.Contain("<td><a href=\"#claim-WN_2\">WN_2</a></td><td>Weight &lt;norm&gt; &amp; friends</td>"
                + "<td><span class=\"badge refuted\">REFUTED</span></td><td>typical</td><td>no control</td>")
            .And.Contain("<section id=\"claim-WN_2\">")
            .And.Contain("<p><span class=\"badge confirmed\">1 CONFIRMED</span> <span class=\"badge refuted\">1 REFUTED</span>"
                + " <span class=\"badge inconclusive\">0 INCONCLUSIVE</span></p>");
    }

    [Fact]
    public void Claim_section_names_the_papers_title_section_and_figure_escaped()
    {
        // WebUtility.HtmlEncode writes the middle dot as &#183;.
        _html.Should().Contain("<p>Source: Grokking: Generalization beyond overfitting on small algorithmic datasets &#183; section 3.1 &#183; Fig. 1</p>")
            .And.Contain("<p>Source: Norms &lt;and&gt; weights &#183; section 2, 4.3.2 and the abstract &#183; no figure</p>");
    }
}
