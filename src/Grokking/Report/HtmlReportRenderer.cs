using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Grokking.Claims.Contracts;
using static Grokking.Report.AuditText;
using static Grokking.Report.ReportText;

namespace Grokking.Report;

/// <summary>
/// The report as one self-contained HTML page: styles and figures inlined, so it can be mailed or uploaded as one
/// artifact.
/// </summary>
internal static class HtmlReportRenderer
{
    private const string CssResource = "Grokking.Report.report.css";

    private static readonly Lazy<string> Css = new(ReadCss);

    /// <param name="document">The report.</param>
    /// <param name="directory">The directory the figures' paths are relative to.</param>
    public static string Render(ReportDocument document, string directory)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(directory);

        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\">")
            .AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(H(Title)).AppendLine("</title>")
            .AppendLine("<style>").Append(Css.Value).AppendLine("</style>")
            .AppendLine("</head>")
            .AppendLine("<body>");

        html.Append("<h1>").Append(H(Title)).AppendLine("</h1>");
        html.Append("<p class=\"env\">").Append(H(EnvironmentLine(document.Environment))).Append("<br>")
            .Append(H(EnvironmentDetails(document.Environment))).AppendLine("</p>");
        var counts = document.Counts;
        html.Append("<p>").Append(string.Join(" ", counts.Each.Select(c => HtmlBadge(c.Status, c.Count)))).AppendLine("</p>");
        html.Append("<p>").Append(H(ControlsLine(document.Controls))).AppendLine("</p>");

        AppendTable(html, SummaryHeaders, document.Claims.Select(o => new[]
        {
            $"<a href=\"#{Anchor(o.Id)}\">{H(o.Id)}</a>", H(o.Title), HtmlVerdict(o), H(ScopeName(o.Scope)), H(ControlCell(o)),
            H(KeyMeasured(o)), H(SeedsCell(o)), Seconds(o.Seconds),
        }));
        if (document.Agreement.Count > 0)
        {
            html.Append("<p>").Append(H(AgreementCaption)).AppendLine("</p>");
            AppendTable(html, AgreementHeaders, document.Agreement.Select(a => AgreementCells(a).Select(H).ToArray()));
        }

        if (document.Variants.Count > 0)
        {
            html.Append("<p>").Append(H(VariantsCaption)).AppendLine("</p>");
            AppendTable(html, VariantHeaders, document.Variants.Select(v => VariantCells(v).Select(H).ToArray()));
        }

        html.Append("<p>").Append(H(SuiteMinutesLine(document.Environment))).AppendLine("</p>");
        html.Append("<p>").Append(H(ExperimentsCaption)).AppendLine("</p>");
        AppendTable(html, ExperimentHeaders, document.Experiments.Select(r => ExperimentCells(r).Select(H).ToArray()));

        foreach (var outcome in document.Claims)
        {
            AppendClaim(html, directory, outcome);
        }

        html.AppendLine("</body>").AppendLine("</html>");
        return html.ToString();
    }

    private static void AppendClaim(StringBuilder html, string directory, ClaimOutcome outcome)
    {
        html.Append("<section id=\"").Append(Anchor(outcome.Id)).AppendLine("\">");
        html.Append("<h3>").Append(H(outcome.Id)).Append(" — ").Append(H(outcome.Title)).AppendLine("</h3>");
        html.Append("<blockquote>").Append(H(outcome.Statement)).AppendLine("</blockquote>");
        html.Append("<p>").Append(H(SourceLine(outcome))).AppendLine("</p>");
        html.Append("<p>Verdict: ").Append(HtmlVerdict(outcome)).Append(" — ").Append(H(outcome.Reason)).AppendLine("</p>");
        if (outcome.Fix is not null)
        {
            html.Append("<p>Fix: <code>").Append(H(outcome.Fix)).AppendLine("</code></p>");
        }

        AppendAudit(html, outcome);

        if (outcome.Measured.Count == 0)
        {
            html.AppendLine("<p>No measured values.</p>");
        }
        else
        {
            AppendTable(html, MeasuredHeaders, outcome.Measured.Select(v => MeasuredCells(v).Select(H).ToArray()));
        }

        string[] lines = [SeedsLine(outcome), DivergenceLine(outcome), RunLine(outcome), .. RecoveryLines(outcome), SetupLine(outcome)];
        html.Append("<p>").AppendJoin("<br>", lines.Select(H)).AppendLine("</p>");

        if (outcome.Choices.Count > 0)
        {
            html.AppendLine("<p>Choices:</p>").AppendLine("<ul>");
            foreach (string choice in outcome.Choices)
            {
                html.Append("<li>").Append(H(choice)).AppendLine("</li>");
            }

            html.AppendLine("</ul>");
        }

        foreach (var figure in outcome.Figures)
        {
            AppendFigure(html, directory, figure);
        }

        html.AppendLine("</section>");
    }

    /// <summary>The audit (issue 25): scope, the rule in one line, each decisive comparison with its flip point, the control.</summary>
    private static void AppendAudit(StringBuilder html, ClaimOutcome outcome)
    {
        html.Append("<p>").Append(H(ScopeLine(outcome))).Append("<br>").Append(H(RuleLine(outcome))).AppendLine("</p>");
        if (outcome.Comparisons.Count > 0)
        {
            AppendTable(html, ComparisonHeaders, outcome.Comparisons.Select(c => ComparisonCells(c).Select(H).ToArray()));
        }

        html.Append("<p>").Append(H(ControlLine(outcome))).AppendLine("</p>");
        if (outcome.Control is { Comparisons.Count: > 0 } control)
        {
            html.AppendLine("<p>The rule on its control:</p>");
            AppendTable(html, ComparisonHeaders, control.Comparisons.Select(c => ComparisonCells(c).Select(H).ToArray()));
        }
    }

    /// <summary>The verdict badge, followed by the rule's own verdict when the control changed it.</summary>
    private static string HtmlVerdict(ClaimOutcome outcome) => outcome.RuleVerdict == outcome.Verdict
        ? HtmlBadge(outcome.Verdict)
        : $"{HtmlBadge(outcome.Verdict)} (rule: {HtmlBadge(outcome.RuleVerdict)})";

    /// <summary>Inlines the PNG, so the page stays one self-contained file.</summary>
    private static void AppendFigure(StringBuilder html, string directory, ClaimFigure figure)
    {
        string path = Path.Combine(directory, figure.PngPath);
        html.AppendLine("<figure>");
        if (File.Exists(path))
        {
            html.Append("<img alt=\"").Append(H(figure.Title)).Append("\" src=\"data:image/png;base64,")
                .Append(Convert.ToBase64String(File.ReadAllBytes(path))).AppendLine("\">");
        }
        else
        {
            html.Append("<p class=\"missing\">Figure file missing: ").Append(H(figure.PngPath)).AppendLine("</p>");
        }

        html.Append("<figcaption>").Append(H(figure.Title)).AppendLine("</figcaption>");
        html.AppendLine("</figure>");
    }

    /// <param name="rows">Cells already in HTML: a summary cell holds a link or a badge.</param>
    private static void AppendTable(StringBuilder html, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        html.AppendLine("<table>").Append("<thead><tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(H(header)).Append("</th>");
        }

        html.AppendLine("</tr></thead>").AppendLine("<tbody>");
        foreach (string[] row in rows)
        {
            html.Append("<tr>");
            foreach (string cell in row)
            {
                html.Append("<td>").Append(cell).Append("</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody>").AppendLine("</table>");
    }

    /// <summary>The verdict as a coloured pill; the stylesheet names its colour after the verdict.</summary>
    private static string HtmlBadge(Verdict verdict, int? count = null)
    {
        string badge = Badge(verdict);
        string text = count is { } n ? $"{n.ToString(CultureInfo.InvariantCulture)} {badge}" : badge;
        // "DATA MISSING" is one class, data-missing: the stylesheet's .missing styles something else.
        return $"<span class=\"badge {badge.ToLowerInvariant().Replace(' ', '-')}\">{H(text)}</span>";
    }

    /// <summary>An id attribute made only of safe characters, so any claim id links from the summary table.</summary>
    private static string Anchor(string id) =>
        "claim-" + new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);

    private static string H(string text) => WebUtility.HtmlEncode(text);

    private static string ReadCss()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(CssResource)
            ?? throw new InvalidOperationException($"embedded stylesheet {CssResource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
