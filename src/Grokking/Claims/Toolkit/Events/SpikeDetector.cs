using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Finds the onsets of spikes (PG-3's slingshots) in a logged series by <see cref="SpikeRule"/>, and turns a norm
/// into the growth rate in which Thilak et al. read the last-layer spikes. Pure, so it is tested on synthetic series.
/// </summary>
public static class SpikeDetector
{
    /// <summary>
    /// Indices of the spike onsets in increasing order. Non-finite samples (NaN for a step not logged, ±∞ for a
    /// diverged one, which is divergence rather than a slingshot) are skipped: they are never onsets and never enter a
    /// baseline, which reaches back past them to the <see cref="SpikeRule.Window"/> previous finite samples.
    /// </summary>
    public static IReadOnlyList<int> Onsets(IReadOnlyList<double> series, SpikeRule rule)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentOutOfRangeException.ThrowIfLessThan(rule.Window, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rule.Refractory);
        if (!(rule.RelativeJump >= 0) || double.IsInfinity(rule.RelativeJump))
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule.RelativeJump, "RelativeJump must be finite and at least 0");
        }

        var onsets = new List<int>();
        var finite = new List<double>(series.Count);
        int quietUntil = -1; // last index still inside the previous onset's refractory span
        for (int t = 0; t < series.Count; t++)
        {
            double x = series[t];
            if (!double.IsFinite(x))
            {
                continue;
            }

            if (finite.Count >= rule.Window && t > quietUntil)
            {
                var baseline = finite.GetRange(finite.Count - rule.Window, rule.Window);
                double med = MemberSeries.Median(baseline);
                double scale = MemberSeries.Median(baseline.Select(Math.Abs));
                if (x - med > rule.RelativeJump * scale)
                {
                    onsets.Add(t);
                    quietUntil = t + rule.Refractory;
                }
            }

            finite.Add(x);
        }

        return onsets;
    }

    /// <summary>
    /// Each onset with the last index at which the spike it starts is still on: the samples from the onset while they stay
    /// above the onset's own threshold (its baseline median + <see cref="SpikeRule.RelativeJump"/> · scale, the criterion
    /// that made it an onset), so a spike ends by the rule that began it. A non-finite sample ends a spike.
    /// </summary>
    public static IReadOnlyList<(int Onset, int End)> Spans(IReadOnlyList<double> series, SpikeRule rule)
    {
        var spans = new List<(int Onset, int End)>();
        foreach (int onset in Onsets(series, rule))
        {
            var baseline = Enumerable.Range(0, onset).Reverse().Select(i => series[i]).Where(double.IsFinite).Take(rule.Window).ToList();
            double limit = MemberSeries.Median(baseline) + (rule.RelativeJump * MemberSeries.Median(baseline.Select(Math.Abs)));
            int end = onset;
            while (end + 1 < series.Count && double.IsFinite(series[end + 1]) && series[end + 1] > limit)
            {
                end++;
            }

            spans.Add((onset, end));
        }

        return spans;
    }

    /// <summary>
    /// Relative change per sample, (x_t − x_{t−1}) / x_{t−1}; index 0 is NaN (no predecessor), and so is any rate
    /// whose neighbours are not finite or whose predecessor is 0 (no relative change exists). It is per logged sample,
    /// so the series should be logged at even steps. Thilak et al. read slingshots in this growth of the last-layer
    /// norm rather than in the norm, whose level drifts over training while its spikes stay sharp in the rate.
    /// </summary>
    public static double[] GrowthRate(IReadOnlyList<double> norm)
    {
        ArgumentNullException.ThrowIfNull(norm);
        double[] rate = new double[norm.Count];
        for (int t = 0; t < norm.Count; t++)
        {
            double r = t == 0 ? double.NaN : (norm[t] - norm[t - 1]) / norm[t - 1];
            rate[t] = double.IsFinite(r) ? r : double.NaN;
        }

        return rate;
    }
}
