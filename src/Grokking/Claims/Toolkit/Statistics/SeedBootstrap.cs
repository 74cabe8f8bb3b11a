namespace Grokking.Claims.Toolkit;

/// <summary>
/// A percentile bootstrap of a statistic pooled over seeds that resamples whole seeds with replacement: the one scheme
/// behind <see cref="LogLogFit"/>'s slope interval and a fit's other statistics (R², a spread of per-seed medians; OG-3,
/// PG-1), so they all read the same uncertainty.
/// </summary>
public static class SeedBootstrap
{
    public const int Resamples = 2000;

    /// <summary>
    /// The central <paramref name="coverage"/> interval of <paramref name="statistic"/> over resampled groups; NaN with
    /// fewer than 2 groups.
    /// </summary>
    public static (double Low, double High) Interval<T>(
        IReadOnlyList<T> groups, Func<IReadOnlyList<T>, double> statistic, double coverage = 0.95, int bootstrapSeed = 0)
    {
        var values = new List<double>(Resamples);
        var random = new Random(bootstrapSeed);
        for (int b = 0; b < Resamples && groups.Count > 1; b++)
        {
            var sample = new List<T>(groups.Count);
            for (int i = 0; i < groups.Count; i++)
            {
                sample.Add(groups[random.Next(groups.Count)]);
            }

            double v = statistic(sample);
            if (double.IsFinite(v))
            {
                values.Add(v);
            }
        }

        values.Sort();
        double tail = (1 - coverage) / 2;
        double Quantile(double q) =>
            values.Count == 0 ? double.NaN : values[(int)Math.Clamp(Math.Round(q * (values.Count - 1)), 0, values.Count - 1)];
        return (Quantile(tail), Quantile(1 - tail));
    }
}
