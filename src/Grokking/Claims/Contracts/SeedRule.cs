namespace Grokking.Claims.Contracts;

/// <summary>
/// How an analysis combines its seeds into one verdict. Each analysis implements exactly one of these in code; the
/// claim file names it (<c>seedCombination</c>) and the loader checks that the name is the analysis's, so the words
/// in the report are the rule that runs.
/// </summary>
public enum SeedRule
{
    /// <summary>Per-seed findings combined by <c>SeedVerdicts.Combine</c>.</summary>
    EverySeed,

    /// <summary>Groups (depths, arms) each combined by <see cref="EverySeed"/>, then all must hold.</summary>
    EveryGroup,

    /// <summary>Findings on pairs of seeds (cyclic pairs, nearby pairs within a seed).</summary>
    SeedPairs,

    /// <summary>One fit over every seed's points, its interval from resampling seeds.</summary>
    PooledFit,

    /// <summary>One rank correlation over every member.</summary>
    PooledCorrelation,

    /// <summary>Every member of a sweep (fractions x seeds) judged on its own.</summary>
    EveryMember,
}

/// <summary>Names (kebab-case, as claim files write them) and descriptions of the <see cref="SeedRule"/>s.</summary>
public static class SeedRules
{
    private static readonly Dictionary<SeedRule, (string Name, string Description)> Table = new()
    {
        [SeedRule.EverySeed] = ("every-seed",
            "per-seed values, each decisive quantity judged by the claim's scope (universal: one seed past the threshold by more "
            + "than the resolution refutes, evidence from before a divergence counting; typical: the 95 % interval of the seed mean "
            + "decides), on the seeds that completed (at least 3); a seed without a required event leaves the claim inconclusive, "
            + "and half or more seeds diverging leaves it inconclusive"),
        [SeedRule.EveryGroup] = ("every-group",
            "each group (a depth, an arm) is judged on its own seeds as every-seed; a refuted group refutes, an undecided "
            + "group leaves the claim inconclusive, and the claim holds only when every group does"),
        [SeedRule.SeedPairs] = ("seed-pairs",
            "decided on pairs of seeds (cyclic pairs a-b, b-c, ..., last-a of the seeds that have the point, at least 3 pairs, "
            + "beside any within-seed pair the rule names), each decisive quantity judged over the pairs by the claim's scope"),
        [SeedRule.PooledFit] = ("pooled-fit",
            "one fit over the points of every seed (at least 3 seeds); its interval comes from resampling seeds and decides"),
        [SeedRule.PooledCorrelation] = ("pooled-correlation",
            "one rank correlation over every member (fractions x seeds, at least 3 seeds; within fractions where the rule says so), "
            + "with its 95 % interval and permutation p-value"),
        [SeedRule.EveryMember] = ("every-member",
            "every member (fractions x seeds, at least 3 seeds) contributes its value; each decisive quantity is judged over the "
            + "members by the claim's scope (universal: one member past the threshold by more than the resolution refutes)"),
    };

    public static string NameOf(SeedRule rule) => Table[rule].Name;

    public static string Describe(SeedRule rule) => Table[rule].Description;

    public static bool TryParse(string name, out SeedRule rule)
    {
        foreach (var (candidate, entry) in Table)
        {
            if (entry.Name == name)
            {
                rule = candidate;
                return true;
            }
        }

        rule = default;
        return false;
    }
}
