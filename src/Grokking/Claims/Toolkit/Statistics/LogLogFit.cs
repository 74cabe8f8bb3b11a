using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Least-squares line through (log10 x, log10 y): y ~ 10^Intercept * x^Slope, with R² on the log scale and a
/// percentile bootstrap interval of the slope that resamples whole groups (seeds) with replacement, so points of one
/// seed, which share their data and initialization, move together. Shared by power laws in a hyperparameter
/// (OG-3: t against weight decay; PG-1: t against train fraction).
/// </summary>
public sealed record LogLogFit(double Slope, double Intercept, double RSquared, double SlopeLow, double SlopeHigh, int Points)
{
    public const int Resamples = SeedBootstrap.Resamples;

    /// <param name="points">Positive, finite x and y; the group is the seed a point came from.</param>
    /// <param name="coverage">Central share of the bootstrap distribution the interval covers (0.95).</param>
    public static LogLogFit Fit(IReadOnlyList<(double X, double Y, long Group)> points, double coverage = 0.95, int bootstrapSeed = 0)
    {
        if (points.Any(p => !(p.X > 0) || !(p.Y > 0) || !double.IsFinite(p.X) || !double.IsFinite(p.Y)))
        {
            throw new ArgumentException("a log-log fit needs positive, finite points", nameof(points));
        }

        var logs = points.Select(p => (X: Math.Log10(p.X), Y: Math.Log10(p.Y), p.Group)).ToList();
        var (slope, intercept, r2) = Line(logs.Select(p => (p.X, p.Y)).ToList());
        var groups = logs.GroupBy(p => p.Group).Select(g => g.Select(p => (p.X, p.Y)).ToList()).ToList();
        var (low, high) = SeedBootstrap.Interval(groups, sample => Line([.. sample.SelectMany(g => g)]).Slope, coverage, bootstrapSeed);
        return new LogLogFit(slope, intercept, r2, low, high, points.Count);
    }

    /// <summary>Ordinary least squares y = intercept + slope x; NaN slope when every x is the same.</summary>
    public static (double Slope, double Intercept, double RSquared) Line(IReadOnlyList<(double X, double Y)> points)
    {
        int n = points.Count;
        if (n < 2)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        double mx = points.Average(p => p.X);
        double my = points.Average(p => p.Y);
        double sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        double sxy = points.Sum(p => (p.X - mx) * (p.Y - my));
        double syy = points.Sum(p => (p.Y - my) * (p.Y - my));
        if (sxx <= 0)
        {
            return (double.NaN, double.NaN, double.NaN);
        }

        double slope = sxy / sxx;
        double intercept = my - (slope * mx);
        double r2 = syy <= 0 ? 1 : sxy * sxy / (sxx * syy);
        return (slope, intercept, r2);
    }
}
