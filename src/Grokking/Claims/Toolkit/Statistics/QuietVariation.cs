using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// PG-5: the cosine similarity of successive weight vectors stays almost constant except at slingshots. Read as the
/// coefficient of variation (population std / |mean|) of the series once the samples within ±w of every spike onset
/// are removed, next to the CV of the whole series: the claim holds when the quiet CV is small and well below the
/// whole one. The CV, not the std, so that the verdict does not depend on the series' level. Non-finite samples are
/// never kept; a CV is NaN with fewer than 3 samples (no spread worth reading) or a zero mean (no relative spread).
/// </summary>
/// <param name="QuietCv">CV of the samples farther than w from every onset.</param>
/// <param name="WholeCv">CV of every finite sample.</param>
/// <param name="Kept">How many samples <paramref name="QuietCv"/> was computed from.</param>
public sealed record QuietVariation(double QuietCv, double WholeCv, int Kept)
{
    /// <param name="series">The series, e.g. cosine similarity between successive logged weight vectors.</param>
    /// <param name="onsets">Indices of spike onsets (<see cref="SpikeDetector.Onsets"/>).</param>
    /// <param name="halfWidth">w ≥ 0: samples i with |i − onset| ≤ w are removed.</param>
    public static QuietVariation Of(IReadOnlyList<double> series, IReadOnlyList<int> onsets, int halfWidth)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(onsets);
        ArgumentOutOfRangeException.ThrowIfNegative(halfWidth);
        var quiet = Enumerable.Range(0, series.Count)
            .Where(i => double.IsFinite(series[i]) && !onsets.Any(o => Math.Abs(i - o) <= halfWidth))
            .Select(i => series[i])
            .ToArray();
        return new QuietVariation(Cv(quiet), Cv(series.Where(double.IsFinite).ToArray()), quiet.Length);
    }

    /// <summary>
    /// The same read with the removed samples given as a predicate (PG-5's slingshot spans) instead of windows around
    /// onsets.
    /// </summary>
    public static QuietVariation Of(IReadOnlyList<double> series, Func<int, bool> removed)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(removed);
        var quiet = Enumerable.Range(0, series.Count).Where(i => double.IsFinite(series[i]) && !removed(i)).Select(i => series[i]).ToArray();
        return new QuietVariation(Cv(quiet), Cv(series.Where(double.IsFinite).ToArray()), quiet.Length);
    }

    private static double Cv(double[] values)
    {
        if (values.Length < 3)
        {
            return double.NaN;
        }

        double mean = values.Average();
        if (mean == 0)
        {
            return double.NaN;
        }

        double variance = values.Sum(v => (v - mean) * (v - mean)) / values.Length;
        return Math.Sqrt(variance) / Math.Abs(mean);
    }
}
