namespace Grokking.Report;

/// <summary>
/// A report.json read back as a history entry: its environment (the provenance) and, per claim, the verdicts, the
/// comparisons with their intervals and the measured values. What it cannot read (not JSON, a schema this version does not
/// know, a field missing, two claims of one id) is one <see cref="HistoryInputException"/> naming the file.
/// </summary>
public static class HistoryReportReader
{
    /// <summary>The report.json versions whose fields the history reads: 2 added the comparisons, 3 the error and dataMissing verdicts.</summary>
    public static IReadOnlyList<int> Versions { get; } = [2, 3];

    /// <summary>Reads <paramref name="path"/>: a report.json, or a report folder holding one.</summary>
    public static HistoryEntry Read(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, ClaimReport.JsonFile) : path;
        if (!File.Exists(file))
        {
            throw new HistoryInputException($"{file}: no such report (a report.json that 'grokking verify' wrote, or its folder)");
        }

        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HistoryInputException($"{file}: cannot be read ({e.Message})", e);
        }

        return Parse(json, Path.GetFullPath(file), new DateTimeOffset(File.GetLastWriteTimeUtc(file), TimeSpan.Zero));
    }

    /// <summary>The entry a report's JSON text holds; <paramref name="source"/> names it in errors and in the entry.</summary>
    public static HistoryEntry Parse(string json, string source, DateTimeOffset recorded)
    {
        var report = HistoryJson.Deserialize<ReportFile>(json, $"{source}: not a readable report.json");
        if (!Versions.Contains(report.SchemaVersion))
        {
            throw new HistoryInputException(
                $"{source}: report.json schema version {report.SchemaVersion} is not one this grokking reads ({string.Join(", ", Versions)})");
        }

        Check(report.Claims, source);
        return new HistoryEntry(new HistoryRun(0, recorded, source, report.Environment), report.Claims);
    }

    /// <summary>
    /// Every claim once and whole, every comparison key once in its claim: the diff matches claims and comparisons on them.
    /// Used for the history's own rows too.
    /// </summary>
    internal static void Check(IReadOnlyList<HistoryClaim> claims, string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            if (claim is null || claim.Comparisons.Any(c => c is null) || claim.Measured.Any(m => m is null))
            {
                throw new HistoryInputException($"{source}: a claim or one of its values is null");
            }

            if (claim.Id.Length == 0 || !seen.Add(claim.Id))
            {
                throw new HistoryInputException($"{source}: claim id '{claim.Id}' is {(claim.Id.Length == 0 ? "empty" : "listed twice")}");
            }

            var twice = claim.Comparisons.GroupBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (twice is not null)
            {
                throw new HistoryInputException($"{source}: claim {claim.Id} lists comparison '{twice.Key}' twice");
            }
        }
    }

    /// <summary>The fields of report.json the history reads; the rest (statements, figures, agreement) it leaves.</summary>
    private sealed record ReportFile(int SchemaVersion, ReportEnvironment Environment, IReadOnlyList<HistoryClaim> Claims);
}
