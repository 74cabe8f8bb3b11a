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
    private static readonly string[] SnapshotFields = ["id", "profile", "verdict", "ruleVerdict", "scope", "control", "metrics", "comparisons"];

    /// <summary>The fields of a snapshot written before issue 25's audit (no rule verdict, scope, control or comparisons).</summary>
    private static readonly string[] LegacySnapshotFields = ["id", "profile", "verdict", "metrics"];
    private static readonly string[] MetricFields = ["key", "name", "value", "tolerance"];
    private static readonly string[] ControlFields = ["name", "verdict"];
    private static readonly string[] ProvenanceFields = ["engine", "date"];

    /// <summary>Recorded since issue 30 (GPU runners); older files have neither.</summary>
    private static readonly string[] ProvenanceDeviceFields = ["device", "reducedPrecision"];

    private static readonly string[] Devices = ["cpu", "cuda"];

    private static readonly string[] ComparisonFields =
    [
        "key", "quantity", "relation", "threshold", "scope", "estimate", "low", "high", "interval", "worst", "resolution", "verdict",
        "confirmAt", "refuteAt", "seedsNeeded",
    ];

    private static readonly Dictionary<string, ClaimScope> Scopes = new(StringComparer.Ordinal)
    {
        ["typical"] = ClaimScope.Typical,
        ["universal"] = ClaimScope.Universal,
    };

    private static readonly Dictionary<string, IntervalMethod> Intervals = new(StringComparer.Ordinal)
    {
        ["studentT"] = IntervalMethod.StudentT,
        ["wilson"] = IntervalMethod.Wilson,
        ["fit"] = IntervalMethod.Fit,
    };

    private static readonly string[] RelationSymbols = ["<=", ">="];

    /// <param name="path">The file.</param>
    /// <param name="shownAs">How messages name it (baselines/smoke/MC-1.received.json).</param>
    /// <param name="id">The claim its file name is for.</param>
    /// <param name="profile">The profile whose folder it is in.</param>
    public static BaselineSnapshot Read(string path, string shownAs, string id, Profile profile)
    {
        using var document = Parse(path, shownAs);
        var root = Identified(document, SnapshotFields, shownAs, id, profile, optional: "made");
        return new BaselineSnapshot(id, profile, ReadVerdict(root, "verdict", shownAs), ReadMetrics(root["metrics"], shownAs))
        {
            RuleVerdict = ReadVerdict(root, "ruleVerdict", shownAs),
            Scope = Choice(root, "scope", Scopes, shownAs),
            Control = ReadControl(root["control"], shownAs),
            Comparisons = ReadComparisons(root["comparisons"], shownAs),
            Made = root.TryGetValue("made", out var made) ? ReadProvenance(made, shownAs) : null,
        };
    }

    /// <summary>
    /// A snapshot in the format before issue 25 (exactly id, profile, verdict, metrics, read as strictly), as the new format
    /// records it: the rule's verdict was the verdict (no control bounded it), no control ran, no comparison was recorded;
    /// the scope is the claim's now (<paramref name="scope"/>). For baselines no cached run can regenerate (paper).
    /// </summary>
    public static BaselineSnapshot ReadLegacy(string path, string shownAs, string id, Profile profile, ClaimScope scope)
    {
        using var document = Parse(path, shownAs);
        var root = Identified(document, LegacySnapshotFields, shownAs, id, profile);
        return new BaselineSnapshot(id, profile, ReadVerdict(root, "verdict", shownAs), ReadMetrics(root["metrics"], shownAs))
        {
            Scope = scope,
        };
    }

    private static JsonDocument Parse(string path, string shownAs)
    {
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new DamagedFileException(shownAs, $"not JSON ({OneLine(e.Message)})");
        }
    }

    /// <summary>The root's fields (exactly <paramref name="fields"/>), its id and profile those of the file's name and folder.</summary>
    private static Dictionary<string, JsonElement> Identified(
        JsonDocument document, string[] fields, string shownAs, string id, Profile profile, string? optional = null)
    {
        var root = Fields(document.RootElement, "the file", fields, shownAs, optional is null ? [] : [optional]);
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

        return root;
    }

    private static Verdict ReadVerdict(Dictionary<string, JsonElement> fields, string name, string shownAs, string? parent = null)
    {
        string verdict = Text(fields, name, shownAs, parent);
        // Only verdicts: an ERROR or DATA MISSING claim measured nothing, so no baseline can hold one.
        var names = Enum.GetValues<Verdict>().Where(v => v is not (Verdict.Error or Verdict.DataMissing)).Select(v => v.ToString()).ToList();
        string? known = names.FirstOrDefault(n => string.Equals(n, verdict, StringComparison.OrdinalIgnoreCase));
        return known is not null
            ? Enum.Parse<Verdict>(known)
            : throw new DamagedFileException(
                shownAs, $"'{FieldPath(parent, name)}' is '{verdict}'; allowed: {string.Join(", ", names.Select(n => n.ToLowerInvariant()))}");
    }

    /// <summary>
    /// The engine and day that made the outcome (both non-empty strings) and, when recorded, the device ("cpu" or "cuda")
    /// and whether reduced-precision math was on (a boolean).
    /// </summary>
    private static BaselineProvenance ReadProvenance(JsonElement made, string shownAs)
    {
        var fields = Fields(made, "'made'", ProvenanceFields, shownAs, ProvenanceDeviceFields);
        string engine = Text(fields, "engine", shownAs, "made");
        string date = Text(fields, "date", shownAs, "made");
        if (engine.Length == 0 || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new DamagedFileException(shownAs, "'made' needs an engine and a date (yyyy-MM-dd)");
        }

        string? device = fields.ContainsKey("device") ? Text(fields, "device", shownAs, "made") : null;
        if (device is not null && !Devices.Contains(device, StringComparer.Ordinal))
        {
            throw new DamagedFileException(shownAs, $"'made.device' is '{device}'; allowed: {string.Join(", ", Devices)}");
        }

        bool? reduced = fields.TryGetValue("reducedPrecision", out var flag)
            ? flag.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? flag.GetBoolean()
                : throw new DamagedFileException(shownAs, $"'made.reducedPrecision' is {Kind(flag)}; allowed: true, false")
            : null;
        return new BaselineProvenance(engine, date) { Device = device, ReducedPrecision = reduced };
    }

    /// <summary>The control's name and verdict, or null: a claim without a control (or whose control did not run).</summary>
    private static BaselineControl? ReadControl(JsonElement control, string shownAs)
    {
        if (control.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var fields = Fields(control, "'control'", ControlFields, shownAs);
        string name = Text(fields, "name", shownAs, "control");
        return name.Length > 0
            ? new BaselineControl(name, ReadVerdict(fields, "verdict", shownAs, "control"))
            : throw new DamagedFileException(shownAs, "'control.name' is empty; a control is named (or the field is null)");
    }

    private static List<PinnedComparison> ReadComparisons(JsonElement comparisons, string shownAs)
    {
        if (comparisons.ValueKind != JsonValueKind.Array)
        {
            throw new DamagedFileException(shownAs, $"'comparisons' is {Kind(comparisons)}, not a list of comparisons");
        }

        var read = new List<PinnedComparison>();
        foreach (var (element, index) in comparisons.EnumerateArray().Select((c, i) => (c, i)))
        {
            var comparison = ReadComparison(element, $"comparisons[{index}]", shownAs);
            if (comparison.Key.Length == 0 || read.Any(c => c.Key == comparison.Key))
            {
                throw new DamagedFileException(
                    shownAs, $"'comparisons[{index}].key' is '{comparison.Key}'; a key is a non-empty name, once per file");
            }

            read.Add(comparison);
        }

        return read;
    }

    private static PinnedComparison ReadComparison(JsonElement element, string at, string shownAs)
    {
        var f = Fields(element, $"'{at}'", ComparisonFields, shownAs, optional: ["seedSpread", "seeds"]);
        double Value(string name) => Number(f[name], $"{at}.{name}", shownAs, namedLiterals: true);
        string relation = Text(f, "relation", shownAs, at);
        if (!RelationSymbols.Contains(relation, StringComparer.Ordinal))
        {
            throw new DamagedFileException(shownAs, $"'{at}.relation' is '{relation}'; allowed: {string.Join(", ", RelationSymbols)}");
        }

        var scope = Choice(f, "scope", Scopes, shownAs, at);
        double? worst = f["worst"].ValueKind == JsonValueKind.Null ? null : Value("worst");
        if ((scope == ClaimScope.Universal) != worst.HasValue)
        {
            throw new DamagedFileException(shownAs, scope == ClaimScope.Universal
                ? $"'{at}.worst' is null; a universal comparison records its worst seed (\"NaN\" when no seed has the value)"
                : $"'{at}.worst' is {Kind(f["worst"])}; a typical comparison has no worst seed (null)");
        }

        double resolution = Number(f["resolution"], $"{at}.resolution", shownAs, namedLiterals: false);
        return new PinnedComparison(
            Text(f, "key", shownAs, at), Text(f, "quantity", shownAs, at), relation, Value("threshold"), scope, Value("estimate"),
            Value("low"), Value("high"), Choice(f, "interval", Intervals, shownAs, at), worst,
            resolution >= 0 ? resolution : throw new DamagedFileException(shownAs, $"'{at}.resolution' is negative; a resolution is >= 0"),
            ReadVerdict(f, "verdict", shownAs, at), Value("confirmAt"), Value("refuteAt"), SeedsNeeded(f["seedsNeeded"], at, shownAs))
        {
            SeedSpread = Spread(f, at, shownAs),
            Seeds = SeedCount(f, at, shownAs),
        };
    }

    /// <summary>The optional seed spread of a metric or comparison: a finite number >= 0.</summary>
    private static double? Spread(Dictionary<string, JsonElement> fields, string at, string shownAs)
    {
        if (!fields.TryGetValue("seedSpread", out var element))
        {
            return null;
        }

        double spread = Number(element, $"{at}.seedSpread", shownAs, namedLiterals: false);
        return spread >= 0 ? spread : throw new DamagedFileException(shownAs, $"'{at}.seedSpread' is negative; a spread is >= 0");
    }

    /// <summary>The optional count of seeds behind a seed spread: a whole number >= 2.</summary>
    private static int? SeedCount(Dictionary<string, JsonElement> fields, string at, string shownAs) =>
        !fields.TryGetValue("seeds", out var element) ? null
        : element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int seeds) && seeds >= 2 ? seeds
        : throw new DamagedFileException(shownAs, $"'{at}.seeds' is {Kind(element)}; allowed: a whole number >= 2 (the seeds behind a spread)");

    private static int? SeedsNeeded(JsonElement element, string at, string shownAs) =>
        element.ValueKind == JsonValueKind.Null ? null
        : element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int seeds) && seeds > 0 ? seeds
        : throw new DamagedFileException(shownAs, $"'{at}.seedsNeeded' is {Kind(element)}; allowed: a whole number > 0, or null");

    private static T Choice<T>(
        Dictionary<string, JsonElement> fields, string name, Dictionary<string, T> allowed, string shownAs, string? parent = null)
    {
        string text = Text(fields, name, shownAs, parent);
        return allowed.TryGetValue(text, out var value)
            ? value
            : throw new DamagedFileException(shownAs, $"'{FieldPath(parent, name)}' is '{text}'; allowed: {string.Join(", ", allowed.Keys)}");
    }

    private static string FieldPath(string? parent, string name) => parent is null ? name : $"{parent}.{name}";

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
            var fields = Fields(element, $"'{at}'", MetricFields, shownAs, optional: ["seedSpread", "seeds"]);
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
            read.Add(new BaselineMetric(key, Text(fields, "name", shownAs, at), value, tolerance)
            {
                SeedSpread = Spread(fields, at, shownAs),
                Seeds = SeedCount(fields, at, shownAs),
            });
        }

        return read;
    }

    /// <summary>An object's fields, each of <paramref name="expected"/> exactly once and no other.</summary>
    /// <param name="optional">Further fields the object may have (or lack).</param>
    private static Dictionary<string, JsonElement> Fields(
        JsonElement element, string what, string[] expected, string shownAs, params string[] optional)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new DamagedFileException(shownAs, $"{what} is {Kind(element)}, not an object");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (!expected.Contains(property.Name, StringComparer.Ordinal) && !optional.Contains(property.Name, StringComparer.Ordinal))
            {
                string allowed = string.Join(", ", [.. expected, .. optional]);
                throw new DamagedFileException(shownAs, $"{what} has an unknown field '{property.Name}'; allowed: {allowed}");
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
