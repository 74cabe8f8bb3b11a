namespace Grokking.Landscape;

/// <summary>
/// Frankle et al. (2020)'s barrier of a metric along a path: the largest rise of the metric above the straight
/// line between its values at the path's two ends, max_t [m(t) - ((1 - u) m(start) + u m(end))] with u the
/// position between the ends. Zero for a path that never rises above its ends' interpolation.
/// </summary>
public static class Barriers
{
    public static double Of(IReadOnlyList<double> t, IReadOnlyList<double> values) => Largest(t, values).Rise;

    /// <summary>Where the barrier is reached (the t of the largest rise; the start when there is none).</summary>
    public static double At(IReadOnlyList<double> t, IReadOnlyList<double> values) => Largest(t, values).T;

    private static (double Rise, double T) Largest(IReadOnlyList<double> t, IReadOnlyList<double> values)
    {
        if (t.Count != values.Count || t.Count < 2)
        {
            throw new ArgumentException("a barrier needs at least two points with one value each");
        }

        double t0 = t[0];
        double span = t[^1] - t0;
        (double Rise, double T) best = (0, t0);
        for (int i = 0; i < t.Count; i++)
        {
            double u = span == 0 ? 0 : (t[i] - t0) / span;
            double rise = values[i] - (((1 - u) * values[0]) + (u * values[^1]));
            if (rise > best.Rise)
            {
                best = (rise, t[i]);
            }
        }

        return best;
    }
}
