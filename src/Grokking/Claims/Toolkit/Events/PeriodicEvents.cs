using Grokking.Claims.Analyses;

namespace Grokking.Claims.Toolkit;

/// <summary>
/// Finds PB's periodic behaviour in one member's series: after memorization, train accuracy collapses and
/// recovers again and again, and each collapse should come with an upward jump of validation accuracy, a fall of
/// the effective lr (a saw-tooth that rises between collapses) and a spike of the effective gradient norm. The
/// detection is pure so it can be tested on synthetic series; medians and extrema skip non-finite values.
/// </summary>
public static class PeriodicEvents
{
    /// <summary>
    /// The drops in step order. A drop starts at the first step below <see cref="DropRules.From"/> after a step at or
    /// above it (that step at or after <paramref name="fromEpoch"/>), and must reach <see cref="DropRules.To"/> before
    /// train accuracy is back, within <see cref="DropRules.FallWithinEpochs"/>; otherwise it is a wobble and skipped.
    /// It recovers at the first step back at or above <c>From</c>, which is also where scanning resumes, so every drop
    /// needs a fresh high step.
    /// </summary>
    public static IReadOnlyList<TrainDrop> Drops(PeriodicSeries s, DropRules r, double fromEpoch = double.NegativeInfinity)
    {
        double[] epochs = s.Epochs, train = s.TrainAccuracy;
        int n = epochs.Length;
        var drops = new List<TrainDrop>();
        for (int i = 1; i < n; i++)
        {
            if (!(train[i - 1] >= r.From && train[i] < r.From && epochs[i - 1] >= fromEpoch))
            {
                continue;
            }

            int recovery = i;
            while (recovery < n && !(train[recovery] >= r.From))
            {
                recovery++;
            }

            bool fastEnough = Enumerable.Range(i, recovery - i).Any(j => epochs[j] - epochs[i - 1] <= r.FallWithinEpochs && train[j] <= r.To);
            if (fastEnough)
            {
                drops.Add(Measure(s, r, i, recovery));
            }

            i = recovery; // the loop's i++ makes the recovery step the next candidate's high step
        }

        return drops;
    }

    /// <summary>
    /// Moments that are not drops, for PB-3's negative control: one at the midpoint between each recovered drop and the
    /// next, as many metric steps long as the drop before it, and read exactly as a drop is read (<see cref="Drops"/>'s
    /// windows). Train accuracy does not fall there, so a rule about what happens at drops must not find it there.
    /// </summary>
    public static IReadOnlyList<TrainDrop> Midpoints(PeriodicSeries s, DropRules r, IReadOnlyList<TrainDrop> drops)
    {
        double[] epochs = s.Epochs;
        var moments = new List<TrainDrop>();
        foreach (var (a, b) in drops.Zip(drops.Skip(1)))
        {
            int start = Array.FindIndex(epochs, e => e >= (a.RecoveredEpoch + b.StartEpoch) / 2);
            if (!a.Recovered || start < 0)
            {
                continue;
            }

            int length = Array.IndexOf(epochs, a.RecoveredEpoch) - Array.IndexOf(epochs, a.StartEpoch);
            moments.Add(Measure(s, r, start, Math.Min(start + length, epochs.Length)));
        }

        return moments;
    }

    /// <summary>
    /// Spearman rho of (epoch, effective lr) within each interval between a recovery and the next drop, each end
    /// moved inwards by <paramref name="marginEpochs"/> so the collapses' own transients do not enter; intervals with
    /// fewer than <paramref name="minimumSteps"/> finite steps are skipped. A saw-tooth gives rho near +1 in every one.
    /// </summary>
    public static IReadOnlyList<double> IntervalRises(PeriodicSeries s, IReadOnlyList<TrainDrop> drops, double marginEpochs, int minimumSteps = 5)
    {
        var rises = new List<double>();
        foreach (var (a, b) in drops.Zip(drops.Skip(1)))
        {
            if (!a.Recovered)
            {
                continue;
            }

            var steps = Steps(s.Epochs, s.EffectiveLearningRate, a.RecoveredEpoch + marginEpochs, b.StartEpoch - marginEpochs);
            if (steps.Count >= minimumSteps)
            {
                rises.Add(Spearman(steps.Select(p => p.Epoch).ToArray(), steps.Select(p => p.Value).ToArray()));
            }
        }

        return rises;
    }

    /// <summary>
    /// Trend of <paramref name="values"/> over the steps with epoch in [<paramref name="fromEpoch"/>,
    /// <paramref name="toEpoch"/>] and a finite value.
    /// </summary>
    public static TrendResult Trend(double[] epochs, double[] values, double fromEpoch, double toEpoch)
    {
        var steps = Steps(epochs, values, fromEpoch, toEpoch);
        int n = steps.Count, fifth = Math.Max(1, n / 5);
        double rho = n < 3 ? double.NaN : Spearman(steps.Select(p => p.Epoch).ToArray(), steps.Select(p => p.Value).ToArray());
        double first = MemberSeries.Median(steps.Take(fifth).Select(p => p.Value));
        double last = MemberSeries.Median(steps.Skip(n - fifth).Select(p => p.Value));
        return new TrendResult(rho, first, last, n);
    }

    /// <summary>Spearman's rho of a trend (see <see cref="SpearmanTest.RankCorrelation"/>): NaN for fewer than 2 pairs or a constant side.</summary>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y) => SpearmanTest.RankCorrelation(x, y);

    private static TrainDrop Measure(PeriodicSeries s, DropRules r, int start, int recovery)
    {
        double[] epochs = s.Epochs;
        int lowest = start;
        for (int j = start + 1; j < recovery; j++)
        {
            if (s.TrainAccuracy[j] < s.TrainAccuracy[lowest])
            {
                lowest = j;
            }
        }

        double startEpoch = epochs[start], w = r.WindowEpochs, last = epochs[^1];
        bool recovered = recovery < epochs.Length;
        double recoveredEpoch = recovered ? epochs[recovery] : double.NaN;
        IEnumerable<double> In(double[] values, double lo, double hi, bool hiInclusive = true) =>
            Enumerable.Range(0, epochs.Length).Where(k => epochs[k] >= lo && (hiInclusive ? epochs[k] <= hi : epochs[k] < hi)).Select(k => values[k]);

        return new TrainDrop(
            startEpoch,
            epochs[lowest],
            s.TrainAccuracy[lowest],
            recoveredEpoch,
            ValBefore: MemberSeries.Median(In(s.ValAccuracy, startEpoch - w, startEpoch, hiInclusive: false)),
            ValAfter: recovered ? MemberSeries.Median(In(s.ValAccuracy, recoveredEpoch, recoveredEpoch + w)) : double.NaN,
            LrPeak: MemberSeries.Max(In(s.EffectiveLearningRate, startEpoch - w, startEpoch + w)),
            LrAfter: MemberSeries.Min(In(s.EffectiveLearningRate, startEpoch, recovered ? recoveredEpoch + w : last)),
            GradPeak: MemberSeries.Max(In(s.EffectiveGradNorm, startEpoch - w, recovered ? recoveredEpoch : last)),
            GradBaseline: MemberSeries.Median(In(s.EffectiveGradNorm, startEpoch - r.GradBaselineEpochs, startEpoch - w, hiInclusive: false)));
    }

    private static List<(double Epoch, double Value)> Steps(double[] epochs, double[] values, double from, double to) =>
        epochs.Zip(values).Where(p => p.First >= from && p.First <= to && double.IsFinite(p.Second)).ToList();
}
