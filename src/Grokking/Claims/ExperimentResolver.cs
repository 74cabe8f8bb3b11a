using System.Text;
using System.Text.Json.Nodes;
using Grokking.Configuration;
using Microsoft.Extensions.Configuration;

namespace Grokking.Claims;

/// <summary>
/// Resolves an experiment to typed options for a profile: built-in defaults, the experiment's options, then its
/// profile layer. Environment variables and --set do not reach experiments (they would silently change what a
/// claim measures); only Runtime settings are taken from the caller's configuration.
/// </summary>
public static class ExperimentResolver
{
    public static GrokkingOptions Resolve(ExperimentDefinition experiment, Profile profile, RuntimeOptions? runtime = null)
    {
        var builder = new ConfigurationBuilder();
        builder.AddJsonStream(GrokkingConfiguration.DefaultsStream());
        builder.AddJsonStream(Stream(experiment.Options));
        string key = profile.ToString().ToLowerInvariant();
        var layer = experiment.Profiles.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        if (layer is not null)
        {
            builder.AddJsonStream(Stream(layer));
        }

        builder.AddInMemoryCollection(new Dictionary<string, string?> { ["Profile"] = key });
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

    private static MemoryStream Stream(JsonObject json) => new(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
