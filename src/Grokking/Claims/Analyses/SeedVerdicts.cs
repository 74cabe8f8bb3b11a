using Grokking.Claims.Contracts;
namespace Grokking.Claims.Analyses;

/// <summary>
/// Combines per-seed findings. A divergence is a finding, not a vote:
/// <list type="number">
/// <item>a seed whose evidence refutes the claim refutes it, diverged afterwards or not;</item>
/// <item>if half or more of the seeds diverged, the setup cannot decide: INCONCLUSIVE with that reason;</item>
/// <item>otherwise the claim is decided on the seeds that completed, which must number at least three, and the
/// effect must hold in every one of them (one undecided completed seed leaves it inconclusive).</item>
/// </list>
/// </summary>
public static class SeedVerdicts
{
    public const int MinimumSeeds = 3;

    public static (Verdict Verdict, string Reason) Combine(IReadOnlyList<SeedFinding> findings, int minimumSeeds = MinimumSeeds)
    {
        var refuting = findings.Where(f => f.Verdict == Verdict.Refuted).ToList();
        if (refuting.Count > 0)
        {
            return (Verdict.Refuted, Describe(refuting));
        }

        var diverged = findings.Where(f => f.Diverged).ToList();
        if (diverged.Count > 0 && diverged.Count * 2 >= findings.Count)
        {
            return (Verdict.Inconclusive, $"{diverged.Count} of {findings.Count} seeds diverged (half or more): " + Describe(diverged));
        }

        var completed = findings.Where(f => !f.Diverged).ToList();
        string divergedNote = diverged.Count == 0 ? "" : $" ({diverged.Count} diverged seed(s) not counted: {Describe(diverged)})";
        if (completed.Count < minimumSeeds)
        {
            return (Verdict.Inconclusive, $"only {completed.Count} seed(s) completed; at least {minimumSeeds} are required{divergedNote}");
        }

        var undecided = completed.Where(f => f.Verdict == Verdict.Inconclusive).ToList();
        if (undecided.Count > 0)
        {
            return (Verdict.Inconclusive, Describe(undecided) + divergedNote);
        }

        return (Verdict.Confirmed, $"holds in all {completed.Count} completed seeds: " + Describe(completed) + divergedNote);
    }

    /// <summary>
    /// Combines groups that were each decided by <see cref="Combine"/> (e.g. the depths of PB-1, every one of which
    /// must hold): a refuted group refutes, an undecided group leaves the claim undecided, otherwise it holds.
    /// </summary>
    public static (Verdict Verdict, string Reason) CombineGroups(IReadOnlyList<(string Group, Verdict Verdict, string Reason)> groups)
    {
        string reason = string.Join(" | ", groups.Select(g => $"{g.Group}: {g.Verdict.ToString().ToUpperInvariant()} — {g.Reason}"));
        return (Worst(groups.Select(g => g.Verdict)), reason);
    }

    /// <summary>
    /// Verdicts of parts that must all hold (the depths of PB-1, the two initializations of an OG-6 seed), each decided
    /// from its own measurements: a refuted part refutes, an undecided part leaves the whole undecided.
    /// </summary>
    public static Verdict Worst(IEnumerable<Verdict> parts)
    {
        var all = parts.ToList();
        return all.Contains(Verdict.Refuted) ? Verdict.Refuted : all.Contains(Verdict.Inconclusive) ? Verdict.Inconclusive : Verdict.Confirmed;
    }

    private static string Describe(IEnumerable<SeedFinding> findings) =>
        string.Join("; ", findings.Select(f => $"{f.Subject}: {f.Reason}"));
}
