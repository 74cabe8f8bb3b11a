using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Spearman rank correlation with a two-sided permutation p-value. PG-2 relates an early-curve signature to the final
/// test accuracy across a few dozen runs: the relation need only be monotone, not linear, and accuracies pile up at 1.0,
/// so ranks (average ranks for ties, rho = Pearson correlation of the ranks) fit it, and a permutation test gives an
/// exact-in-distribution p-value at small n without the t approximation's assumptions.
/// p = (1 + #{permutations with |rho_perm| ≥ |rho_obs| − 1e-12}) / (1 + permutations): the +1 counts the observed
/// order as one of the permutations, so p is never 0, and the 1e-12 keeps permutations that tie the observed value
/// (exactly, up to rounding) on the counted side. Each permutation is a Fisher-Yates shuffle of y drawn from
/// <c>new Random(seed)</c>, so a seed fixes the p-value.
/// </summary>
public sealed record SpearmanTest(double Rho, double PValue, int N, int Permutations)
{
    private const double TieSlack = 1e-12;

    /// <param name="x">One value per run; a NaN drops the run's pair (a diverged run has no signature).</param>
    /// <param name="y">One value per run, aligned with <paramref name="x"/>; a NaN drops the pair.</param>
    /// <param name="permutations">How many shuffles of y the p-value is estimated from (at least 1).</param>
    /// <param name="seed">Seed of the shuffles.</param>
    /// <returns>Rho and PValue are NaN when fewer than 3 pairs remain or either side is constant.</returns>
    public static SpearmanTest Of(IReadOnlyList<double> x, IReadOnlyList<double> y, int permutations = 10000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values but y has {y.Count}", nameof(y));
        }

        if (permutations < 1)
        {
            throw new ArgumentException($"permutations must be at least 1, got {permutations}", nameof(permutations));
        }

        var kept = Enumerable.Range(0, x.Count).Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i])).ToArray();
        int n = kept.Length;
        if (n < 3)
        {
            return new SpearmanTest(double.NaN, double.NaN, n, permutations);
        }

        var rx = Centered(Ranks(kept.Select(i => x[i]).ToArray()));
        var ry = Centered(Ranks(kept.Select(i => y[i]).ToArray()));
        double sxx = rx.Sum(v => v * v);
        double syy = ry.Sum(v => v * v);
        if (sxx <= 0 || syy <= 0)
        {
            return new SpearmanTest(double.NaN, double.NaN, n, permutations);
        }

        // The rank sets, and so sxx and syy, are the same under every permutation: only the cross sum changes.
        double norm = Math.Sqrt(sxx * syy);
        double rho = Cross(rx, ry) / norm;
        double threshold = Math.Abs(rho) - TieSlack;
        var random = new Random(seed);
        var shuffled = (double[])ry.Clone();
        int extreme = 0;
        for (int p = 0; p < permutations; p++)
        {
            for (int i = n - 1; i > 0; i--)
            {
                int j = random.Next(i + 1);
                (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
            }

            if (Math.Abs(Cross(rx, shuffled) / norm) >= threshold)
            {
                extreme++;
            }
        }

        return new SpearmanTest(Math.Clamp(rho, -1, 1), (1.0 + extreme) / (1.0 + permutations), n, permutations);
    }

    /// <summary>
    /// Spearman's rho alone (no p-value, no NaN filtering): Pearson correlation of the average ranks; NaN when either
    /// side is constant or fewer than 2 pairs are given, since no order can then be read.
    /// </summary>
    public static double RankCorrelation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values but y has {y.Count}", nameof(y));
        }

        if (x.Count < 2)
        {
            return double.NaN;
        }

        var rx = Centered(Ranks(x));
        var ry = Centered(Ranks(y));
        double sxx = Cross(rx, rx), syy = Cross(ry, ry);
        return sxx <= 0 || syy <= 0 ? double.NaN : Cross(rx, ry) / Math.Sqrt(sxx * syy);
    }

    /// <summary>Ranks 1 … n; tied values share the average of the ranks they span.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        int start = 0;
        while (start < order.Length)
        {
            int end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
            {
                end++;
            }

            double average = ((start + 1) + (end + 1)) / 2.0;
            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = average;
            }

            start = end + 1;
        }

        return ranks;
    }

    private static double[] Centered(double[] values)
    {
        double mean = values.Average();
        return values.Select(v => v - mean).ToArray();
    }

    private static double Cross(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
