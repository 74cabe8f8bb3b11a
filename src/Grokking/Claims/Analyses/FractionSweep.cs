using System.Globalization;
using Grokking.Training;

namespace Grokking.Claims.Analyses;

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
            throw new InvalidOperationException($"{context.Claim.Id}: {tolerance} {Tag(fraction)} is not a train fraction of the run (Population:TrainFractions: {string.Join(", ", swept)})");
        }

        return members;
    }
}
