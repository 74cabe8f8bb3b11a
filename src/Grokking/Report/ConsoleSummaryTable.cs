using System.Text;
using Grokking.Claims.Contracts;
using static Grokking.Report.AuditText;
using static Grokking.Report.ReportText;

namespace Grokking.Report;

/// <summary>A plain-text fixed-width table of the outcomes and their verdict counts, for the console.</summary>
internal static class ConsoleSummaryTable
{
    private const int TitleWidth = 50;

    private static readonly string[] Headers = ["Claim", "Verdict", "Control", "Title", "Key measured vs paper"];

    /// <remarks>Takes the outcomes, not a <see cref="ReportDocument"/>: the console has no environment to show.</remarks>
    public static string Render(IReadOnlyList<ClaimOutcome> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);

        var rows = claims
            .Select(o => new[]
            {
                OneLine(o.Id), VerdictText(o), ControlCell(o), Truncate(OneLine(o.Title), TitleWidth), OneLine(KeyMeasured(o)),
            })
            .ToList();
        int[] widths =
            [.. Headers.Select((header, column) => rows.Select(r => r[column].Length).Append(header.Length).Max())];

        var text = new StringBuilder();
        AppendRow(text, Headers, widths);
        AppendRow(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (string[] row in rows)
        {
            AppendRow(text, row, widths);
        }

        text.AppendLine(CountsLine(ReportCounts.Of(claims)));
        text.AppendLine(ControlsLine(ControlCounts.Of(claims)));
        foreach (string line in RecoveryLines(claims))
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    private static string Truncate(string text, int width) => text.Length <= width ? text : text[..(width - 3)] + "...";

    private static void AppendRow(StringBuilder text, string[] cells, int[] widths)
    {
        for (int column = 0; column < cells.Length; column++)
        {
            bool last = column == cells.Length - 1;
            // The last column is left unpadded: trailing spaces only make narrow consoles wrap.
            text.Append(last ? cells[column] : cells[column].PadRight(widths[column] + 2));
        }

        text.AppendLine();
    }
}
