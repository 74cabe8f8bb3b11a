using Grokking.Claims.Contracts;
using Grokking.Configuration;

namespace Grokking.Claims.Baselines;

/// <summary>The part of a claim's outcome that is pinned by a baseline: the verdict exactly, the numbers within tolerance.</summary>
public sealed record BaselineSnapshot(string Id, Profile Profile, Verdict Verdict, IReadOnlyList<BaselineMetric> Metrics)
{
    public static BaselineSnapshot From(ClaimOutcome outcome, BaselineTolerance tolerance) => new(
        outcome.Id,
        outcome.Profile,
        outcome.Verdict,
        outcome.Measured.Select(m => new BaselineMetric(m.Key, m.Name, m.Value, Allowed(m.Value, tolerance))).ToList());

    /// <summary>
    /// max(absolute, relative x |value|); a missing (NaN) or infinite value only matches itself, so its tolerance is the
    /// absolute one.
    /// </summary>
    private static double Allowed(double value, BaselineTolerance tolerance) =>
        double.IsFinite(value) ? Math.Max(tolerance.Absolute, tolerance.Relative * Math.Abs(value)) : tolerance.Absolute;
}
