using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// The first <see cref="Steps"/> train losses of a run, and nothing after them. PG-2 (Notsawo et al. 2023,
/// "Predicting grokking long before it happens") claims that the early train-loss curve alone foretells the final test
/// accuracy; a predictor that could read a later loss (or the test curve) would leak the answer into the prediction.
/// Predictors therefore take this type instead of a run's series: it copies the prefix when built, so neither the
/// later values nor later changes to the source list are reachable through it.
/// </summary>
public sealed class EarlyLossWindow
{
    /// <summary>
    /// Three values are the fewest for which the second difference, and so Hjorth's complexity, has a value.
    /// </summary>
    public const int MinSteps = 3;

    private readonly double[] losses;

    private EarlyLossWindow(double[] losses) => this.losses = losses;

    /// <summary>The first <see cref="Steps"/> losses, in step order.</summary>
    public IReadOnlyList<double> Losses => Array.AsReadOnly(losses);

    public int Steps => losses.Length;

    /// <summary>Keeps the first <paramref name="steps"/> values of <paramref name="fullSeries"/> (a copy).</summary>
    /// <exception cref="ArgumentException">
    /// When <paramref name="steps"/> is below <see cref="MinSteps"/> or the series has fewer than <paramref name="steps"/>
    /// values: a shorter window would silently measure a different prefix than the one asked for.
    /// </exception>
    public static EarlyLossWindow Of(IReadOnlyList<double> fullSeries, int steps)
    {
        ArgumentNullException.ThrowIfNull(fullSeries);
        if (steps < MinSteps)
        {
            throw new ArgumentException($"steps must be at least {MinSteps}, got {steps}", nameof(steps));
        }

        if (fullSeries.Count < steps)
        {
            throw new ArgumentException($"steps ({steps}) exceeds the series length ({fullSeries.Count})", nameof(steps));
        }

        var copy = new double[steps];
        for (int i = 0; i < steps; i++)
        {
            copy[i] = fullSeries[i];
        }

        return new EarlyLossWindow(copy);
    }
}
