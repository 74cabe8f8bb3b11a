namespace Grokking.Configuration;

public sealed class OutputOptions
{
    public string RunsDirectory { get; set; } = "runs";

    public string CacheDirectory { get; set; } = ".cache/runs";

    public string ReportDirectory { get; set; } = "report";

    /// <summary>
    /// The history of verifies (issue 30), one SQLite file; empty: history.db in <see cref="ReportDirectory"/>. Relative
    /// paths are resolved against the repository root, as the report directory is.
    /// </summary>
    public string HistoryFile { get; set; } = "";
}
