namespace Grokking.Claims.Contracts;

/// <summary>
/// The claim-file name of a rule parameter when it is not the record parameter's name in camelCase (e.g. PB's drop
/// rules call <c>From</c> <c>dropFrom</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class ParameterNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The range a rule parameter must lie in (inclusive), checked when claims load.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class WithinAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;

    public double Max { get; } = max;
}

/// <summary>The record parameter is a number the paper reports (claim-file <c>paper</c> list), not a rule parameter.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class FromPaperAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
