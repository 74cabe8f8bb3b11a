namespace Grokking.Claims.Baselines;

/// <summary>
/// One recorded number of an outcome and how far a re-run may stray from it. Matched by <c>Key</c> (stable),
/// not by the label shown in the report, so that rewording a label keeps the baseline.
/// </summary>
public sealed record BaselineMetric(string Key, string Name, double Value, double Tolerance)
{
    /// <summary>
    /// The standard deviation of the value over the seeds that made it: a re-run on another device may move the value by
    /// <see cref="SeedNoise.Allowance"/> of it, because a device's rounding moves a chaotic run's events as another seed
    /// would (issue 28). Null when fewer than two seeds had the value, and in files made before it was recorded.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public double? SeedSpread { get; init; }

    /// <summary>How many seeds had the value (the count behind <see cref="SeedSpread"/>); null beside a null spread.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Seeds { get; init; }

    /// <summary>The finite per-seed values' count when they have a spread (two or more); null otherwise.</summary>
    public static int? CountOf(IEnumerable<double>? values)
    {
        int count = (values ?? []).Count(double.IsFinite);
        return count >= 2 ? count : null;
    }

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
