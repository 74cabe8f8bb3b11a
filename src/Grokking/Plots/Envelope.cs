namespace Grokking.Plots;

/// <summary>
/// Thins a long series (a value per optimizer step, 10^5 of them) for drawing: the samples are split into equal runs of
/// consecutive indices and each run keeps its lowest and its highest finite sample, in index order. A spike one sample
/// wide survives, which keeping every k-th sample would miss, and the chart's files stay small.
/// </summary>
public static class Envelope
{
    /// <summary>
    /// At most about <paramref name="maxPoints"/> points (two per run); a series no longer than that is returned as
    /// given, non-finite samples included.
    /// </summary>
    public static (double[] X, double[] Y) Of(IReadOnlyList<double> x, IReadOnlyList<double> y, int maxPoints = 4000)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"x has {x.Count} values but y has {y.Count}", nameof(y));
        }

        if (y.Count <= maxPoints)
        {
            return (x.ToArray(), y.ToArray());
        }

        int runs = maxPoints / 2;
        var keptX = new List<double>(maxPoints);
        var keptY = new List<double>(maxPoints);
        for (int r = 0; r < runs; r++)
        {
            int start = (int)((long)r * y.Count / runs);
            int end = (int)((long)(r + 1) * y.Count / runs);
            int low = -1;
            int high = -1;
            for (int i = start; i < end; i++)
            {
                if (!double.IsFinite(y[i]))
                {
                    continue;
                }

                low = low < 0 || y[i] < y[low] ? i : low;
                high = high < 0 || y[i] > y[high] ? i : high;
            }

            if (low < 0)
            {
                continue;
            }

            foreach (int i in low == high ? [low] : new[] { Math.Min(low, high), Math.Max(low, high) })
            {
                keptX.Add(x[i]);
                keptY.Add(y[i]);
            }
        }

        return (keptX.ToArray(), keptY.ToArray());
    }
}
