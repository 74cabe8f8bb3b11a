using System.Text.RegularExpressions;
using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims;

/// <summary>
/// Checks an experiment's declared alternatives when the catalog loads: a name that can be a folder, once per experiment;
/// the choice and reason written; profiles that exist; a layer that resolves at each of them (a mistyped key fails here,
/// naming the variant, not hours later in a run).
/// </summary>
internal static partial class VariantValidator
{
    public static void Validate(ExperimentDefinition experiment)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (variant, index) in experiment.Variants.Select((v, i) => (v, i)))
        {
            string at = $"variants[{index}]";
            Require(experiment, $"{at}.name", Name().IsMatch(variant.Name), "is not lower-case words and numbers joined by '-' (a folder name)");
            Require(experiment, $"{at}.name", names.Add(variant.Name), $"'{variant.Name}' is declared twice");
            Require(experiment, $"{at}.choice", variant.Choice.Trim().Length > 0, "is empty: name the open choice it varies");
            Require(experiment, $"{at}.reason", variant.Reason.Trim().Length > 0, "is empty: say why this alternative, before it runs");
            Require(experiment, $"{at}.layers", variant.Layers.Count > 0, "is empty: name the profiles it runs at, each with its layer");
            foreach (var (name, layer) in variant.Layers)
            {
                Require(experiment, $"{at}.layers.{name}", ProfileNames.TryParse(name, out var profile), "is not a profile");
                Require(experiment, $"{at}.layers.{name}", layer.Count > 0, "is empty: a variant changes at least one setting");
                ResolvesAt(experiment, layer, profile, $"{at}.layers.{name}");
            }
        }
    }

    private static void ResolvesAt(ExperimentDefinition experiment, System.Text.Json.Nodes.JsonObject layer, Profile profile, string at)
    {
        try
        {
            ExperimentResolver.Resolve(experiment, profile, variant: layer);
        }
        catch (ClaimDefinitionException e)
        {
            throw new ClaimDefinitionException(experiment.File, at, $"does not resolve: {e.Message}");
        }
    }

    private static void Require(ExperimentDefinition experiment, string field, bool holds, string problem)
    {
        if (!holds)
        {
            throw new ClaimDefinitionException(experiment.File, field, problem);
        }
    }

    [GeneratedRegex("^[a-z0-9]+([-.][a-z0-9]+)*$")]
    private static partial Regex Name();
}
