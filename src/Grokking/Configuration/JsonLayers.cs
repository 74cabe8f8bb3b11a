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

    /// <summary>
    /// One layer's JSON. A repeated key or a syntax error is an <see cref="OptionsException"/> naming the file, the key and
    /// the 1-based line and column: JsonNode would keep one of two equal keys, or fail without naming the file.
    /// </summary>
    public static JsonNode? Read(Stream stream, string name)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (JsonText.FirstDuplicateKey(bytes) is { } duplicate)
        {
            string key = duplicate.Path.Replace('.', ':');
            throw new OptionsException(
                "--config", $"Configuration file '{name}' repeats the key '{key}' at {duplicate.Position}; keep one of the two");
        }

        try
        {
            var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
            return JsonNode.Parse(bytes, documentOptions: options);
        }
        catch (JsonException e)
        {
            string at = JsonText.Position(e) is { } position ? $" at {position}" : "";
            throw new OptionsException("--config", $"Configuration file '{name}' is not valid JSON{at}: {JsonText.Problem(e)}");
        }
    }

    private static bool IsAtOrBelow(string key, string path) =>
        string.Equals(key, path, StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(path + ConfigurationDelimiter, StringComparison.OrdinalIgnoreCase);

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
                // An array replaces the array below it whole: the lower layer's elements (and a scalar at the path) go.
                foreach (string stale in into.Keys.Where(k => IsAtOrBelow(k, path)).ToList())
                {
                    into.Remove(stale);
                }

                // An empty array is a value of its own: without a key the binder would keep the property's default.
                if (array.Count == 0)
                {
                    into[path] = EmptyArray;
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

    /// <summary>How an empty JSON array is flattened, and how --set writes one (Population:WeightDecays=[]).</summary>
    public const string EmptyArray = "[]";

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ConfigurationDelimiter + key;
}
