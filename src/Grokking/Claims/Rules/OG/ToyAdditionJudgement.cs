using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.OG;

/// <summary>
/// <see cref="ToyAdditionSizes"/>' rule on a set of trajectories: the per-seed precondition (every size from the critical
/// one up reaches the generalizing solution), the typical ordering of their times, and the universal absences below the
/// critical size, capped at INCONCLUSIVE where those members did not run long enough to show an absence.
/// </summary>
internal static class ToyAdditionJudgement
{
    public sealed record Judged(Verdict Verdict, string Reason, IReadOnlyList<Comparison> Comparisons);

    /// <param name="digits">p, the digits of the task (the run's Data:Modulus): the parallelograms an RQI counts.</param>
    public static Judged Judge(IReadOnlyList<ToyTrajectory> members, ToyAdditionSizes.Parameters p, int digits)
    {
        var seeds = members.GroupBy(m => m.Seed).OrderBy(g => g.Key).ToList();
        var (events, eventReason) = SeedVerdicts.Combine([.. seeds.Select(g => Precondition(g.Key, g.ToList(), p))]);
        var failing = members.Where(m => m.Size < p.CriticalSize).ToList();
        double needed = p.AbsenceFactor * MemberSeries.Max(members.Where(m => m.Size >= p.CriticalSize).Select(m => m.GeneralizedStep));
        int parallelograms = RepresentationQuality.Parallelograms(digits).Count;
        var comparisons = new List<Comparison>
        {
            Thresholds.Typical(
                new Quantity("orderLogRatio", "largest log10 ratio of the steps to the generalizing solution, larger size over the next smaller"),
                [.. seeds.Select(g => Ordering(g.ToList(), p))], Relation.AtMost, 0),
            Absence(Thresholds.Universal(
                new Quantity("failingRqi", $"best RQI over the run of the sizes below {p.CriticalSize:0} (per seed and size)"),
                [.. failing.Select(m => m.BestRqi)], Relation.AtMost, p.RqiLevel, 1.0 / parallelograms), failing, needed),
            Absence(Thresholds.Universal(
                new Quantity("failingHeldOutWrong", $"fewest held-out pairs misclassified over the run, sizes below {p.CriticalSize:0}", "pairs"),
                [.. failing.Select(m => m.FewestWrong)], Relation.AtLeast, 1, 0), failing, needed),
        };
        var (compared, comparedReason) = Thresholds.Combine(comparisons);
        var verdict = SeedVerdicts.Worst([events, compared]);
        return new Judged(verdict, $"sizes from {p.CriticalSize:0} up reach RQI > {p.RqiLevel}: {eventReason}; {comparedReason}", comparisons);
    }

    /// <summary>A seed holds the precondition when every size from the critical one up reached the generalizing solution.</summary>
    private static SeedFinding Precondition(long seed, List<ToyTrajectory> sizes, ToyAdditionSizes.Parameters p)
    {
        var needed = sizes.Where(m => m.Size >= p.CriticalSize).ToList();
        bool diverged = sizes.Any(m => m.Diverged);
        string times = string.Join(", ", sizes.Select(m => $"N {m.Size}: {AccuracyTimes.Show(m.GeneralizedStep)}"));
        if (needed.Count == 0)
        {
            return new SeedFinding(seed, Verdict.Inconclusive, $"no size from {p.CriticalSize:0} up in the sweep", diverged);
        }

        var missing = needed.Where(m => !m.Generalized).ToList();
        return missing.Count == 0
            ? new SeedFinding(seed, Verdict.Confirmed, times, diverged)
            : new SeedFinding(seed, Verdict.Inconclusive,
                $"{string.Join(", ", missing.Select(m => $"N {m.Size}"))} not there after {missing.Max(m => m.Steps):0} steps ('eventually' is not "
                + $"refuted by a finite run); {times}", diverged);
    }

    /// <summary>The seed's largest log10(t_larger / t_smaller) over consecutive generalizing sizes (NaN without a pair).</summary>
    private static double Ordering(List<ToyTrajectory> sizes, ToyAdditionSizes.Parameters p)
    {
        var times = sizes.Where(m => m.Size >= p.CriticalSize).OrderBy(m => m.Size).Select(m => m.GeneralizedStep).ToList();
        return times.Zip(times.Skip(1), (smaller, larger) => Math.Log10(larger / smaller)).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
    }

    /// <summary>
    /// An absence shown by members that ran fewer than <paramref name="needed"/> steps (or when no critical-size time is
    /// known) confirms nothing: CONFIRMED becomes INCONCLUSIVE; a counterexample still refutes.
    /// </summary>
    private static Comparison Absence(Comparison comparison, List<ToyTrajectory> failing, double needed)
    {
        double ran = failing.Select(m => m.Steps).DefaultIfEmpty(0).Min();
        return comparison.Verdict != Verdict.Confirmed || ran >= needed ? comparison : comparison with
        {
            Verdict = Verdict.Inconclusive,
            Reason = comparison.Reason + (double.IsFinite(needed)
                ? $"; but an absence needs {needed:0} steps (absenceFactor x the slowest critical-size time) and these ran {ran:0}"
                : "; but no size from the critical one up generalized, so no run length shows an absence"),
        };
    }

    public static List<MeasuredValue> Values(IReadOnlyList<ToyTrajectory> members, ToyAdditionSizes.Parameters p)
    {
        var values = new List<MeasuredValue>();
        foreach (var size in members.GroupBy(m => m.Size).OrderBy(g => g.Key))
        {
            string n = size.Key.ToString(CultureInfo.InvariantCulture);
            var steps = size.Select(m => m.GeneralizedStep).ToList();
            values.Add(new($"steps to RQI > {p.RqiLevel}, size {n} (median, never counted as latest; NaN = never)",
                MemberSeries.MedianTime(steps), "step", null, null, steps, Key: $"tGeneralize-n{n}"));
            var best = size.Select(m => m.BestRqi).ToList();
            values.Add(new($"best RQI over the run, size {n} (median over seeds)", MemberSeries.Median(best), "", null, null, best,
                Key: $"bestRqi-n{n}"));
            var wrong = size.Select(m => m.FewestWrong).ToList();
            values.Add(new($"fewest held-out pairs misclassified, size {n} (median; NaN: no held-out pair)",
                MemberSeries.Median(wrong), "pairs", null, null, wrong, Key: $"fewestWrong-n{n}"));
        }

        return values;
    }
}
