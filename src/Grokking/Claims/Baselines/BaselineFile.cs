using System.Globalization;
using System.Text.Json;
using Grokking.Claims.Contracts;
using Grokking.Configuration;
using Grokking.Runtime;

namespace Grokking.Claims.Baselines;

/// <summary>
/// Reads a snapshot file (received or verified) against the baseline schema, field by field, so that a file that
/// is not one — not JSON, another claim's or profile's, an unknown verdict, a metric without a value or with a
/// tolerance that is not a finite number — is a <see cref="DamagedFileException"/> naming the field, never a
/// snapshot with defaults in place of what is missing (the serializer would read a missing tolerance as 0).
/// </summary>
internal static class BaselineFile
{
    private static readonly string[] SnapshotFields = ["id", "profile", "verdict", "metrics"];
    private static readonly string[] MetricFields = ["key", "name", "value", "tolerance"];

    /// <param name="path">The file.</param>
    /// <param name="shownAs">How messages name it (baselines/smoke/MC-1.received.json).</param>
    /// <param name="id">The claim its file name is for.</param>
    /// <param name="profile">The profile whose folder it is in.</param>
    public static BaselineSnapshot Read(string path, string shownAs, string id, Profile profile)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(shownAs, $"not JSON ({OneLine(e.Message)})");
        }

        using (document)
        {
            var root = Fields(document.RootElement, "the file", SnapshotFields, shownAs);
            string storedId = Text(root, "id", shownAs);
            if (storedId != id)
            {
                throw new DamagedFileException(shownAs, $"'id' is '{storedId}', but the file is named for {id}");
            }

            string storedProfile = Text(root, "profile", shownAs);
            if (!ProfileNames.TryParse(storedProfile, out var read) || read != profile)
            {
                throw new DamagedFileException(shownAs, $"'profile' is '{storedProfile}', but the file is in the {profile.Name} baselines");
            }

            return new BaselineSnapshot(id, profile, ReadVerdict(root, shownAs), ReadMetrics(root["metrics"], shownAs));
        }
    }

    private static Verdict ReadVerdict(Dictionary<string, JsonElement> root, string shownAs)
    {
        string verdict = Text(root, "verdict", shownAs);
        var names = Enum.GetValues<Verdict>().Select(v => v.ToString()).ToList();
        string? known = names.FirstOrDefault(n => string.Equals(n, verdict, StringComparison.OrdinalIgnoreCase));
        return known is not null
            ? Enum.Parse<Verdict>(known)
            : throw new DamagedFileException(
                shownAs, $"'verdict' is '{verdict}'; allowed: {string.Join(", ", names.Select(n => n.ToLowerInvariant()))}");
    }

    private static List<BaselineMetric> ReadMetrics(JsonElement metrics, string shownAs)
    {
        if (metrics.ValueKind != JsonValueKind.Array)
        {
            throw new DamagedFileException(shownAs, $"'metrics' is {Kind(metrics)}, not a list of metrics");
        }

        var read = new List<BaselineMetric>();
        foreach (var (element, index) in metrics.EnumerateArray().Select((m, i) => (m, i)))
        {
            string at = $"metrics[{index}]";
            var fields = Fields(element, $"'{at}'", MetricFields, shownAs);
            string key = Text(fields, "key", shownAs, at);
            if (key.Length == 0 || read.Any(m => m.Key == key))
            {
                throw new DamagedFileException(shownAs, $"'{at}.key' is '{key}'; a key is a non-empty name, once per file");
            }

            double tolerance = Number(fields["tolerance"], $"{at}.tolerance", shownAs, namedLiterals: false);
            if (tolerance < 0)
            {
                throw new DamagedFileException(
                    shownAs, $"'{at}.tolerance' is {tolerance.ToString(CultureInfo.InvariantCulture)}; a tolerance is a finite number >= 0");
            }

            // A value may be NaN or infinite (a measurement the run could not make), written as "NaN" or "Infinity".
            double value = Number(fields["value"], $"{at}.value", shownAs, namedLiterals: true);
            read.Add(new BaselineMetric(key, Text(fields, "name", shownAs, at), value, tolerance));
        }

        return read;
    }

    /// <summary>An object's fields, each of <paramref name="expected"/> exactly once and no other.</summary>
    private static Dictionary<string, JsonElement> Fields(JsonElement element, string what, string[] expected, string shownAs)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DamagedFileException(shownAs, $"{what} is {Kind(element)}, not an object");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!expected.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new DamagedFileException(shownAs, $"{what} has an unknown field '{property.Name}'; allowed: {string.Join(", ", expected)}");
            }

            if (!fields.TryAdd(property.Name, property.Value))
            {
                throw new DamagedFileException(shownAs, $"{what} has the field '{property.Name}' twice");
            }
        }

        string? missing = expected.FirstOrDefault(f => !fields.ContainsKey(f));
        return missing is null ? fields : throw new DamagedFileException(shownAs, $"{what} has no field '{missing}'");
    }

    private static string Text(Dictionary<string, JsonElement> fields, string name, string shownAs, string? parent = null)
    {
        var element = fields[name];
        return element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new DamagedFileException(shownAs, $"'{(parent is null ? name : $"{parent}.{name}")}' is {Kind(element)}, not a string");
    }

    private static double Number(JsonElement element, string field, string shownAs, bool namedLiterals)
    {
        // A number past double's range would read as infinity: only the named literal stands for that.
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double number) && double.IsFinite(number))
        {
            return number;
        }

        if (namedLiterals && element.ValueKind == JsonValueKind.String)
        {
            string? literal = element.GetString();
            double? named = literal switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                _ => null,
            };
            if (named is { } value)
            {
                return value;
            }
        }

        string allowed = namedLiterals ? "a number, \"NaN\", \"Infinity\" or \"-Infinity\"" : "a finite number >= 0";
        throw new DamagedFileException(shownAs, $"'{field}' is {Kind(element)}; allowed: {allowed}");
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{element.GetString()}\"",
        JsonValueKind.Number => $"the number {element.GetRawText()}",
        JsonValueKind.Array => "a list",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => element.GetRawText(),
    };

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
}
