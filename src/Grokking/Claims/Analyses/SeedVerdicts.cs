namespace Grokking.Claims.Analyses;

/// <summary>A per-seed finding: whether the effect held in that seed, or why the seed could not decide.</summary>
public sealed record SeedFinding(long Seed, Verdict Verdict, string Reason);

/// <summary>
/// Combines per-seed findings by "the effect must hold in every seed": one refuting seed refutes the claim;
/// otherwise one undecided seed (or fewer seeds than required) leaves it inconclusive.
/// </summary>
public static class SeedVerdicts
{
    public const int MinimumSeeds = 3;

    public const string EverySeed = "the effect must hold in every seed (at least 3); one refuting seed refutes, one undecided seed leaves it inconclusive";

    public static (Verdict Verdict, string Reason) Combine(IReadOnlyList<SeedFinding> findings, int minimumSeeds = MinimumSeeds)
    {
        var refuting = findings.Where(f => f.Verdict == Verdict.Refuted).ToList();
        if (refuting.Count > 0)
        {
            return (Verdict.Refuted, Describe(refuting));
        }

        var undecided = findings.Where(f => f.Verdict == Verdict.Inconclusive).ToList();
        if (undecided.Count > 0)
        {
            return (Verdict.Inconclusive, Describe(undecided));
        }

        if (findings.Count < minimumSeeds)
        {
            return (Verdict.Inconclusive, $"only {findings.Count} seed(s) ran; at least {minimumSeeds} are required");
        }

        return (Verdict.Confirmed, $"holds in all {findings.Count} seeds: " + Describe(findings));
    }

    private static string Describe(IEnumerable<SeedFinding> findings) =>
        string.Join("; ", findings.Select(f => $"seed {f.Seed}: {f.Reason}"));
}
