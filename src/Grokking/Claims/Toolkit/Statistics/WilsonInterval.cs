namespace Grokking.Claims.Toolkit;

/// <summary>
/// The 95 % Wilson score interval of a share k / n pooled over seeds (drops that recovered, members that grokked): unlike
/// the normal approximation it stays inside [0, 1] and is not degenerate at k = 0 or k = n, which small counts hit.
/// center = (p + z²/2n) / (1 + z²/n), half = z·√(p(1−p)/n + z²/4n²) / (1 + z²/n), z = 1.96.
/// </summary>
public sealed record WilsonInterval(double Share, double Low, double High, int Successes, int Trials)
{
    private const double Z = 1.959964;

    public static WilsonInterval Of(int successes, int trials)
    {
        if (trials <= 0 || successes < 0 || successes > trials)
        {
            return new WilsonInterval(double.NaN, 0, 1, successes, trials);
        }

        double p = (double)successes / trials, n = trials, z2 = Z * Z;
        double denominator = 1 + (z2 / n);
        double center = (p + (z2 / (2 * n))) / denominator;
        double half = Z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return new WilsonInterval(p, Math.Max(0, center - half), Math.Min(1, center + half), successes, trials);
    }

    /// <summary>
    /// The fewest trials (more than <see cref="Trials"/>) at this share whose interval excludes the threshold; null if none
    /// to 10,000.
    /// </summary>
    public int? TrialsToDecide(double threshold)
    {
        if (!double.IsFinite(Share) || Share == threshold)
        {
            return null;
        }

        for (int n = Trials + 1; n <= 10_000; n++)
        {
            var at = Of((int)Math.Round(Share * n), n);
            if (at.Low > threshold || at.High < threshold)
            {
                return n;
            }
        }

        return null;
    }
}
