namespace Grokking.Report;

/// <summary>
/// One verify's entry in the history: its id there (0 before it is stored), when and from what it was recorded (a verify,
/// or the report.json file added), and its provenance, the report's environment whole.
/// </summary>
public sealed record HistoryRun(long Id, DateTimeOffset Recorded, string Source, ReportEnvironment Environment)
{
    /// <summary>"#12" for a stored entry, else the file it came from.</summary>
    public string Name => Id > 0 ? $"#{Id.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Source;
}
