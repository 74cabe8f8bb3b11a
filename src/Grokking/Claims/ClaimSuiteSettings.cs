using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>Where a claim suite runs from and writes to.</summary>
public sealed record ClaimSuiteSettings(
    string RepositoryRoot,
    Profile Profile,
    RuntimeOptions Runtime,
    string ReportDirectory,
    string CacheDirectory)
{
    public string ClaimsDirectory => Path.Combine(RepositoryRoot, "claims");

    public string BaselinesDirectory => Path.Combine(RepositoryRoot, "baselines");

    public static ClaimSuiteSettings From(GrokkingOptions options, string? repositoryRoot = null)
    {
        string root = repositoryRoot ?? RepositoryLocator.Find();
        string Rooted(string path) => Path.IsPathRooted(path) ? path : Path.Combine(root, path);
        return new ClaimSuiteSettings(
            root,
            options.Profile,
            options.Runtime,
            Rooted(options.Output.ReportDirectory),
            Rooted(options.Output.CacheDirectory));
    }
}
