using System.Collections;

namespace Grokking.Configuration;

/// <summary>
/// Which of the user's layers set each key last: a --config file, a GROKKING__ environment variable (by its own name,
/// as the user typed it) or a --set override. A configuration error names its source with this, because the key alone
/// does not say where to fix it (GROKKING__Train__Epochs=bad is found in the environment, not in any file).
/// </summary>
public sealed class ConfigurationOrigins
{
    private readonly Dictionary<string, (string Origin, int Rank)> byKey = new(StringComparer.OrdinalIgnoreCase);

    private ConfigurationOrigins()
    {
    }

    /// <summary>Every key the user's layers set, with the layer that set it last.</summary>
    public IEnumerable<(string Key, string Origin)> All =>
        byKey.OrderByDescending(k => k.Value.Rank).ThenBy(k => k.Key, StringComparer.Ordinal).Select(k => (k.Key, k.Value.Origin));

    public static ConfigurationOrigins Of(ConfigurationSources sources)
    {
        var origins = new ConfigurationOrigins();
        foreach (string file in sources.JsonFiles ?? [])
        {
            foreach (string key in FileKeys(file))
            {
                origins.byKey[key] = ($"--config {file}", 1);
            }
        }

        if (sources.EnvironmentVariables)
        {
            foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                string name = (string)variable.Key;
                if (name.StartsWith(GrokkingConfiguration.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    string key = name[GrokkingConfiguration.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
                    origins.byKey[key] = ($"environment variable {name}", 2);
                }
            }
        }

        foreach (string item in sources.Overrides ?? [])
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                origins.byKey[item[..eq].Trim().Replace("__", ":", StringComparison.Ordinal)] = ($"--set {item}", 3);
            }
        }

        return origins;
    }

    /// <summary>The highest layer that set the key or a key below it (an array's elements), or null (defaults, profile).</summary>
    public string? Find(string key) =>
        byKey
            .Where(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase)
                || k.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(k => k.Value.Rank)
            .Select(k => k.Value.Origin)
            .FirstOrDefault();

    /// <summary>A file's keys; a file that cannot be read has none here (its own error names it).</summary>
    private static List<string> FileKeys(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonLayers.Merge([JsonLayers.Read(stream, file)]).Keys.ToList();
        }
        catch (Exception e) when (e is OptionsException or IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
