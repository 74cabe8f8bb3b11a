using Grokking.Claims.Contracts;
using Grokking.Runtime;

namespace Grokking.Report;

/// <summary>
/// The verification report of a set of claims, written three ways: Markdown (fits a GitHub job summary), a
/// self-contained HTML page (figures inlined, so it can be mailed or uploaded as one artifact) and JSON for tools.
/// </summary>
/// <remarks>One <see cref="ReportDocument"/> feeds the three files' renderers, so the formats cannot disagree.</remarks>
public static class ClaimReport
{
    public const string MarkdownFile = "report.md";
    public const string HtmlFile = "report.html";
    public const string JsonFile = "report.json";

    /// <summary>Writes report.md, report.html and report.json into <paramref name="directory"/>.</summary>
    /// <remarks>Figure paths in the outcomes are relative to <paramref name="directory"/>.</remarks>
    /// <param name="agreement">The claims' committed ci and paper verdicts (issue 28); none: the section is left out.</param>
    public static IReadOnlyList<string> Write(
        string directory,
        ReportEnvironment environment,
        IReadOnlyList<ClaimOutcome> outcomes,
        IReadOnlyList<Claims.ProfileAgreement>? agreement = null,
        IReadOnlyList<Claims.VariantOutcome>? variants = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(outcomes);

        var document = new ReportDocument(environment, outcomes, agreement) { Variants = variants ?? [] };
        string markdown = Path.Combine(directory, MarkdownFile);
        string html = Path.Combine(directory, HtmlFile);
        string json = Path.Combine(directory, JsonFile);
        AtomicFile.WriteAllText(markdown, MarkdownReportRenderer.Render(document));
        AtomicFile.WriteAllText(html, HtmlReportRenderer.Render(document, directory));
        AtomicFile.WriteAllText(json, JsonReportRenderer.Render(document));
        return [markdown, html, json];
    }

    /// <summary>A plain-text fixed-width table of the outcomes, for the console.</summary>
    public static string SummaryTable(IReadOnlyList<ClaimOutcome> outcomes) => ConsoleSummaryTable.Render(outcomes);
}
