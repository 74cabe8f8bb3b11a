using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Spectral signature of an early train-loss curve L_0 … L_{N-1} (PG-2: these numbers, read before grokking, correlate
/// with the final test accuracy across runs).
/// <list type="bullet">
/// <item><see cref="Energy"/> = Σ_t L_t². By Parseval this equals Σ_k |F(L)_k|² / N for the unnormalized DFT F, so the
/// spectral energy needs no transform; it is exactly what the paper's public code accumulates
/// (<c>train_energy += loss**2</c> once per step).</item>
/// <item><see cref="Activity"/> = var(L), the population variance (divisor N): Hjorth's m0.</item>
/// <item><see cref="Mobility"/> = sqrt(var(ΔL) / var(L)) with ΔL_t = L_{t+1} − L_t, the first difference (variance over
/// its N−1 values): an estimate of the mean frequency, in radians per step.</item>
/// <item><see cref="Complexity"/> = Mobility(ΔL) / Mobility(L) = sqrt(var(Δ²L) / var(ΔL)) / Mobility(L): how far the
/// curve is from a single sinusoid (1 for a pure tone, √(3/2) for white noise).</item>
/// </list>
/// Differences are discrete, not derivatives: for L_t = sin(ωt) the mobility is 2 sin(ω/2), which tends to ω only for
/// slow tones. A ratio whose denominator variance is zero (a constant series or a constant difference) is NaN, never an
/// exception, because a flat loss curve is a legitimate run whose signature is simply undefined; a zero numerator with a
/// nonzero denominator is a true 0 (a straight line has mobility 0 and an undefined complexity).
/// </summary>
public sealed record HjorthParameters(double Energy, double Activity, double Mobility, double Complexity)
{
    public static HjorthParameters Of(EarlyLossWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var l = window.Losses.ToArray();
        var d1 = Difference(l);
        var d2 = Difference(d1);

        double energy = l.Sum(x => x * x);
        double v0 = Variance(l);
        double v1 = Variance(d1);
        double v2 = Variance(d2);
        double mobility = Ratio(v1, v0);
        double mobilityOfDifference = Ratio(v2, v1);
        double complexity = mobility > 0 ? mobilityOfDifference / mobility : double.NaN;
        return new HjorthParameters(energy, v0, mobility, complexity);
    }

    /// <summary>sqrt(numerator / denominator); NaN when the denominator variance is zero.</summary>
    private static double Ratio(double numerator, double denominator) => denominator > 0 ? Math.Sqrt(numerator / denominator) : double.NaN;

    private static double[] Difference(double[] x)
    {
        var d = new double[Math.Max(0, x.Length - 1)];
        for (int t = 0; t < d.Length; t++)
        {
            d[t] = x[t + 1] - x[t];
        }

        return d;
    }

    /// <summary>
    /// Population variance (two-pass). A variance below (1e-12 · max|x|)² is rounding noise and counts as zero: the
    /// differences of an exactly linear series stored in binary (0.1, 0.2, 0.3) are not bit-equal, and their ~1e-34
    /// variance must not turn into a huge, meaningless complexity.
    /// </summary>
    private static double Variance(double[] x)
    {
        if (x.Length == 0)
        {
            return 0;
        }

        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        double scale = 1e-12 * x.Max(Math.Abs);
        return variance <= scale * scale ? 0 : variance;
    }
}
