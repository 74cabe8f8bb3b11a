using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// One seed's reduced errors over the weight-norm grid (Omnigrok's Eq. 3 with errors = 1 - accuracy, Fig. 3 and 11):
/// each member trained at its own alpha with the norm held fixed; its reduced train and test errors are 1 - the best
/// train and test accuracy over the run's metric rows (the MNIST landscape notebook keeps the best accuracy it saw).
/// </summary>
/// <param name="Alphas">Increasing.</param>
/// <param name="Diverged">A member of this seed diverged: its errors stopped where it diverged, so the seed has no reading.</param>
public sealed record ReducedErrors(long Seed, double[] Alphas, double[] Train, double[] Test, bool Diverged)
{
    /// <summary>Per seed (in increasing seed order), the members' errors in increasing alpha.</summary>
    public static List<ReducedErrors> Read(ClaimContext context) =>
        [.. context.Members.GroupBy(m => m.Seed).OrderBy(g => g.Key).Select(g =>
        {
            var members = g.OrderBy(m => m.InitScale).ToList();
            var rows = members.Select(m => MemberSeries.RowsBeforeDivergence(context.Result, m.Index)).ToList();
            static double Error(MetricRow[] r, Func<MetricRow, double> accuracy) => r.Length == 0 ? double.NaN : 1 - r.Max(accuracy);
            return new ReducedErrors(
                g.Key,
                [.. members.Select(m => m.InitScale)],
                [.. rows.Select(r => Error(r, x => x.TrainAccuracy))],
                [.. rows.Select(r => Error(r, x => x.ValAccuracy))],
                members.Any(m => context.Result.Events[m.Index].Diverged));
        })];

    /// <summary>How far the test error climbs from its minimum to the largest alpha: the right arm of the "U" (0 for an "L").</summary>
    public double RightRise => Diverged ? double.NaN : Test[^1] - Test.Min();

    /// <summary>
    /// The Goldilocks zone's width in decades of alpha: the span of log10 alpha around the test minimum where the test error
    /// is at most its minimum + <paramref name="margin"/>, each edge placed by linear interpolation in log10 alpha between
    /// the last grid point inside and the first outside. A zone that reaches an end of the grid is cut there (its width
    /// is then a lower bound), which <see cref="ZoneCensored"/> reports.
    /// </summary>
    public double ZoneWidth(double margin)
    {
        if (Diverged || Test.Any(v => !double.IsFinite(v)))
        {
            return double.NaN;
        }

        var (lo, hi) = ZoneEdges(margin);
        return hi - lo;
    }

    /// <summary>Whether the zone of <see cref="ZoneWidth"/> reaches an end of the grid.</summary>
    public bool ZoneCensored(double margin)
    {
        if (Diverged || Test.Any(v => !double.IsFinite(v)))
        {
            return false;
        }

        int argmin = Array.IndexOf(Test, Test.Min());
        double level = Test[argmin] + margin;
        return Test[..(argmin + 1)].All(v => v <= level) || Test[argmin..].All(v => v <= level);
    }

    private (double Lo, double Hi) ZoneEdges(double margin)
    {
        var x = Alphas.Select(Math.Log10).ToArray();
        int argmin = Array.IndexOf(Test, Test.Min());
        double level = Test[argmin] + margin;
        int left = argmin;
        while (left > 0 && Test[left - 1] <= level)
        {
            left--;
        }

        int right = argmin;
        while (right < Test.Length - 1 && Test[right + 1] <= level)
        {
            right++;
        }

        double lo = left == 0 ? x[0] : Crossing(x[left - 1], Test[left - 1], x[left], Test[left], level);
        double hi = right == Test.Length - 1 ? x[^1] : Crossing(x[right], Test[right], x[right + 1], Test[right + 1], level);
        return (lo, hi);
    }

    /// <summary>Where the line through (x0, y0) and (x1, y1) reaches <paramref name="level"/> (one end at most, the other above).</summary>
    private static double Crossing(double x0, double y0, double x1, double y1, double level) =>
        y0 == y1 ? x0 : x0 + ((level - y0) / (y1 - y0) * (x1 - x0));
}
