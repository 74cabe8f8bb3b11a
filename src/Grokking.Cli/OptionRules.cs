using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Grokking.Cli;

/// <summary>Value rules shared by several options, each failing with "Invalid value for '--x': ...; allowed: ...".</summary>
internal static class OptionRules
{
    /// <summary>
    /// An option whose values may be given comma-separated, repeated, or both (--claims MC-1,MC-2 --claims PB-*). Fails
    /// closed: no value, an empty list ('') or an empty element ('MC-1,,MC-2', 'MC-1,') is an error naming the option,
    /// never a shorter list (for --claims an empty list would mean every claim, for --fail-on no gate).
    /// </summary>
    public static string[] CommaSeparated(ArgumentResult result, string option, string allowed)
    {
        var values = new List<string>();
        foreach (string token in result.Tokens.Select(t => t.Value))
        {
            var items = token.Split(',', StringSplitOptions.TrimEntries);
            if (items.Any(i => i.Length == 0))
            {
                string where = items.Length == 1 ? "is empty" : "has an empty element";
                result.AddError($"Invalid value for '{option}': '{token}' {where}; allowed: {allowed}");
                return [];
            }

            values.AddRange(items);
        }

        if (values.Count == 0)
        {
            result.AddError($"Invalid value for '{option}': no value given; allowed: {allowed}");
        }

        return values.ToArray();
    }

    /// <summary>Comma-separated names of enum values, restricted to <paramref name="allowed"/>.</summary>
    public static T[] CommaSeparatedNames<T>(ArgumentResult result, string option, params T[] allowed)
        where T : struct, Enum
    {
        string allowedNames = string.Join(", ", Names(allowed));
        var values = new List<T>();
        foreach (string item in CommaSeparated(result, option, allowedNames))
        {
            var match = allowed.Where(a => string.Equals(a.ToString(), item, StringComparison.OrdinalIgnoreCase)).ToList();
            if (match.Count == 0)
            {
                result.AddError($"Invalid value for '{option}': '{item}'; allowed: {allowedNames}");
                return [];
            }

            values.Add(match[0]);
        }

        return values.ToArray();
    }

    public static IEnumerable<string> Names<T>(IEnumerable<T> values)
        where T : struct, Enum =>
        values.Select(v => v.ToString().ToLowerInvariant());

    /// <summary>An integer option that must be at least 1 (a count of members or epochs).</summary>
    public static Option<int> PositiveInt(string name, string helpName, int defaultValue, string description) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                string token = result.Tokens.Single().Value;
                if (int.TryParse(token, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 1)
                {
                    return value;
                }

                result.AddError($"Invalid value for '{name}': '{token}'; allowed: an integer >= 1");
                return defaultValue;
            },
        };
}
