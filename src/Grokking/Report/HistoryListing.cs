using System.Globalization;
using System.Text;
using static Grokking.Report.ReportText;

namespace Grokking.Report;

/// <summary>
/// The history as text (<c>grokking history</c>): the entries, one line each with their provenance and verdict counts, then
/// per claim each entry's verdict, its comparisons (estimate, 95 % interval, threshold) and its measured values.
/// </summary>
public static class HistoryListing
{
    public static string Entries(IReadOnlyList<HistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            var e = entry.Run.Environment;
            text.Append("  ").Append(Head(entry.Run)).Append("  ").Append(e.Engine.Length == 0 ? "engine ?" : e.Engine).Append("  ")
                .Append(entry.Claims.Count.ToString(CultureInfo.InvariantCulture)).Append(" claims: ")
                .AppendLine(CountsLine(ReportCounts.Of([.. entry.Claims.Select(c => c.Verdict)])));
        }

        return text.ToString();
    }

    /// <summary>One claim over the entries that hold it.</summary>
    public static string Claim(string claim, IReadOnlyList<HistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            if (entry.Claims.FirstOrDefault(c => c.Id == claim) is not { } result)
            {
                continue;
            }

            text.Append("  ").Append(Head(entry.Run)).Append("  ").AppendLine(ReportDiffMarkdown.VerdictText(result));
            foreach (var c in result.Comparisons)
            {
                text.Append("      ").Append(c.Key).Append(": ").Append(c.Quantity).Append(' ').Append(Relations(c)).Append(' ')
                    .Append(Number(c.Threshold)).Append(" — ").Append(ReportDiffMarkdown.Estimate(c)).Append(", ").AppendLine(Badge(c.Verdict));
            }

            if (result.Measured.Count > 0)
            {
                var values = result.Measured.Select(m => $"{m.Name} {Number(m.Value)}{(m.Unit.Length == 0 ? "" : " ")}{m.Unit}");
                text.Append("      measured: ").AppendLine(string.Join("; ", values));
            }
        }

        return text.ToString();
    }

    /// <summary>"#3  2026-11-24 10:00 UTC  0123456789ab (clean)  cpu · float32".</summary>
    private static string Head(HistoryRun run)
    {
        var e = run.Environment;
        string started = e.Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        return $"{run.Name,-5}  {started} UTC  {ReportDiffMarkdown.CommitText(e)}  {e.Device} · {(e.Dtype.Length == 0 ? "dtype ?" : e.Dtype)}";
    }

    private static string Relations(HistoryComparison c) => Claims.Contracts.Relations.Symbol(c.Relation);
}
