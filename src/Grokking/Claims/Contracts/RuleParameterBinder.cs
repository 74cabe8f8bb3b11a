using System.Reflection;

namespace Grokking.Claims.Contracts;

/// <summary>
/// Binds a claim's rule parameters and paper values into an analysis's parameters record, so that no analysis reads
/// a parameter by name. A record's constructor parameters are the claim-file names (camelCase, or
/// <see cref="ParameterNameAttribute"/>); a record-typed parameter is a group of parameters bound the same way (PB's
/// drop rules); a nullable one is optional; <see cref="FromPaperAttribute"/> reads the claim's <c>paper</c> list.
/// Every problem names the claim file and the field: a missing or unknown name, a fraction where a count is needed,
/// a value outside its declared range.
/// </summary>
public static class RuleParameterBinder
{
    /// <summary>The claim-file names a record reads, in declaration order (derived from the record, never listed).</summary>
    public static IReadOnlyList<string> Names(Type record) =>
        Slots(record).Where(s => s.Paper is null).Select(s => s.Name).ToList();

    /// <summary>The paper values a record reads.</summary>
    public static IReadOnlyList<string> PaperNames(Type record) =>
        Slots(record).Where(s => s.Paper is not null).Select(s => s.Paper!).ToList();

    public static object Bind(Type record, ClaimDefinition claim, string analysis)
    {
        var given = claim.RuleParameters.GroupBy(p => p.Name).ToDictionary(g => g.Key, g => g.First());
        var used = new HashSet<string>(StringComparer.Ordinal);
        object bound = Construct(record, claim, analysis, given, used);
        string? unknown = given.Keys.FirstOrDefault(name => !used.Contains(name));
        if (unknown is not null)
        {
            throw new ClaimDefinitionException(claim.File, $"ruleParameters.{unknown}",
                $"is not a parameter of analysis '{analysis}' (its parameters: {string.Join(", ", Names(record))})");
        }

        return bound;
    }

    private static object Construct(
        Type record, ClaimDefinition claim, string analysis, Dictionary<string, RuleParameter> given, HashSet<string> used)
    {
        var constructor = ConstructorOf(record);
        var arguments = constructor.GetParameters()
            .Select(p => IsGroup(p.ParameterType)
                ? Construct(p.ParameterType, claim, analysis, given, used)
                : Value(p, claim, analysis, given, used))
            .ToArray();
        return constructor.Invoke(arguments);
    }

    private static object? Value(
        ParameterInfo p, ClaimDefinition claim, string analysis, Dictionary<string, RuleParameter> given, HashSet<string> used)
    {
        var type = Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType;
        bool optional = type != p.ParameterType;
        if (p.GetCustomAttribute<FromPaperAttribute>() is { } paper)
        {
            double? reported = claim.Paper.FirstOrDefault(v => v.Name == paper.Name)?.Value;
            return reported is null && !optional
                ? throw new ClaimDefinitionException(claim.File, $"paper.{paper.Name}", $"is missing (analysis '{analysis}' reports it)")
                : reported;
        }

        string name = NameOf(p);
        if (!given.TryGetValue(name, out var parameter))
        {
            return optional
                ? null
                : throw new ClaimDefinitionException(claim.File, $"ruleParameters.{name}", $"is missing (analysis '{analysis}' needs it)");
        }

        used.Add(name);
        Check(p, parameter, type, claim.File);
        return Convert(parameter.Value, type);
    }

    private static void Check(ParameterInfo p, RuleParameter parameter, Type type, string file)
    {
        string field = $"ruleParameters.{parameter.Name}";
        if (!double.IsFinite(parameter.Value))
        {
            throw new ClaimDefinitionException(file, field, "is not a finite number");
        }

        if ((type == typeof(int) || type == typeof(long)) && parameter.Value != Math.Round(parameter.Value))
        {
            throw new ClaimDefinitionException(file, field, $"is {parameter.Value}, but it counts: it must be a whole number");
        }

        if (p.GetCustomAttribute<WithinAttribute>() is { } range && (parameter.Value < range.Min || parameter.Value > range.Max))
        {
            throw new ClaimDefinitionException(file, field, $"is {parameter.Value}, outside its range [{range.Min}, {range.Max}]");
        }
    }

    /// <summary>The value as the record's number type (integrality was checked before).</summary>
    private static object Convert(double value, Type type) =>
        type == typeof(double) || type == typeof(int) || type == typeof(long)
            ? System.Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"rule parameters are numbers; {type.Name} cannot be bound");

    private static IEnumerable<(string Name, string? Paper)> Slots(Type record) =>
        ConstructorOf(record).GetParameters().SelectMany(p => IsGroup(p.ParameterType)
            ? Slots(p.ParameterType)
            : [(NameOf(p), p.GetCustomAttribute<FromPaperAttribute>()?.Name)]);

    private static string NameOf(ParameterInfo p) =>
        p.GetCustomAttribute<ParameterNameAttribute>()?.Name ?? char.ToLowerInvariant(p.Name![0]) + p.Name[1..];

    /// <summary>A record-typed parameter groups parameters (a nested record); numbers are single parameters.</summary>
    private static bool IsGroup(Type type) => type.IsClass && type != typeof(string);

    private static ConstructorInfo ConstructorOf(Type record) =>
        record.GetConstructors().Where(c => c.GetParameters().Length > 0).MaxBy(c => c.GetParameters().Length)
        ?? throw new InvalidOperationException($"{record.Name} needs a public constructor that takes its parameters");
}
