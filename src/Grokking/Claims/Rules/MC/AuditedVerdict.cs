using Grokking.Claims.Analyses;
using Grokking.Claims.Contracts;
using Grokking.Claims.Toolkit;

namespace Grokking.Claims.Rules.MC;

/// <summary>
/// The verdict of an MC rule (issue 25): the decisive comparisons (<see cref="Thresholds"/>) bounded by the seeds'
/// event preconditions - each seed reached the events the rule measures, at least three completed, fewer than half
/// diverged (<see cref="SeedVerdicts.Combine"/> over findings that only say whether the events came). A REFUTED
/// comparison refutes whatever the preconditions say; an unmet precondition leaves the rest INCONCLUSIVE.
/// </summary>
internal static class AuditedVerdict
{
    public static (Verdict Verdict, string Reason) Of(IReadOnlyList<SeedFinding> events, IReadOnlyList<Comparison> comparisons)
    {
        var (pre, preReason) = SeedVerdicts.Combine(events);
        var (compared, reason) = Thresholds.Combine(comparisons);
        var verdict = SeedVerdicts.Worst([pre, compared]);
        // Each seed's numbers follow the comparisons, so a counterexample can be found by its seed.
        string seeds = pre == Verdict.Confirmed
            ? string.Join("; ", events.Select(f => $"seed {f.Seed}: {f.Reason}{(f.Diverged ? " (diverged: not counted as completed)" : "")}"))
            : preReason;
        return (verdict, $"{reason} | seeds: {seeds}");
    }

    /// <summary>A seed whose events came: a confirmed event finding carrying what was measured.</summary>
    public static SeedFinding Came(long seed, string numbers) => new(seed, Verdict.Confirmed, numbers);
}
