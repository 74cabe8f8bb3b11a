using System.Globalization;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Plots;

namespace Grokking.Report;

/// <summary>
/// One claim over the history's entries, as PNG and SVG (<c>grokking history</c>): a panel of its verdict per entry, and a
/// panel per decisive comparison with each entry's estimate, its 95 % interval as a bar and the latest threshold as a
/// dashed line. Entries are on x by id; runs on another device or dtype are their own series, never joined to these.
/// </summary>
public static class HistoryChart
{
    private const int PanelWidth = 520;
    private const int PanelHeight = 380;
    private const int Columns = 3;

    /// <summary>The verdicts on the verdict panel's axis, best at the top; no verdict (error, data missing) below them.</summary>
    private static readonly Verdict[] Ladder = [Verdict.DataMissing, Verdict.Error, Verdict.Refuted, Verdict.Inconclusive, Verdict.Confirmed];

    /// <summary>Writes <c>&lt;claim&gt;.png</c> and <c>.svg</c> into <paramref name="directory"/>; the entries are those holding the claim.</summary>
    public static IReadOnlyList<string> Write(string directory, string claim, IReadOnlyList<HistoryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var points = entries
            .Select(e => (e.Run, Claim: e.Claims.FirstOrDefault(c => string.Equals(c.Id, claim, StringComparison.Ordinal))))
            .Where(p => p.Claim is not null)
            .Select(p => (p.Run, Claim: p.Claim!))
            .ToList();
        if (points.Count == 0)
        {
            throw new ArgumentException($"no entry holds claim {claim}", nameof(claim));
        }

        var xTicks = points.Count <= 16 ? points.Select(p => ((double)p.Run.Id, p.Run.Name)).ToList() : null;
        var groups = points.GroupBy(p => Group(p.Run)).ToList();
        var panels = new List<ScottPlot.Plot>
        {
            IntervalChart.Build(
                "verdict",
                "history entry",
                "",
                [.. groups.Select(g => Series(g.Key, [.. g.Select(p => (p.Run.Id, Rung(p.Claim.Verdict), double.NaN, double.NaN))]))],
                xTicks: xTicks,
                yTicks: [.. Ladder.Select((v, i) => ((double)i, ReportText.Badge(v)))]),
        };

        var keys = points.SelectMany(p => p.Claim.Comparisons.Select(c => c.Key)).Distinct(StringComparer.Ordinal).ToList();
        foreach (string key in keys)
        {
            var latest = points.Select(p => p.Claim.Comparisons.FirstOrDefault(c => c.Key == key)).Last(c => c is not null)!;
            var series = groups.Select(g => Series(g.Key, [.. g
                .Select(p => (p.Run.Id, Comparison: p.Claim.Comparisons.FirstOrDefault(c => c.Key == key)))
                .Where(p => p.Comparison is not null)
                .Select(p => (p.Id, p.Comparison!.Estimate, p.Comparison.Low, p.Comparison.High))]));
            string rule = $"{latest.Quantity} {Relations.Symbol(latest.Relation)} {ReportText.Number(latest.Threshold)}";
            panels.Add(IntervalChart.Build(Wrapped(rule), "history entry", latest.Unit, [.. series], latest.Threshold, xTicks));
        }

        string title = $"{claim}: {ReportText.OneLine(points[^1].Claim.Title)} — {points.Count.ToString(CultureInfo.InvariantCulture)} "
            + $"entries at profile {points[^1].Run.Environment.Profile.Name}";
        Directory.CreateDirectory(directory);
        return GridChart.Write(directory, FileName(claim), title, panels, Columns, PanelWidth, PanelHeight);
    }

    /// <summary>The claim's id as a file name: ids come from files a user may hand over, so nothing in them may name a folder.</summary>
    public static string FileName(string claim) =>
        string.Concat(claim.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));

    /// <summary>A panel title in lines of at most about 48 characters (a panel is 520 pixels wide; ScottPlot does not wrap).</summary>
    internal static string Wrapped(string text, int width = 48)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(word);
        }

        lines.Add(line.ToString());
        return string.Join('\n', lines);
    }

    /// <summary>Runs whose values are comparable share a series: one device and one dtype.</summary>
    private static string Group(HistoryRun run) =>
        $"{run.Environment.Device} · {(run.Environment.Dtype.Length == 0 ? "dtype?" : run.Environment.Dtype)}";

    private static double Rung(Verdict verdict) => Array.IndexOf(Ladder, verdict);

    private static IntervalSeries Series(string label, IReadOnlyList<(long Id, double Y, double Low, double High)> points) => new(
        label, [.. points.Select(p => (double)p.Id)], [.. points.Select(p => p.Y)], [.. points.Select(p => p.Low)], [.. points.Select(p => p.High)]);
}
