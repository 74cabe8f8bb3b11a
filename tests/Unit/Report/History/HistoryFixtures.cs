using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Report;

namespace Grokking.Tests.Unit.Report.History;

/// <summary>Small history entries and report.json files written by the real renderer, for the history and diff tests.</summary>
internal static class HistoryFixtures
{
    public static ReportEnvironment Environment(string commit = "aaaa000000000000000000000000000000000000", string device = "cpu") =>
        ReportFixtures.Environment with { GitCommit = commit, Device = device, GitDirty = false, GitDiffHash = null };

    /// <summary>A comparison with its estimate and interval as given (threshold 0.5, at most).</summary>
    public static HistoryComparison Comparison(string key, double estimate, double low, double high, Verdict verdict = Verdict.Confirmed) =>
        new(key, key + " quantity", "", Relation.AtMost, 0.5, estimate, low, high, verdict);

    public static HistoryClaim Claim(string id, Verdict verdict, params HistoryComparison[] comparisons) =>
        new(id, id + " title", verdict, verdict, "because", comparisons, [new HistoryMeasured("m", "measured thing", "steps", 12)]);

    public static HistoryEntry Entry(string commit, params HistoryClaim[] claims) =>
        new(new HistoryRun(0, DateTimeOffset.UnixEpoch, "test", Environment(commit)), claims);

    /// <summary>A report.json of the fixtures' two claims (the renderer's own output) at <paramref name="path"/>, with these changes.</summary>
    public static string WriteReport(string path, string commit, Verdict firstVerdict = Verdict.Confirmed, double scale = 1)
    {
        var first = ReportFixtures.Confirmed with
        {
            Verdict = firstVerdict,
            Comparisons =
            [
                .. ReportFixtures.Confirmed.Comparisons
                    .Select(c => c with { Estimate = c.Estimate * scale, Low = c.Low * scale, High = c.High * scale }),
            ],
        };
        var document = new ReportDocument(Environment(commit), [first, ReportFixtures.Refuted]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonReportRenderer.Render(document));
        return path;
    }

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "grokking-tests", "history-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
