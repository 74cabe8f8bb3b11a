using System.Globalization;
using System.Text.RegularExpressions;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Report;

/// <summary>
/// What the history's commands do (issue 30), for the command line to call: record a verify's report.json, show claims
/// over the history with a plot each, and compare two reports or entries.
/// </summary>
public static class HistoryActions
{
    /// <summary>The folder of the report directory that <c>grokking history</c> draws its plots into.</summary>
    public const string PlotFolder = "history";

    /// <summary>
    /// Appends the report.json at <paramref name="report"/> (a file or its folder) to the history at <paramref name="history"/>,
    /// created when missing; returns the line saying where. <paramref name="source"/> names the entry's origin (null: the file).
    /// </summary>
    public static string Record(string history, string report, string? source = null)
    {
        var entry = HistoryReportReader.Read(report);
        if (source is not null)
        {
            entry = entry with { Run = entry.Run with { Source = source, Recorded = DateTimeOffset.UtcNow } };
        }

        long id = HistoryStore.Open(history, create: true).Append(entry);
        return $"history: entry #{id.ToString(CultureInfo.InvariantCulture)} in {history}";
    }

    /// <summary>
    /// Prints the entries at <paramref name="profile"/> and, per claim (those <paramref name="patterns"/> match; none: all),
    /// its last <paramref name="last"/> results; draws each claim over every entry into <paramref name="plots"/>.
    /// </summary>
    public static int Show(string history, Profile profile, IReadOnlyList<string> patterns, int last, string plots, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var store = HistoryStore.Open(history, create: false);
        var runs = store.Runs(profile);
        int elsewhere = store.Runs().Count - runs.Count;
        string others = elsewhere == 0 ? "" : $" ({elsewhere.ToString(CultureInfo.InvariantCulture)} at other profiles: --profile)";
        output.WriteLine($"history {store.FilePath}: {runs.Count.ToString(CultureInfo.InvariantCulture)} entries at profile {profile.Name}{others}");
        if (runs.Count == 0)
        {
            return 0;
        }

        var entries = store.Entries([.. runs.Select(r => r.Id)]);
        var shown = entries.Skip(Math.Max(0, entries.Count - last)).ToList();
        output.Write(HistoryListing.Entries(shown));
        foreach (string claim in Claims(entries, patterns, profile))
        {
            var files = HistoryChart.Write(plots, claim, entries);
            var title = entries.Select(e => e.Claims.FirstOrDefault(c => c.Id == claim)).Last(c => c is not null)!.Title;
            output.WriteLine();
            output.WriteLine($"{claim} — {ReportText.OneLine(title)} (plot {files[0]})");
            output.Write(HistoryListing.Claim(claim, shown));
        }

        return 0;
    }

    /// <summary>
    /// Compares <paramref name="before"/> with <paramref name="after"/> (each a report.json or a history entry, see
    /// <see cref="HistoryReference"/>), prints the Markdown, and writes it to <paramref name="markdown"/> when given.
    /// </summary>
    public static int Diff(string before, string after, string history, Profile profile, string? markdown, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        HistoryStore? store = null;
        HistoryStore Store() => store ??= HistoryStore.Open(history, create: false);
        var a = HistoryReference.Resolve(before, Store, profile);
        var b = HistoryReference.Resolve(after, Store, profile);
        string text = ReportDiffMarkdown.Render(ReportDiff.Of(a, b));
        output.Write(text);
        if (markdown is not null)
        {
            string full = Path.GetFullPath(markdown);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            AtomicFile.WriteAllText(full, text);
        }

        return 0;
    }

    /// <summary>
    /// The claims the patterns select (shell patterns, case-insensitive), in the newest entry's order then the rest; a pattern
    /// that matches no claim of the history is an error naming it.
    /// </summary>
    private static List<string> Claims(IReadOnlyList<HistoryEntry> entries, IReadOnlyList<string> patterns, Profile profile)
    {
        var known = entries.Reverse().SelectMany(e => e.Claims.Select(c => c.Id)).Distinct(StringComparer.Ordinal).ToList();
        if (patterns.Count == 0)
        {
            return known;
        }

        var regexes = patterns.Select(p => (Pattern: p, Regex: ShellPattern(p.Trim()))).ToList();
        foreach (var (pattern, regex) in regexes)
        {
            if (pattern.Trim().Length == 0 || !known.Any(regex.IsMatch))
            {
                string problem = pattern.Trim().Length == 0 ? "is empty" : $"matches no claim in the history at profile {profile.Name}";
                throw OptionsException.InvalidValue("CLAIM", $"'{pattern}' {problem}; it holds {string.Join(", ", known)}");
            }
        }

        return [.. known.Where(id => regexes.Any(r => r.Regex.IsMatch(id)))];
    }

    private static Regex ShellPattern(string pattern) => new(
        "^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
