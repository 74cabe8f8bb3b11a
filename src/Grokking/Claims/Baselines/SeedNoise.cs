namespace Grokking.Claims.Baselines;

/// <summary>
/// How far a number made from several seeds may move when the same run is repeated on another CPU or GPU. A chaotic
/// run's events (a fit, a collapse, grokking) move with the device's rounding as they would with another seed, so for
/// such a number a re-run on another device is a fresh draw of its seeds. Two independent means of n_a and n_r seeds
/// differ by at most t(0.9995; n_a + n_r - 2) x sqrt(s_a^2 / n_a + s_r^2 / n_r) in 99.9 % of such re-runs (Student's
/// two-sample bound; exact for normal seeds with equal spreads and counts). 99.9 % rather than 95 %: a claim pins a
/// handful of numbers, and a baseline that fails one re-run in twenty on another device would make CI's verdict on the
/// engine a coin toss. With 3 seeds a side that is about 7 seed spreads: numbers from 3 seeds pin little across devices,
/// the verdicts (always exact) pin the claim.
/// </summary>
public static class SeedNoise
{
    /// <summary>t(0.9995; df) for df 1-30, as the standard table prints it.</summary>
    private static readonly double[] Table9995 =
    [
        636.619, 31.599, 12.924, 8.610, 6.869, 5.959, 5.408, 5.041, 4.781, 4.587,
        4.437, 4.318, 4.221, 4.140, 4.073, 4.015, 3.965, 3.922, 3.883, 3.850,
        3.819, 3.792, 3.768, 3.745, 3.725, 3.707, 3.690, 3.674, 3.659, 3.646,
    ];

    /// <summary>
    /// The allowance for a number accepted with spread <paramref name="acceptedSpread"/> over <paramref name="acceptedSeeds"/>
    /// seeds and received with <paramref name="receivedSpread"/> over <paramref name="receivedSeeds"/>: 0 when neither side
    /// recorded a spread. A side without a spread (a baseline made before spreads were recorded at its profile) or without
    /// its seed count borrows the other side's, as both were made at the same profile and so with the same seeds.
    /// </summary>
    public static double Allowance(double? acceptedSpread, int? acceptedSeeds, double? receivedSpread, int? receivedSeeds)
    {
        if (acceptedSpread is null && receivedSpread is null)
        {
            return 0;
        }

        double sa = acceptedSpread ?? receivedSpread!.Value;
        double sr = receivedSpread ?? sa;
        int na = Math.Max(2, acceptedSeeds ?? receivedSeeds ?? 2);
        int nr = Math.Max(2, receivedSeeds ?? na);
        return Quantile9995(na + nr - 2) * Math.Sqrt((sa * sa / na) + (sr * sr / nr));
    }

    /// <summary>
    /// A stored or claimed tolerance widened to the two runs' seed noise: a metric's stored tolerance (at least the seed
    /// spread in paper files made before spreads were recorded at every profile) or a comparison's.
    /// </summary>
    public static double Widen(double tolerance, double? acceptedSpread, int? acceptedSeeds, double? receivedSpread, int? receivedSeeds) =>
        Math.Max(tolerance, Allowance(acceptedSpread, acceptedSeeds, receivedSpread, receivedSeeds));

    /// <summary>
    /// t(0.9995; df), the two-sided 99.9 % quantile of Student's t, from the standard table (three decimals). Above 30
    /// degrees of freedom the table's last entry, 3.646, wider than the true quantile (3.291 in the limit): no profile
    /// runs more than 16 seeds a side, and a wider allowance errs on the side of a green run, not of a missed verdict.
    /// </summary>
    public static double Quantile9995(int degreesOfFreedom) =>
        degreesOfFreedom >= 1
            ? Table9995[Math.Min(degreesOfFreedom, Table9995.Length) - 1]
            : throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "a t quantile needs at least 1 degree of freedom");
}
