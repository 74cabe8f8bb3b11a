namespace Grokking.Claims.Analyses;

/// <summary>The analyses claim files can name.</summary>
public static class AnalysisRegistry
{
    private static readonly IReadOnlyDictionary<string, IClaimAnalysis> All = new IClaimAnalysis[]
    {
        new MemorizationThenGeneralization(),
        new NoGrokkingWithoutWeightDecay(),
    }.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => All.Keys.ToList();

    public static bool TryGet(string name, out IClaimAnalysis analysis) => All.TryGetValue(name, out analysis!);

    public static IClaimAnalysis Get(string name) =>
        All.TryGetValue(name, out var a) ? a : throw new KeyNotFoundException($"unknown analysis '{name}'; known: {string.Join(", ", All.Keys)}");
}
