namespace Grokking.Landscape;

/// <summary>Shape statistics of a metric along a path (values in t order), the quantities the path claims decide on.</summary>
public static class CurveShape
{
    /// <summary>
    /// How far the curve ever climbs back above its running minimum: 0 for a non-increasing curve. A curve that
    /// "falls monotonically up to noise" has a small value.
    /// </summary>
    public static double MaxRise(IReadOnlyList<double> values)
    {
        double low = double.PositiveInfinity;
        double rise = 0;
        foreach (double v in values)
        {
            low = Math.Min(low, v);
            rise = Math.Max(rise, v - low);
        }

        return rise;
    }

    /// <summary>
    /// The first t from which the curve stays within <paramref name="band"/> of its value at the end of the path
    /// (a plateau reached and kept); the end's t when only the end is in the band.
    /// </summary>
    public static double PlateauStart(IReadOnlyList<double> t, IReadOnlyList<double> values, double band)
    {
        double level = values[^1] + band;
        int start = values.Count - 1;
        while (start > 0 && values[start - 1] <= level)
        {
            start--;
        }

        return t[start];
    }

    /// <summary>Largest minus smallest value.</summary>
    public static double Range(IReadOnlyList<double> values) => values.Max() - values.Min();

    /// <summary>
    /// Interior local maxima ("hills") with their topographic prominence: how far the curve must descend from the
    /// peak before reaching higher ground (or an end of the path) on both sides, the smaller of the two drops.
    /// </summary>
    public static IReadOnlyList<(int Index, double Prominence)> Peaks(IReadOnlyList<double> values)
    {
        var peaks = new List<(int, double)>();
        for (int i = 1; i + 1 < values.Count; i++)
        {
            // A flat top counts once, at its first point.
            if (!(values[i] > values[i - 1]))
            {
                continue;
            }

            int j = i;
            while (j + 1 < values.Count && values[j + 1] == values[i])
            {
                j++;
            }

            if (j + 1 >= values.Count || !(values[j + 1] < values[i]))
            {
                continue;
            }

            double leftMin = values[i];
            for (int l = i - 1; l >= 0 && values[l] <= values[i]; l--)
            {
                leftMin = Math.Min(leftMin, values[l]);
            }

            double rightMin = values[i];
            for (int r = j + 1; r < values.Count && values[r] <= values[i]; r++)
            {
                rightMin = Math.Min(rightMin, values[r]);
            }

            peaks.Add((i, values[i] - Math.Max(leftMin, rightMin)));
        }

        return peaks;
    }
}
