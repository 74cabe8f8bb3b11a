using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The L and U tests of OG-1 on one seed's curves (see OG-1's rule, <c>LuShape</c>), separate so they can be tested on
/// synthetic curves.
/// </summary>
public sealed record LuCurve(
    bool TrainMonotone,
    bool TrainFlat,
    bool TestInterior,
    bool TestDeep,
    bool MinimumNearOne,
    double TestMinimumAlpha,
    double WorstRise,
    double FlatRatio,
    double EndRatio)
{
    public bool Holds => TrainMonotone && TrainFlat && TestInterior && TestDeep && MinimumNearOne;

    /// <param name="alphas">Increasing.</param>
    /// <param name="relativePrecision">
    /// The losses' floating-point precision (machine epsilon of the run's dtype; 0 reads every digit): within one curve,
    /// a value below epsilon times the curve's largest value is not resolved from zero, so it is read as that floor
    /// (ties), and a "U" or a rise made of such digits is not measured.
    /// </param>
    public static LuCurve Judge(
        double[] alphas, double[] train, double[] test, double monotoneSlack, double flatShare, double uDepth, double nearOneFactor,
        double relativePrecision = 0)
    {
        train = Floored(train, relativePrecision);
        test = Floored(test, relativePrecision);
        if (alphas.Length < 3 || train.Length != alphas.Length || test.Length != alphas.Length)
        {
            throw new ArgumentException("the L/U test needs at least three alphas with a train and a test loss each");
        }

        if (alphas.Zip(alphas.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException("alphas must increase", nameof(alphas));
        }

        bool finite = train.Concat(test).All(double.IsFinite);
        double range = train.Max() - train.Min();
        double worstRise = Enumerable.Range(0, alphas.Length - 1).Max(i => train[i + 1] - train[i]) / Math.Max(range, double.Epsilon);
        bool monotone = finite && worstRise <= monotoneSlack;
        var flatPart = Enumerable.Range(0, alphas.Length).Where(i => alphas[i] >= 1 - 1e-9).Select(i => train[i]).ToList();
        double flatRatio = flatPart.Count == 0 ? double.NaN : flatPart.Max() / train[0];
        bool flat = finite && flatPart.Count > 0 && flatRatio <= flatShare;

        int argmin = Array.IndexOf(test, test.Min());
        bool interior = finite && argmin > 0 && argmin < alphas.Length - 1;
        double endRatio = Math.Min(test[0], test[^1]) / test[argmin];
        bool deep = finite && endRatio >= 1 + uDepth;
        double minAlpha = alphas[argmin];
        bool nearOne = Math.Abs(Math.Log(minAlpha)) <= Math.Log(nearOneFactor) + 1e-12;
        return new LuCurve(monotone, flat, interior, deep, nearOne, minAlpha, worstRise, flatRatio, endRatio);
    }

    private static double[] Floored(double[] curve, double relativePrecision)
    {
        double floor = relativePrecision * curve.Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return [.. curve.Select(v => double.IsFinite(v) ? Math.Max(v, floor) : v)];
    }

    public string Describe()
    {
        string train = $"train {(TrainMonotone ? "non-increasing" : "rises")} (largest rise {WorstRise:P1} of its range), "
            + $"{(TrainFlat ? "flat" : "not flat")} for alpha >= 1 (max {FlatRatio:P1} of its value at the smallest alpha)";
        string test = $"test minimum at alpha {TestMinimumAlpha:G3} ({(TestInterior ? "inside the grid" : "at an end of the grid")}, "
            + $"ends {EndRatio:0.##}x the minimum{(TestDeep ? "" : ", too shallow for a U")}{(MinimumNearOne ? "" : ", not near alpha = 1")})";
        return string.Join("; ", train, test);
    }
}
