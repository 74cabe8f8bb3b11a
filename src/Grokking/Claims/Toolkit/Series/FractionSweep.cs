using System.Globalization;
using Grokking.Claims.Analyses;
using Grokking.Training;

namespace Grokking.Claims.Toolkit;

/// <summary>Reading a train-fraction sweep (Population:TrainFractions): its members by fraction, and how reasons name them.</summary>
public static class FractionSweep
{
    /// <summary>A member as reasons name it: its seed and, in a sweep, its fraction.</summary>
    public static string Subject(MemberSpec m) => double.IsNaN(m.TrainFraction) ? $"seed {m.Seed}" : $"seed {m.Seed}, r {Tag(m.TrainFraction)}";

    /// <summary>A fraction as keys and labels write it.</summary>
    public static string Tag(double fraction) => fraction.ToString("G3", CultureInfo.InvariantCulture);

    /// <summary>
    /// The claim's members trained at <paramref name="fraction"/> (the claim's tolerance <paramref name="tolerance"/>),
    /// in seed order; none is a definition error (the claim names a fraction its experiment does not sweep).
    /// </summary>
    public static IReadOnlyList<MemberSpec> At(ClaimContext context, double fraction, string tolerance)
    {
        var members = context.Members.Where(m => Math.Abs(m.TrainFraction - fraction) < 1e-9).OrderBy(m => m.Seed).ToList();
        if (members.Count == 0)
        {
            var swept = context.Members.Select(m => m.TrainFraction).Distinct().Order().Select(Tag);
            throw new InvalidOperationException($"{context.Claim.Id}: {tolerance} {Tag(fraction)} is not a train fraction of the run "
                + $"(Population:TrainFractions: {string.Join(", ", swept)})");
        }

        return members;
    }

    /// <summary>
    /// The grokking and the generalize-at-once runs of a sweep (PG-6, PG-7), per seed: the smallest fraction at which
    /// every seed reaches <paramref name="level"/> validation accuracy within the budget (the paper's r = 0.3 is its
    /// smallest such fraction) and the largest fraction swept (the paper's 0.8). Reading them from the sweep rather than
    /// naming fractions in the claim lets a ci layer sweep other fractions. With one fraction both are that one. Falls
    /// back to the smallest fraction when none generalizes in every seed (the analyses then report the never-grokking
    /// members).
    /// </summary>
    public static (double Grokking, double Fast) Extremes(ClaimContext context, double level)
    {
        var fractions = context.Members.Select(m => m.TrainFraction).Distinct().Order().ToList();
        if (fractions.Any(double.IsNaN))
        {
            throw new InvalidOperationException(
                $"{context.Claim.Id}: the analysis reads a train-fraction sweep; the experiment has no Population:TrainFractions");
        }

        bool Generalizes(double r) => context.Members.Where(m => Math.Abs(m.TrainFraction - r) < 1e-9)
            .All(m => double.IsFinite(AccuracyTimes.Of(context.Result, m.Index, level).TestStep));
        double grokking = fractions.Take(Math.Max(1, fractions.Count - 1)).Where(Generalizes).DefaultIfEmpty(fractions[0]).First();
        return (grokking, fractions[^1]);
    }
}
