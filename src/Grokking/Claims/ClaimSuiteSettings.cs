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

    /// <summary>
    /// The caller's Data settings as "Data:Key" pairs (those it set; unset optional ones are absent). Only the key an
    /// experiment's data requirement names is read from them: where that data set is on this machine.
    /// </summary>
    public IReadOnlyDictionary<string, string?> DataLocations { get; init; } = new Dictionary<string, string?>();

    public static ClaimSuiteSettings From(GrokkingOptions options, string? repositoryRoot = null)
    {
        string root = repositoryRoot ?? RepositoryLocator.Find();
        string Rooted(string path) => Path.IsPathRooted(path) ? path : Path.Combine(root, path);
        var data = System.Text.Json.JsonSerializer.SerializeToNode(new { options.Data }, Training.RunDirectory.Json);
        return new ClaimSuiteSettings(
            root,
            options.Profile,
            options.Runtime,
            Rooted(options.Output.ReportDirectory),
            Rooted(options.Output.CacheDirectory))
        {
            DataLocations = JsonLayers.Merge([data]),
        };
    }
}
