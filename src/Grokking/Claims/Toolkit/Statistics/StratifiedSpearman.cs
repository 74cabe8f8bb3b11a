namespace Grokking.Claims.Toolkit;

/// <summary>
/// Spearman's rank correlation within strata (PG-2: within each train fraction), pooled over the strata: each stratum's
/// x and y are ranked within it and centered on its mean rank, and rho is the correlation of those centered ranks over
/// every member, so a difference between strata (a larger fraction has both a larger loss energy and a higher final
/// accuracy) adds nothing to it. Only informative strata count: at least two members whose outcomes y are not all
/// equal (a stratum where every member reached the same accuracy has no order to predict).
/// <list type="bullet">
/// <item>A predictor constant within every informative stratum orders nothing there: rho is 0, exactly, with the
/// interval [0, 0] and p = 1 (no resampling of members within strata can give it an order).</item>
/// <item>The p-value permutes y within each stratum (<paramref name="Permutations"/> shuffles, seeded), two-sided, with
/// the observed order counted as one permutation, as <see cref="SpearmanTest"/> does.</item>
/// <item>The interval is Fisher's z with Bonett and Wright's (2000) standard error for Spearman's rho,
/// √((1 + rho²/2) / (n − 3)), at n = <see cref="EffectiveMembers"/>: the members less one degree of freedom for each
/// stratum's centering beyond the first. NaN when n ≤ 3.</item>
/// </list>
/// </summary>
public sealed record StratifiedSpearman(double Rho, double PValue, double Low, double High, int Members, int Strata, int Permutations)
{
    private const double TieSlack = 1e-12;

    /// <summary>Members less a degree of freedom per stratum beyond the first (each stratum's ranks are centered).</summary>
    public int EffectiveMembers => Members - Strata + 1;

    /// <param name="x">The predictor, one value per member; a NaN drops the member.</param>
    /// <param name="y">The outcome, aligned with <paramref name="x"/>; a NaN drops the member.</param>
    /// <param name="stratum">Each member's stratum (its train fraction).</param>
    /// <param name="coverage">Central coverage of the interval (1 − alpha).</param>
    public static StratifiedSpearman Of(
        IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> stratum, double coverage = 0.95, int permutations = 10000,
        int seed = 0)
    {
        var strata = Enumerable.Range(0, x.Count)
            .Where(i => !double.IsNaN(x[i]) && !double.IsNaN(y[i]))
            .GroupBy(i => stratum[i])
            .Select(g => g.ToArray())
            .Where(g => g.Length >= 2 && g.Select(i => y[i]).Distinct().Count() > 1)
            .Select(g => (X: Centered(SpearmanTest.Ranks([.. g.Select(i => x[i])])), Y: Centered(SpearmanTest.Ranks([.. g.Select(i => y[i])]))))
            .ToList();
        int members = strata.Sum(s => s.X.Length);
        if (strata.Count == 0)
        {
            return new(double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, permutations);
        }

        double sxx = strata.Sum(s => Cross(s.X, s.X)), syy = strata.Sum(s => Cross(s.Y, s.Y));
        if (sxx <= 0)
        {
            return new(0, 1, 0, 0, members, strata.Count, permutations);
        }

        double norm = Math.Sqrt(sxx * syy);
        double rho = Math.Clamp(strata.Sum(s => Cross(s.X, s.Y)) / norm, -1, 1);
        double p = Permuted(strata, norm, Math.Abs(rho) - TieSlack, permutations, seed);
        var (low, high) = FisherInterval(rho, members - strata.Count + 1, coverage);
        return new(rho, p, low, high, members, strata.Count, permutations);
    }

    /// <summary>Fisher's z interval of a Spearman rho over <paramref name="n"/> members (Bonett and Wright's error).</summary>
    public static (double Low, double High) FisherInterval(double rho, int n, double coverage)
    {
        if (n <= 3 || !double.IsFinite(rho))
        {
            return (double.NaN, double.NaN);
        }

        double z = Math.Atanh(Math.Clamp(rho, -0.999999, 0.999999));
        double half = NormalQuantile(0.5 + (coverage / 2)) * Math.Sqrt((1 + (rho * rho / 2)) / (n - 3));
        return (Math.Tanh(z - half), Math.Tanh(z + half));
    }

    /// <summary>
    /// The standard normal quantile of <paramref name="q"/> in (0.5, 1), by Abramowitz and Stegun 26.2.23 (error below
    /// 4.5e-4, far below the interval's own uncertainty at a dozen members).
    /// </summary>
    public static double NormalQuantile(double q)
    {
        double t = Math.Sqrt(-2 * Math.Log(1 - q));
        return t - ((2.515517 + (0.802853 * t) + (0.010328 * t * t)) / (1 + (1.432788 * t) + (0.189269 * t * t) + (0.001308 * t * t * t)));
    }

    private static double Permuted(List<(double[] X, double[] Y)> strata, double norm, double threshold, int permutations, int seed)
    {
        var random = new Random(seed);
        var shuffled = strata.Select(s => (double[])s.Y.Clone()).ToList();
        int extreme = 0;
        for (int p = 0; p < permutations; p++)
        {
            double cross = 0;
            for (int k = 0; k < strata.Count; k++)
            {
                var y = shuffled[k];
                for (int i = y.Length - 1; i > 0; i--)
                {
                    int j = random.Next(i + 1);
                    (y[i], y[j]) = (y[j], y[i]);
                }

                cross += Cross(strata[k].X, y);
            }

            extreme += Math.Abs(cross / norm) >= threshold ? 1 : 0;
        }

        return (1.0 + extreme) / (1.0 + permutations);
    }

    private static double[] Centered(double[] values)
    {
        double mean = values.Average();
        return [.. values.Select(v => v - mean)];
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
