namespace Grokking.Configuration;

/// <summary>
/// Where the Output directories may lie. An empty one would put the cache or the report into the repository root; one
/// that is (or lies in) claims/, baselines/, src/ or .git/ would mix program output into what the repository records
/// (report.json in claims/ is read as a claim file by every later verify). Report and cache directories are resolved
/// against the repository root (as the claim suite does), the runs directory against the working directory (as train does).
/// </summary>
public static class OutputPlacement
{
    /// <summary>The repository's own folders, relative to its root; the root itself is refused too.</summary>
    public static readonly string[] Reserved = ["claims", "baselines", "src", ".git"];

    /// <summary>
    /// Throws an <see cref="OptionsException"/> naming the first Output key that is empty (Output:HistoryFile may be) or lies
    /// in the repository's own folders.
    /// </summary>
    public static void Validate(OutputOptions output, string? repositoryRoot)
    {
        foreach (var (key, value, relativeTo) in Directories(output, repositoryRoot))
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw OptionsException.InvalidValue(key, "is empty; name a directory");
            }

            if (repositoryRoot is not null && Problem(Path.GetFullPath(value, relativeTo), repositoryRoot) is { } problem)
            {
                throw OptionsException.InvalidValue(key, $"'{value}' {problem}; choose a directory of its own (default {Default(key)})");
            }
        }

        // The history file is optional (empty: beside the report), but not a file among what the repository records.
        string history = output.HistoryFile;
        if (history.Length > 0 && repositoryRoot is not null && Problem(Path.GetFullPath(history, repositoryRoot), repositoryRoot) is { } where)
        {
            throw OptionsException.InvalidValue(
                "Output:HistoryFile", $"'{history}' {where}; choose a file of its own (default history.db in Output:ReportDirectory)");
        }
    }

    private static IEnumerable<(string Key, string Value, string RelativeTo)> Directories(OutputOptions output, string? root)
    {
        string cwd = Directory.GetCurrentDirectory();
        yield return ("Output:ReportDirectory", output.ReportDirectory, root ?? cwd);
        yield return ("Output:CacheDirectory", output.CacheDirectory, root ?? cwd);
        yield return ("Output:RunsDirectory", output.RunsDirectory, cwd);
    }

    private static string? Problem(string directory, string root)
    {
        string full = Trim(directory);
        string rootFull = Trim(Path.GetFullPath(root));
        if (string.Equals(full, rootFull, StringComparison.Ordinal))
        {
            return "is the repository root";
        }

        foreach (string reserved in Reserved)
        {
            string folder = Path.Combine(rootFull, reserved);
            bool inside = full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            if (inside || string.Equals(full, folder, StringComparison.Ordinal))
            {
                return $"lies in the repository's {reserved}/ folder, which holds what the repository records";
            }
        }

        return null;
    }

    private static string Trim(string path) => path.Length > 1 ? path.TrimEnd(Path.DirectorySeparatorChar) : path;

    private static string Default(string key) => key switch
    {
        "Output:ReportDirectory" => new OutputOptions().ReportDirectory,
        "Output:CacheDirectory" => new OutputOptions().CacheDirectory,
        _ => new OutputOptions().RunsDirectory,
    };
}
