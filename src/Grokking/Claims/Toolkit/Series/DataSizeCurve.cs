using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// OG-7's tests on one seed's times against increasing train fractions (see OG-7's rule, <c>DataSizeDependence</c>).
/// <see cref="WorstRise"/> is the largest relative change of the time from one generalizing fraction to the next (negative
/// when every step speeds up), NaN when fewer than two consecutive fractions generalize.
/// </summary>
public sealed record DataSizeCurve(bool UpperRange, bool Faster, bool BothSides, double CriticalFraction, double WorstRise)
{
    public bool Holds => UpperRange && Faster && BothSides;

    /// <summary>The curve's shape without the trend: a critical size (an upper range that generalizes, with a failing fraction below).</summary>
    public bool Shaped => UpperRange && BothSides;

    /// <param name="fractions">Increasing.</param>
    /// <param name="times">Steps to the test level per fraction; NaN = never within the budget.</param>
    public static DataSizeCurve Judge(double[] fractions, double[] times, double timeSlack)
    {
        if (fractions.Length != times.Length || fractions.Length < 2 || fractions.Zip(fractions.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new ArgumentException("need at least two increasing fractions with one time each");
        }

        int first = Array.FindIndex(times, double.IsFinite);
        // No fraction generalizing is vacuously an upper range: the missing critical size is BothSides' to name.
        bool upper = first < 0 || times.Skip(first).All(double.IsFinite);
        double worst = double.NaN;
        for (int i = Math.Max(first, 0); first >= 0 && i + 1 < times.Length; i++)
        {
            if (double.IsFinite(times[i]) && double.IsFinite(times[i + 1]))
            {
                double rise = (times[i + 1] / times[i]) - 1;
                worst = double.IsNaN(worst) ? rise : Math.Max(worst, rise);
            }
        }

        int succeeded = times.Count(double.IsFinite);
        bool bothSides = succeeded >= 2 && succeeded < times.Length;
        return new DataSizeCurve(upper, double.IsNaN(worst) || worst <= timeSlack, bothSides, first >= 0 ? fractions[first] : double.NaN, worst);
    }

    /// <param name="noun">What the sweep varies ("fraction", or "training-set size" for a size sweep).</param>
    public string Describe(double[] fractions, double[] times, string noun = "fraction")
    {
        string points = string.Join(", ", fractions.Zip(times, (f, t) => $"{f:G3}: {(double.IsFinite(t) ? $"{t:0}" : "never")}"));
        var problems = new List<string>();
        if (!UpperRange)
        {
            problems.Add($"a {noun} fails above one that generalizes");
        }

        if (!Faster)
        {
            problems.Add($"time rises by {WorstRise:P0} with more data");
        }

        if (!BothSides)
        {
            problems.Add($"no failing {noun}, or fewer than two generalizing ones: no critical size and trend to read");
        }

        return $"critical {noun} {CriticalFraction:G3}; steps to the level by {noun} {points}"
            + (problems.Count == 0 ? "" : " — " + string.Join("; ", problems));
    }
}
