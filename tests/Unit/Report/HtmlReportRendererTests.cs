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
                + " <span class=\"badge inconclusive\">0 INCONCLUSIVE</span> <span class=\"badge error\">0 ERROR</span>"
                + " <span class=\"badge data-missing\">0 DATA MISSING</span></p>");
    }

    [Fact]
    public void Claim_section_names_the_papers_title_section_and_figure_escaped()
    {
        // WebUtility.HtmlEncode writes the middle dot as &#183;.
        _html.Should().Contain("<p>Source: Grokking: Generalization beyond overfitting on small algorithmic datasets &#183; section 3.1 &#183; Fig. 1</p>")
            .And.Contain("<p>Source: Norms &lt;and&gt; weights &#183; section 2, 4.3.2 and the abstract &#183; no figure</p>");
    }

    [Fact]
    public void Claim_section_has_the_audit_escaped()
    {
        _html.Should().Contain("<p>Controls: 1 REFUTED (as expected) / 0 CONFIRMED (cannot discriminate) / 0 INCONCLUSIVE (ability to fail unshown) / 1 missing</p>")
            .And.Contain("Rule: validation accuracy &gt;= 0.95 (typical) and delay &gt;= 10000 steps (universal)</p>")
            .And.Contain("<th>Verdict and flip point</th>")
            .And.Contain("<td>CONFIRMED at &gt;= 10000 steps; confirms at a threshold &lt;= 12000 steps; refutes at a threshold &gt; 12100 steps</td>")
            .And.Contain("<p>Control: &#39;train-as-validation&#39; (the validation curve replaced by the train curve) came out REFUTED")
            .And.Contain("<p>The rule on its control:</p>");
    }

    [Fact]
    public void A_verdict_changed_by_its_control_shows_the_rules_beside_it()
    {
        var changed = ReportFixtures.Confirmed with
        {
            Verdict = Grokking.Claims.Contracts.Verdict.Inconclusive,
            RuleVerdict = Grokking.Claims.Contracts.Verdict.Confirmed,
        };

        string html = HtmlReportRenderer.Render(new ReportDocument(ReportFixtures.Environment, [changed]), Path.GetTempPath());

        html.Should().Contain("<span class=\"badge inconclusive\">INCONCLUSIVE</span> (rule: <span class=\"badge confirmed\">CONFIRMED</span>)");
    }
}
