using Grokking.Training;

namespace Grokking.Tests.Unit.Claims;

/// <summary>
/// A synthetic train-fraction sweep (seeds 0, 1, 2 x the given fractions) for the analyses that read
/// Population:TrainFractions (OG-7, PG-1): train accuracy 1 throughout, validation accuracy 0.05 until the member's
/// test step and 1 from it. Rows every 100 steps up to the budget, plus the test step itself when it is off that grid,
/// so a time need not be rounded to the metrics interval.
/// </summary>
internal static class FractionSweepRun
{
    public static readonly long[] Seeds = [0, 1, 2];

    /// <param name="testStep">Per (seed, fraction), the first step with validation accuracy 1; null = never.</param>
    /// <param name="sweep">False leaves the fractions NaN, as in a run without Population:TrainFractions.</param>
    /// <param name="diverges">A member that diverges at <paramref name="divergedStep"/>.</param>
    /// <param name="samples">True: the values are training-set sizes (Population:TrainSamples), the fractions left NaN.</param>
    public static TrainingResult Of(IReadOnlyList<double> fractions, long budget, Func<long, double, long?> testStep, bool sweep = true, (long Seed, double Fraction)? diverges = null, long divergedStep = 1000, bool samples = false)
    {
        var members = new List<MemberSpec>();
        var metrics = new List<MetricRow>();
        var events = new List<MemberEvents>();
        foreach (long seed in Seeds)
        {
            foreach (double r in fractions)
            {
                int index = members.Count;
                members.Add(samples
                    ? new MemberSpec(index, seed, 1e-3, 1, 1, TrainSamples: (int)r)
                    : new MemberSpec(index, seed, 1e-3, 1, 1, sweep ? r : double.NaN));
                long? t = testStep(seed, r);
                long diverged = diverges == (seed, r) ? divergedStep : MemberEvents.Never;
                var grid = Enumerable.Range(1, (int)(budget / 100)).Select(i => i * 100L);
                foreach (long step in t is { } exact ? grid.Append(exact).Distinct().Order() : grid)
                {
                    double val = t is { } g && step >= g ? 1.0 : 0.05;
                    long divergedAt = diverged != MemberEvents.Never && step >= diverged ? diverged : MemberEvents.Never;
                    metrics.Add(new MetricRow(step, step, index, 0.01, 0.01, 1.0, 1, 1, val, 10, 1e-3, 1, 1, null, divergedAt));
                }

                events.Add(new MemberEvents(index, 100, t ?? MemberEvents.Never, diverged));
            }
        }

        return SyntheticResult.Of(members, metrics, events, 1, budget);
    }
}
