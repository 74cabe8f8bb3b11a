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

    /// <summary>An alternative the suite's runs of one experiment are resolved under ('verify --variants'); null: none.</summary>
    public VariantChoice? Variant { get; init; }

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

/// <summary>One declared alternative of one experiment (<see cref="Contracts.ExperimentVariant"/>).</summary>
public sealed record VariantChoice(string Experiment, Contracts.ExperimentVariant Variant)
{
    /// <summary>
    /// Its layer for <paramref name="experiment"/> at <paramref name="profile"/>: the variant's own when the experiment is the
    /// one that declares it or extends it (an arm of the setup); null otherwise, or where it declares no layer for the profile.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject? LayerFor(Contracts.ExperimentDefinition experiment, Profile profile)
    {
        for (var e = experiment; e is not null; e = e.Base)
        {
            if (e.Name == Experiment)
            {
                return Variant.Layers.FirstOrDefault(l => ProfileNames.TryParse(l.Key, out var p) && p == profile).Value;
            }
        }

        return null;
    }
}
