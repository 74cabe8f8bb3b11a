namespace Grokking.Training;

/// <summary>Seconds per training step of a population of K, stepped in chunks of each candidate size (the best of the rounds).</summary>
public sealed record MemberChunkTimings(int Members, IReadOnlyDictionary<int, double> SecondsPerStep)
{
    /// <summary>The fastest members per chunk (the larger of two equal times: fewer chunks).</summary>
    public int Best => SecondsPerStep.OrderBy(t => t.Value).ThenByDescending(t => t.Key).First().Key;

    /// <summary>One line for a log or a bench row: each candidate's milliseconds per step, the chosen one marked.</summary>
    public override string ToString() =>
        $"K={Members} members per chunk: " + string.Join(", ", SecondsPerStep.OrderBy(t => t.Key).Select(
            t => $"{t.Key}{(t.Key == Best ? "*" : "")} {t.Value * 1e3:F1} ms/step"));
}
