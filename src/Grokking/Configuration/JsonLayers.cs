using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grokking.Configuration;

/// <summary>
/// Merges JSON configuration layers into flat "Section:Key" pairs, lowest layer first, with one rule that
/// Microsoft.Extensions.Configuration does not have: an array in a higher layer replaces the whole array below
/// it. (The JSON provider merges arrays index by index, so a profile's Population:Seeds [0, 1] over [0, 1, 2, 3]
/// would silently give [0, 1, 2, 3].) Objects still merge key by key.
/// </summary>
public static class JsonLayers
{
    public static Dictionary<string, string?> Merge(IEnumerable<JsonNode?> layers)
    {
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var layer in layers)
        {
            Apply(layer, "", merged);
        }

        return merged;
    }

    public static JsonNode? Read(Stream stream, string name)
    {
        try
        {
            return JsonNode.Parse(stream, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new OptionsException("--config", $"Configuration file '{name}' is not valid JSON: {e.Message}");
        }
    }

    private static void Apply(JsonNode? node, string path, Dictionary<string, string?> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Apply(value, Join(path, key), into);
                }

                break;
            case JsonArray array:
                string prefix = path + ConfigurationDelimiter;
                foreach (string stale in into.Keys.Where(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) || string.Equals(k, path, StringComparison.OrdinalIgnoreCase)).ToList())
                {
                    into.Remove(stale);
                }

                for (int i = 0; i < array.Count; i++)
                {
                    Apply(array[i], Join(path, i.ToString(CultureInfo.InvariantCulture)), into);
                }

                break;
            case JsonValue value:
                into[path] = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
                break;
            default:
                into[path] = null;
                break;
        }
    }

    private const string ConfigurationDelimiter = ":";

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ConfigurationDelimiter + key;
}
