using Grokking.Configuration;
using Microsoft.Extensions.Configuration;
using Grokking.Claims.Contracts;

namespace Grokking.Claims;

/// <summary>
/// Resolves an experiment to typed options for a profile: built-in defaults, the options of the experiment and of
/// the experiments it extends (base first), then their profile layers (base first). Environment variables and --set
/// do not reach experiments (they would silently change what a claim measures); only Runtime settings are taken from
/// the caller's configuration, and the key of the experiment's data requirement (where the data are on this machine).
/// </summary>
public static class ExperimentResolver
{
    /// <summary>
    /// Every setting in which the profile's setup differs from the paper profile's, as "Section:Key: paper -> profile"
    /// (empty for the paper profile): the list the report prints beside the claim.
    /// </summary>
    public static IReadOnlyList<string> ChangesFromPaper(ExperimentDefinition experiment, Profile profile)
    {
        if (profile == Profile.Paper)
        {
            return [];
        }

        var paper = Flatten(Resolve(experiment, Profile.Paper));
        var reduced = Flatten(Resolve(experiment, profile));
        return reduced.Keys.Union(paper.Keys)
            .Where(k => paper.GetValueOrDefault(k) != reduced.GetValueOrDefault(k))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}: {paper.GetValueOrDefault(k) ?? "-"} -> {reduced.GetValueOrDefault(k) ?? "-"}")
            .ToList();
    }

    private static Dictionary<string, string?> Flatten(GrokkingOptions options)
    {
        var setup = new { options.Data, options.Model, options.Optimizer, options.Train, options.Population, options.Landscape };
        // Empty lists stay out, as they did before an empty array was flattened to a value: the printed changes are unchanged.
        return JsonLayers.Merge([System.Text.Json.JsonSerializer.SerializeToNode(setup, Training.RunDirectory.Json)])
            .Where(kv => kv.Value != JsonLayers.EmptyArray)
            .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.OrdinalIgnoreCase);
    }

    /// <param name="locations">
    /// The caller's settings: the one named by the experiment's data requirement (<see cref="DataRequirement.Key"/>), when
    /// present, says where its data are on this machine and is applied last; no other key is read.
    /// </param>
    /// <param name="variant">An alternative's layer (<see cref="ExperimentVariant.Layer"/>), applied after the profile's.</param>
    public static GrokkingOptions Resolve(
        ExperimentDefinition experiment,
        Profile profile,
        RuntimeOptions? runtime = null,
        IReadOnlyDictionary<string, string?>? locations = null,
        System.Text.Json.Nodes.JsonObject? variant = null)
    {
        string key = profile.Name;
        var chain = new List<ExperimentDefinition>();
        for (var e = experiment; e is not null; e = e.Base)
        {
            chain.Insert(0, e);
        }

        var layers = new List<System.Text.Json.Nodes.JsonNode?>
        {
            JsonLayers.Read(GrokkingConfiguration.DefaultsStream(), "defaults.json"),
        };
        layers.AddRange(chain.Select(e => e.Options));
        layers.AddRange(chain.Select(e => ProfileLayer(e, key)));
        layers.Add(variant);
        var merged = JsonLayers.Merge(layers);
        merged["Profile"] = key;
        if (experiment.DataOrBase is { } data && locations?.GetValueOrDefault(data.Key) is { } location)
        {
            merged[data.Key] = location;
        }

        var builder = new ConfigurationBuilder().AddInMemoryCollection(merged);
        try
        {
            var options = OptionsBinder.Bind<GrokkingOptions>(builder.Build());
            if (runtime is not null)
            {
                options.Runtime = runtime;
            }

            return options;
        }
        catch (OptionsException e)
        {
            throw new ClaimDefinitionException(experiment.File, $"options/profiles.{key}: {e.Key}", e.Message);
        }
    }

    /// <summary>The experiment's own layer for the profile (its key matched ignoring case), null when it has none.</summary>
    private static System.Text.Json.Nodes.JsonObject? ProfileLayer(ExperimentDefinition experiment, string profile) =>
        experiment.Profiles.FirstOrDefault(p => string.Equals(p.Key, profile, StringComparison.OrdinalIgnoreCase)).Value;
}
