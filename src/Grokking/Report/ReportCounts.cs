using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>How many claims ended in each verdict (the report's summary; JSON writes it as is).</summary>
internal sealed record ReportCounts(int Confirmed, int Refuted, int Inconclusive)
{
    public static ReportCounts Of(IReadOnlyList<ClaimOutcome> claims) => new(
        claims.Count(o => o.Verdict == Verdict.Confirmed),
        claims.Count(o => o.Verdict == Verdict.Refuted),
        claims.Count(o => o.Verdict == Verdict.Inconclusive));
}
