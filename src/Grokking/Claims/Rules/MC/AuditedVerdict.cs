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
        return pre == Verdict.Confirmed ? (verdict, reason) : (verdict, $"{reason} | seeds: {preReason}");
    }

    /// <summary>A seed whose events came: a confirmed event finding carrying what was measured.</summary>
    public static SeedFinding Came(long seed, string numbers) => new(seed, Verdict.Confirmed, numbers);
}
