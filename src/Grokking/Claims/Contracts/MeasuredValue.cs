namespace Grokking.Claims.Contracts;

/// <summary>
/// One measured number beside the paper's, with the tolerance the decision used. <c>Key</c> is its stable
/// identity (baselines match on it); <c>Name</c> is the label people read.
/// </summary>
public sealed record MeasuredValue(
    string Name,
    double Value,
    string Unit = "",
    double? Paper = null,
    string? Tolerance = null,
    IReadOnlyList<double>? PerSeed = null,
    string Key = "")
{
    public string Key { get; init; } = Key.Length > 0 ? Key : throw new ArgumentException($"measured value '{Name}' needs a stable key", nameof(Key));
}
