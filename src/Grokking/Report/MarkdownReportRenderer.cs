using System.Text;
using Grokking.Claims.Contracts;
using static Grokking.Report.AuditText;
using static Grokking.Report.ReportText;

namespace Grokking.Report;

/// <summary>The report as Markdown, sized to fit a GitHub job summary; figures are linked, not inlined.</summary>
internal static class MarkdownReportRenderer
{
    public static string Render(ReportDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);

        var md = new StringBuilder();
        md.Append("# ").AppendLine(Title).AppendLine();
        // Two trailing spaces: a Markdown line break, keeping the details visually part of the environment line.
        md.Append(MdText(EnvironmentLine(document.Environment))).AppendLine("  ");
        md.AppendLine(MdText(EnvironmentDetails(document.Environment))).AppendLine();
        md.Append("**").Append(CountsLine(document.Counts)).AppendLine("**  ");
        md.AppendLine(ControlsLine(document.Controls)).AppendLine();

        AppendTable(md, SummaryHeaders, document.Claims.Select(o => new[]
        {
            MdCell(o.Id), MdCell(o.Title), $"**{VerdictText(o)}**", ScopeName(o.Scope), MdCell(ControlCell(o)), MdCell(KeyMeasured(o)),
            SeedsCell(o), Seconds(o.Seconds),
        }));

        if (document.Agreement.Count > 0)
        {
            md.AppendLine(MdText(AgreementCaption)).AppendLine();
            AppendTable(md, AgreementHeaders, document.Agreement.Select(a => AgreementCells(a).Select(MdCell).ToArray()));
        }

        if (document.Variants.Count > 0)
        {
            md.AppendLine(MdText(VariantsCaption)).AppendLine();
            AppendTable(md, VariantHeaders, document.Variants.Select(v => VariantCells(v).Select(MdCell).ToArray()));
        }

        md.AppendLine(MdText(SuiteMinutesLine(document.Environment))).AppendLine();
        md.AppendLine(ExperimentsCaption).AppendLine();
        AppendTable(md, ExperimentHeaders, document.Experiments.Select(r => ExperimentCells(r).Select(MdCell).ToArray()));

        foreach (var outcome in document.Claims)
        {
            AppendClaim(md, outcome);
        }

        // Every block ends in a blank line; the file should end in exactly one newline.
        return md.ToString().TrimEnd() + "\n";
    }

    private static void AppendClaim(StringBuilder md, ClaimOutcome outcome)
    {
        md.Append("### ").Append(MdText(outcome.Id)).Append(" — ").AppendLine(MdText(OneLine(outcome.Title))).AppendLine();
        foreach (string line in outcome.Statement.ReplaceLineEndings("\n").Split('\n'))
        {
            md.Append("> ").AppendLine(MdText(line));
        }

        md.AppendLine();
        md.AppendLine(MdText(SourceLine(outcome))).AppendLine();
        md.Append("Verdict: **").Append(VerdictText(outcome)).Append("** — ").AppendLine(MdText(outcome.Reason)).AppendLine();
        if (outcome.Fix is not null)
        {
            md.Append("Fix: `").Append(outcome.Fix.Replace('`', '\'')).AppendLine("`").AppendLine();
        }

        AppendAudit(md, outcome);

        if (outcome.Measured.Count == 0)
        {
            md.AppendLine("No measured values.").AppendLine();
        }
        else
        {
            AppendTable(md, MeasuredHeaders, outcome.Measured.Select(v => MeasuredCells(v).Select(MdCell).ToArray()));
        }

        md.AppendLine(MdText(SeedsLine(outcome))).AppendLine();
        md.AppendLine(MdText(DivergenceLine(outcome))).AppendLine();
        md.AppendLine(MdText(RunLine(outcome))).AppendLine();
        foreach (string line in RecoveryLines(outcome))
        {
            md.AppendLine(MdText(line)).AppendLine();
        }

        md.AppendLine(MdText(SetupLine(outcome))).AppendLine();

        if (outcome.Choices.Count > 0)
        {
            md.AppendLine("Choices:").AppendLine();
            foreach (string choice in outcome.Choices)
            {
                md.Append("- ").AppendLine(MdText(OneLine(choice)));
            }

            md.AppendLine();
        }

        foreach (var figure in outcome.Figures)
        {
            md.Append("![").Append(MdLinkText(figure.Title)).Append("](").Append(MdPath(figure.PngPath)).AppendLine(")");
            md.AppendLine();
        }
    }

    /// <summary>The audit (issue 25): scope, the rule in one line, each decisive comparison with its flip point, the control.</summary>
    private static void AppendAudit(StringBuilder md, ClaimOutcome outcome)
    {
        md.AppendLine(MdText(ScopeLine(outcome))).AppendLine();
        md.AppendLine(MdText(RuleLine(outcome))).AppendLine();
        if (outcome.Comparisons.Count > 0)
        {
            AppendTable(md, ComparisonHeaders, outcome.Comparisons.Select(c => ComparisonCells(c).Select(MdCell).ToArray()));
        }

        md.AppendLine(MdText(ControlLine(outcome))).AppendLine();
        if (outcome.Control is { Comparisons.Count: > 0 } control)
        {
            md.AppendLine("The rule on its control:").AppendLine();
            AppendTable(md, ComparisonHeaders, control.Comparisons.Select(c => ComparisonCells(c).Select(MdCell).ToArray()));
        }
    }

    private static void AppendTable(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        md.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        md.Append('|').AppendJoin('|', headers.Select(_ => " --- ")).AppendLine("|");
        foreach (string[] row in rows)
        {
            md.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }

        md.AppendLine();
    }

    /// <summary>
    /// Keeps text literal: GitHub renders inline HTML, so a statement like "a &lt;b&gt; c" would vanish. A lone
    /// '&gt;' only matters at the start of a line, where no caller puts text unprefixed, so "&gt;= 0.95" stays as typed.
    /// </summary>
    internal static string MdText(string text) => text.Replace("<", "&lt;", StringComparison.Ordinal);

    /// <summary>A pipe or a newline would end the table cell early.</summary>
    internal static string MdCell(string text) =>
        MdText(text).Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings("<br>");

    private static string MdLinkText(string text) =>
        MdText(OneLine(text)).Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);

    /// <summary>Escapes each segment, so spaces or parentheses in a file name cannot end the link early.</summary>
    private static string MdPath(string path) =>
        string.Join('/', path.Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));
}
