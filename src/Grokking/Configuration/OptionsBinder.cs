using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Grokking.Configuration;

/// <summary>
/// Binds configuration to typed options strictly: every key must name a property, every value must parse
/// and lie in its range. Errors are <see cref="OptionsException"/>s naming the key, the value and what is
/// allowed, with the nearest known key suggested for a typo. (ConfigurationBinder ignores unknown keys and
/// reports bad values as exceptions without the allowed set, which is why this exists.)
/// </summary>
public static class OptionsBinder
{
    public static T Bind<T>(IConfiguration configuration)
        where T : new()
    {
        var known = KnownKeys(typeof(T), prefix: "");
        foreach (var (key, value) in configuration.AsEnumerable())
        {
            if (value is null)
            {
                continue;
            }

            if (!IsKnown(key, known))
            {
                string? nearest = Nearest(key, known.Keys);
                string hint = nearest is null ? "" : $"; did you mean '{nearest}'?";
                throw new OptionsException(key, $"Unknown configuration key '{key}'{hint}");
            }
        }

        var options = new T();
        BindObject(options, configuration, prefix: "");
        return options;
    }

    /// <summary>Every leaf key of the options tree ("Train:BatchSize"), with its property type.</summary>
    public static IReadOnlyDictionary<string, Type> KnownKeys(Type type, string prefix)
    {
        var keys = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in WritableProperties(type))
        {
            string key = prefix + property.Name;
            if (IsLeaf(property.PropertyType))
            {
                keys[key] = property.PropertyType;
            }
            else
            {
                foreach (var (k, t) in KnownKeys(property.PropertyType, key + ":"))
                {
                    keys[k] = t;
                }
            }
        }

        return keys;
    }

    private static bool IsKnown(string key, IReadOnlyDictionary<string, Type> known)
    {
        if (known.ContainsKey(key))
        {
            return true;
        }

        // Array elements: "Population:Seeds:2".
        int last = key.LastIndexOf(':');
        return last > 0
            && int.TryParse(key[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            && known.TryGetValue(key[..last], out var type)
            && type.IsArray;
    }

    private static IEnumerable<PropertyInfo> WritableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.CanRead);

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type.IsArray;

    private static void BindObject(object target, IConfiguration configuration, string prefix)
    {
        foreach (var property in WritableProperties(target.GetType()))
        {
            string key = prefix + property.Name;
            var type = property.PropertyType;
            if (!IsLeaf(type))
            {
                object child = property.GetValue(target) ?? Activator.CreateInstance(type)!;
                BindObject(child, configuration, key + ":");
                property.SetValue(target, child);
                continue;
            }

            if (type.IsArray)
            {
                var elements = ReadArray(configuration, key);
                if (elements is not null)
                {
                    var elementType = type.GetElementType()!;
                    var array = Array.CreateInstance(elementType, elements.Count);
                    for (int i = 0; i < elements.Count; i++)
                    {
                        array.SetValue(Parse(elements[i], elementType, key), i);
                    }

                    property.SetValue(target, array);
                }
            }
            else if (configuration[key] is { } raw)
            {
                property.SetValue(target, Parse(raw, type, key));
            }

            CheckRange(property, property.GetValue(target), key);
        }

        if (target is ICrossValidated validated)
        {
            foreach (var (relative, message) in validated.Validate())
            {
                throw OptionsException.InvalidValue(prefix + relative, message);
            }
        }
    }

    /// <summary>
    /// An array is either JSON-style children (Key:0, Key:1, indices from 0 without a gap) or one comma-separated value
    /// (--set Key=1,2,3; "[]" is the empty list). An empty value or element is an error, never a shorter list.
    /// </summary>
    private static List<string>? ReadArray(IConfiguration configuration, string key)
    {
        // A scalar comes from an override layer (defaults only hold JSON arrays), so it replaces the children.
        var section = configuration.GetSection(key);
        if (section.Value is { } csv)
        {
            return SplitList(csv, key);
        }

        var children = section.GetChildren()
            .Select(c => (Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue, c.Value))
            .OrderBy(c => c.Index)
            .ToList();
        for (int i = 0; i < children.Count; i++)
        {
            if (children[i].Index != i)
            {
                string element = $"{key}:{children[i].Index}";
                throw OptionsException.InvalidValue(
                    element,
                    $"index {children[i].Index} leaves a gap (index {i} is not set); set the list whole ({key}=1,2,3) or index by index from 0");
            }
        }

        return children.Count > 0 ? children.Select(c => c.Value ?? "").ToList() : null;
    }

    private static List<string> SplitList(string csv, string key)
    {
        if (csv.Trim() == JsonLayers.EmptyArray)
        {
            return [];
        }

        var items = csv.Split(',', StringSplitOptions.TrimEntries).ToList();
        if (items.Any(i => i.Length == 0))
        {
            string problem = items.Count == 1 ? "is an empty list" : "has an empty element";
            throw OptionsException.InvalidValue(key, $"'{csv}' {problem}; write the values comma-separated (1,2,3), or [] for no value");
        }

        return items;
    }

    private static object Parse(string raw, Type type, string key)
    {
        var inv = CultureInfo.InvariantCulture;
        string value = raw.Trim();
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            string? match = names.FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
            string allowed = string.Join(", ", names.Select(n => n.ToLowerInvariant()));
            return match is not null
                ? Enum.Parse(type, match)
                : throw OptionsException.InvalidValue(key, $"'{raw}'; allowed: {allowed}");
        }

        if (type == typeof(string))
        {
            return raw;
        }

        object? parsed = type switch
        {
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.Integer, inv, out int i) ? i : null,
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.Integer, inv, out long l) ? l : null,
            _ when type == typeof(double) => double.TryParse(value, NumberStyles.Float, inv, out double d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(bool) => bool.TryParse(value, out bool b) ? b : null,
            _ => throw new NotSupportedException($"options of type {type.Name} are not supported ({key})"),
        };
        return parsed ?? throw OptionsException.InvalidValue(key, $"'{raw}' is not {Describe(type)}");
    }

    private static string Describe(Type type) => type == typeof(int) || type == typeof(long)
        ? "an integer"
        : type == typeof(double) ? "a finite number" : type == typeof(bool) ? "true or false" : type.Name;

    private static void CheckRange(PropertyInfo property, object? value, string key)
    {
        var range = property.GetCustomAttribute<RangeAttribute>();
        if (range is null || value is null)
        {
            return;
        }

        double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        double min = Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture);
        double max = Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
        if (v < min || v > max)
        {
            string lower = min == double.Epsilon ? "> 0" : $">= {Format(min)}";
            string upper = max >= 1 - 1e-9 && max < 1 ? "< 1" : $"<= {Format(max)}";
            throw OptionsException.InvalidValue(key, $"{Format(v)} is out of range; allowed: {lower} and {upper}");
        }
    }

    private static string Format(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The known key closest to <paramref name="key"/> by edit distance, when it is close enough to be a typo.</summary>
    public static string? Nearest(string key, IEnumerable<string> known)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int d = Levenshtein(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                (best, bestDistance) = (candidate, d);
            }
        }

        return bestDistance <= Math.Max(2, key.Length / 3) ? best : null;
    }

    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
