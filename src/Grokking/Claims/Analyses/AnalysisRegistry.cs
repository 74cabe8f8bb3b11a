using System.Reflection;

namespace Grokking.Claims.Analyses;

/// <summary>
/// The analyses claim files can name, discovered in this assembly: a new analysis is one class implementing
/// <see cref="IClaimAnalysis"/>, with no list to edit.
/// </summary>
public static class AnalysisRegistry
{
    private static readonly Lazy<IReadOnlyDictionary<string, IClaimAnalysis>> All = new(Discover);

    public static IReadOnlyCollection<string> Names => All.Value.Keys.Order(StringComparer.Ordinal).ToList();

    public static bool TryGet(string name, out IClaimAnalysis analysis) => All.Value.TryGetValue(name, out analysis!);

    public static IClaimAnalysis Get(string name) =>
        All.Value.TryGetValue(name, out var a) ? a : throw new KeyNotFoundException($"unknown analysis '{name}'; known: {string.Join(", ", Names)}");

    private static Dictionary<string, IClaimAnalysis> Discover()
    {
        var found = new Dictionary<string, IClaimAnalysis>(StringComparer.Ordinal);
        foreach (var type in typeof(AnalysisRegistry).Assembly.GetTypes()
                     .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IClaimAnalysis).IsAssignableFrom(t)))
        {
            var constructor = type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes)
                ?? throw new InvalidOperationException($"analysis {type.Name} needs a public parameterless constructor to be discovered");
            var analysis = (IClaimAnalysis)constructor.Invoke(null);
            if (!found.TryAdd(analysis.Name, analysis))
            {
                throw new InvalidOperationException(
                    $"two analyses are named '{analysis.Name}': {found[analysis.Name].GetType().Name} and {type.Name}");
            }
        }

        return found;
    }
}
