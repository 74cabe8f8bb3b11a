using Grokking.Configuration;

namespace Grokking.Report;

/// <summary>Where the history file is: Output:HistoryFile, or history.db in the report folder (both resolved as the report folder is).</summary>
public static class HistoryLocation
{
    /// <summary>
    /// The full path; relative settings are resolved against <paramref name="repositoryRoot"/> (the working directory without one).
    /// </summary>
    public static string Of(OutputOptions output, string? repositoryRoot)
    {
        ArgumentNullException.ThrowIfNull(output);
        string root = repositoryRoot ?? Directory.GetCurrentDirectory();
        string file = output.HistoryFile.Trim().Length > 0
            ? output.HistoryFile
            : Path.Combine(output.ReportDirectory, HistoryStore.FileName);
        return Path.GetFullPath(file, root);
    }
}
