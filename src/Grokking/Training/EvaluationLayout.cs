using System.Collections.Concurrent;
using System.Globalization;

namespace Grokking.Training;

/// <summary>One measured layout: the sizes tried, seconds per item of each, and the one kept.</summary>
/// <param name="Kind">What is chunked: "rows per pass" (a split's evaluation), "points per model" (a path's) or "fits per population".</param>
/// <param name="Key">The model shape, member count, device and threads it was measured for.</param>
public sealed record LayoutChoice(string Kind, string Key, int Chosen, IReadOnlyList<(int Size, double SecondsPerItem)> Timings)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind} {Chosen} for {Key}: ")
        + string.Join(", ", Timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Size}: {t.SecondsPerItem * 1e6:0.#} us")));
}

/// <summary>
/// Evaluation chunk sizes chosen by timing candidates on the real model the first time a shape is evaluated in this
/// process, instead of a constant tuned on one machine. Only speed depends on them: the evaluators keep their sums in
/// fixed blocks, so every layout gives the same bits. Thread-safe: two lanes share one measurement per key.
/// </summary>
public static class EvaluationLayout
{
    private static readonly ConcurrentDictionary<string, Lazy<LayoutChoice>> Choices = new(StringComparer.Ordinal);

    /// <summary>The size kept for this kind and key, measured by <paramref name="measure"/> on first use (once).</summary>
    public static int Choose(string kind, string key, Func<LayoutChoice> measure) =>
        Choices.GetOrAdd(kind + " | " + key, _ => new Lazy<LayoutChoice>(measure, LazyThreadSafetyMode.ExecutionAndPublication)).Value.Chosen;

    /// <summary>The size kept for this kind and key, if one was measured.</summary>
    public static int? Find(string kind, string key) =>
        Choices.TryGetValue(kind + " | " + key, out var choice) && choice.IsValueCreated ? choice.Value.Chosen : null;

    /// <summary>Keeps a choice measured on real work (the first caller's stands).</summary>
    public static void Record(LayoutChoice choice) => Choices.TryAdd(choice.Kind + " | " + choice.Key, new Lazy<LayoutChoice>(choice));

    /// <summary>Every layout measured in this process, one per line (for <c>grokking bench</c>).</summary>
    public static string Describe()
    {
        var lines = Choices.Values.Where(c => c.IsValueCreated).Select(c => c.Value.ToString()).Order(StringComparer.Ordinal).ToList();
        return lines.Count == 0
            ? "evaluation layouts: none measured yet"
            : "evaluation layouts:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Select(l => "  " + l));
    }
}
