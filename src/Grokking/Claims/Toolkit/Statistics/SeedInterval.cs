namespace Grokking.Claims.Toolkit;

/// <summary>
/// Mean, sample standard deviation and 95 % Student-t interval of the mean of a few seeds' values: mean ± t(0.975; n−1)
/// · s / √n. With one value the interval is unbounded (no spread is known).
/// </summary>
public sealed record SeedInterval(double Mean, double StandardDeviation, double Low, double High, int Count)
{
    public static SeedInterval Of(IReadOnlyList<double> values)
    {
        int n = values.Count;
        if (n == 0)
        {
            return new SeedInterval(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        double mean = values.Average();
        if (n == 1)
        {
            return new SeedInterval(mean, double.NaN, double.NegativeInfinity, double.PositiveInfinity, 1);
        }

        double sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        double half = HalfWidth(sd, n);
        return new SeedInterval(mean, sd, mean - half, mean + half, n);
    }

    /// <summary>t(0.975; n−1) · sd / √n.</summary>
    public static double HalfWidth(double standardDeviation, int count) =>
        TDistribution.Quantile975(count - 1) * standardDeviation / Math.Sqrt(count);

    /// <summary>
    /// The fewest seeds (more than <see cref="Count"/>) whose interval, at this mean and spread, would lie wholly on one
    /// side of <paramref name="threshold"/>; null when none up to 1,000 would (the mean sits on the threshold).
    /// </summary>
    public int? SeedsToDecide(double threshold)
    {
        double gap = Math.Abs(Mean - threshold);
        if (!double.IsFinite(StandardDeviation) || gap == 0)
        {
            return null;
        }

        for (int n = Math.Max(Count + 1, 2); n <= 1000; n++)
        {
            if (HalfWidth(StandardDeviation, n) < gap)
            {
                return n;
            }
        }

        return null;
    }
}
