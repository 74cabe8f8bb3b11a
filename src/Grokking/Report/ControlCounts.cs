using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// How the claims' negative controls came out (issue 25): REFUTED as expected (the rule can fail), CONFIRMED (the rule
/// cannot discriminate), INCONCLUSIVE (its ability to fail is unshown), or missing (no control declared, or none ran).
/// </summary>
internal sealed record ControlCounts(int Refuted, int Confirmed, int Inconclusive, int Missing)
{
    public static ControlCounts Of(IReadOnlyList<ClaimOutcome> claims) => new(
        claims.Count(o => o.Control?.Verdict == Verdict.Refuted),
        claims.Count(o => o.Control?.Verdict == Verdict.Confirmed),
        claims.Count(o => o.Control?.Verdict == Verdict.Inconclusive),
        claims.Count(o => o.Control is null));
}
