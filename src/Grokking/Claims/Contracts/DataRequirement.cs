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

    /// <summary>The Debian package that installs the files into <see cref="Directory"/>.</summary>
    public string Package { get; set; } = "";

    /// <summary>The one command that installs them, printed beside a DATA MISSING claim.</summary>
    public string Fix { get; set; } = "";

    /// <summary>The first problem with the declaration as "field: problem" (fields as named in the file); null when sound.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Key) || !Key.Contains(':', StringComparison.Ordinal))
        {
            return "data.key: must name an option as Section:Key, e.g. Data:ImagesDirectory";
        }

        if (!Path.IsPathRooted(Directory))
        {
            return $"data.directory: '{Directory}' must be an absolute path (where the package installs the files)";
        }

        if (Files.Count == 0 || Files.Any(f => string.IsNullOrWhiteSpace(f) || f.Contains('/', StringComparison.Ordinal)))
        {
            return "data.files: must list at least one file name, without directories";
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
