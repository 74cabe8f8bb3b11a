namespace Grokking.Claims.Contracts;

/// <summary>A claim or experiment file that cannot be used: names the file and the field.</summary>
public sealed class ClaimDefinitionException(string file, string field, string problem)
    : Exception($"{file}: '{field}' {problem}")
{
    public string FileName { get; } = file;

    public string Field { get; } = field;
}
