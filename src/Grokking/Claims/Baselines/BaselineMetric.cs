namespace Grokking.Claims.Baselines;

/// <summary>
/// One recorded number of an outcome and how far a re-run may stray from it. Matched by <c>Key</c> (stable),
/// not by the label shown in the report, so that rewording a label keeps the baseline.
/// </summary>
public sealed record BaselineMetric(string Key, string Name, double Value, double Tolerance)
{
    /// <summary>
    /// At the paper profile, the standard deviation of the value over the seeds that made it: the tolerance is at least
    /// this, because a GPU's rounding moves a chaotic run's events as another seed would (issue 28). Null elsewhere.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? SeedSpread { get; init; }

    /// <summary>The sample standard deviation of the finite values; null with fewer than two.</summary>
    public static double? SpreadOf(IEnumerable<double>? values)
    {
        var finite = (values ?? []).Where(double.IsFinite).ToList();
        if (finite.Count < 2)
        {
            return null;
        }

        double mean = finite.Average();
        return Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Count - 1));
    }
}
