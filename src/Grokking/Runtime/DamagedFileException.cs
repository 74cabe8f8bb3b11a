namespace Grokking.Runtime;

/// <summary>
/// A file the program wrote (a checkpoint, a snapshot) that cannot be what it says it is: truncated, padded, of another
/// format, or with a field out of range. Its message is one line, "PATH: PROBLEM[; RECOVERY]", so that the command line
/// can print it as it is (exit code 1) and a user knows which file to delete or regenerate; nothing reads such a file
/// as valid with zeros or defaults in place of what is missing.
/// </summary>
public sealed class DamagedFileException(string path, string problem, string? recovery = null)
    : Exception(recovery is null ? $"{path}: {problem}" : $"{path}: {problem}; {recovery}")
{
    public string FilePath { get; } = path;

    public string Problem { get; } = problem;

    public string? Recovery { get; } = recovery;

    /// <summary>The same damage with what to do about it, as the caller who knows the file's role can say.</summary>
    public DamagedFileException WithRecovery(string what) => new(FilePath, Problem, what);
}
