namespace Grokking.Claims.Contracts;

/// <summary>
/// Data an experiment reads that the repository does not hold (claims/experiments/&lt;name&gt;.json, "data"): which option
/// names their directory, the files that must be in it, the Debian package that installs them there, and the one command
/// that fixes their absence. A claim whose experiment lacks them is DATA MISSING (skipped, with <see cref="Fix"/>), not
/// an error; the requirement is data so that no code asks which claim it is.
/// </summary>
public sealed class DataRequirement
{
    /// <summary>The option that names the directory, e.g. Data:ImagesDirectory; the caller's configuration may set it.</summary>
    public string Key { get; set; } = "";

    /// <summary>Where <see cref="Package"/> puts the files: the directory used while <see cref="Key"/> is unset.</summary>
    public string Directory { get; set; } = "";

    /// <summary>File names that must be in the directory, each as named or gzipped (name.gz).</summary>
    public List<string> Files { get; set; } = [];

    /// <summary>
    /// Alternative layouts of data the user brings (IMDb as Kaggle's CSV or as the aclImdb tree): the data are there when
    /// every path of one set exists in the directory, as a file or a directory. Empty: <see cref="Files"/> decide alone.
    /// </summary>
    public List<List<string>> AnyOf { get; set; } = [];

    /// <summary>
    /// The Debian package that installs the files into <see cref="Directory"/>; empty for data no package holds (IMDb,
    /// QM9), which the user brings and names with <see cref="Key"/>.
    /// </summary>
    public string Package { get; set; } = "";

    /// <summary>True when no package installs the data: only the user can supply them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool UserSupplied => Package.Length == 0;

    /// <summary>The one command that installs them, printed beside a DATA MISSING claim.</summary>
    public string Fix { get; set; } = "";

    /// <summary>The first problem with the declaration as "field: problem" (fields as named in the file); null when sound.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Key) || !Key.Contains(':', StringComparison.Ordinal))
        {
            return "data.key: must name an option as Section:Key, e.g. Data:ImagesDirectory";
        }

        if (!(UserSupplied && Directory.Length == 0) && !Path.IsPathRooted(Directory))
        {
            return $"data.directory: '{Directory}' must be an absolute path (where the package installs the files)";
        }

        if (Files.Any(f => string.IsNullOrWhiteSpace(f) || f.Contains('/', StringComparison.Ordinal)))
        {
            return "data.files: file names without directories";
        }

        if (Files.Count == 0 && AnyOf.Count == 0)
        {
            return "data.files: must list at least one file name (or data.anyOf the layouts one of which must be there)";
        }

        if (AnyOf.Any(set => set.Count == 0 || set.Any(string.IsNullOrWhiteSpace)))
        {
            return "data.anyOf: every layout lists at least one path";
        }

        if (UserSupplied)
        {
            return Fix.Contains(Key, StringComparison.Ordinal) ? null : $"data.fix: '{Fix}' must say where to put the data, naming {Key}";
        }

        if (string.IsNullOrWhiteSpace(Package) || !Package.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '+'))
        {
            return $"data.package: '{Package}' is not a Debian package name (lower-case letters, digits, '-', '.', '+')";
        }

        return Fix.Contains(Package, StringComparison.Ordinal)
            ? null
            : $"data.fix: '{Fix}' must be the command that installs {Package}";
    }
}
