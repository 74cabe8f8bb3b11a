using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Grokking.Configuration;

/// <summary>
/// Layers, lowest first: built-in defaults, the profile (smoke | ci | paper), JSON files, GROKKING__Section__Key
/// environment variables, and --set Section:Key=value overrides. The profile itself may be chosen by any layer
/// above it (GROKKING__Profile=paper, --set Profile=smoke).
/// </summary>
public static class GrokkingConfiguration
{
    public const string EnvironmentPrefix = "GROKKING__";

    /// <summary>
    /// The typed options. An error names the layer that set the key when it is the user's (a --config file, an environment
    /// variable by its name, a --set override); defaults and profiles are the program's own and are tested. With the
    /// repository root, the Output directories are also checked against the repository's own folders.
    /// </summary>
    public static GrokkingOptions Load(ConfigurationSources? sources = null, string? repositoryRoot = null)
    {
        sources ??= new ConfigurationSources();
        try
        {
            var options = OptionsBinder.Bind<GrokkingOptions>(Build(sources));
            OutputPlacement.Validate(options.Output, repositoryRoot);
            return options;
        }
        catch (OptionsException e) when (e.Key != "--config" && ConfigurationOrigins.Of(sources).Find(e.Key) is { } origin)
        {
            throw new OptionsException(e.Key, $"{e.Message} (set by {origin})");
        }
    }

    public static IConfigurationRoot Build(ConfigurationSources sources)
    {
        var overrides = ParseOverrides(sources.Overrides ?? []);
        var files = (sources.JsonFiles ?? []).Select(ReadFile).ToList();

        // The profile may itself be chosen by a file, a variable or --set, so it is read from those first.
        var upper = AddUpperLayers(new ConfigurationBuilder().AddInMemoryCollection(JsonLayers.Merge(files)), sources, overrides).Build();
        var profile = ResolveProfile(upper["Profile"]);

        // JSON layers are merged here (arrays replace arrays); variables and --set address single keys on top.
        var merged = JsonLayers.Merge([
            JsonLayers.Read(Resource("defaults.json"), "defaults.json"),
            JsonLayers.Read(Resource($"profile.{profile.Name}.json"), "profile"),
            .. files]);
        return AddUpperLayers(new ConfigurationBuilder().AddInMemoryCollection(merged), sources, overrides).Build();
    }

    private static System.Text.Json.Nodes.JsonNode? ReadFile(string file)
    {
        if (!File.Exists(file))
        {
            string problem = Directory.Exists(file) ? "is a directory; name a JSON file" : "does not exist";
            throw new OptionsException("--config", $"Configuration file '{file}' {problem}");
        }

        try
        {
            using var stream = File.OpenRead(Path.GetFullPath(file));
            return JsonLayers.Read(stream, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException("--config", $"Configuration file '{file}' cannot be read: {e.Message}");
        }
    }

    public static Profile ResolveProfile(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Profile.Ci;
        }

        return ProfileNames.TryParse(value.Trim(), out var p)
            ? p
            : throw OptionsException.InvalidValue("Profile", $"'{value}'; allowed: {string.Join(", ", ProfileNames.All)}");
    }

    /// <summary>Parses "Section:Key=value" overrides (the CLI's --set).</summary>
    public static IReadOnlyDictionary<string, string?> ParseOverrides(IEnumerable<string> overrides)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (string item in overrides)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new OptionsException(item, $"Invalid override '{item}': expected Section:Key=value");
            }

            result[item[..eq].Trim().Replace("__", ":", StringComparison.Ordinal)] = item[(eq + 1)..];
        }

        return result;
    }

    /// <summary>The layers that address single keys: GROKKING__ variables, then --set.</summary>
    private static IConfigurationBuilder AddUpperLayers(
        IConfigurationBuilder builder, ConfigurationSources sources, IReadOnlyDictionary<string, string?> overrides)
    {
        if (sources.EnvironmentVariables)
        {
            builder.AddEnvironmentVariables(EnvironmentPrefix);
        }

        return builder.AddInMemoryCollection(overrides);
    }

    /// <summary>The built-in defaults layer (experiments resolve on top of it).</summary>
    public static Stream DefaultsStream() => Resource("defaults.json");

    private static Stream Resource(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream($"Grokking.Configuration.{name}")
        ?? throw new InvalidOperationException($"embedded configuration {name} is missing");
}
