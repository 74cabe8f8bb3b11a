using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// How many claims ended in each verdict, and how many got none (errors, data missing), each counted apart so that
/// neither reads as a verdict. JSON writes it as is, every count present even when zero.
/// </summary>
internal sealed record ReportCounts(int Confirmed, int Refuted, int Inconclusive, int Error, int DataMissing)
{
    public static ReportCounts Of(IReadOnlyList<ClaimOutcome> claims) => new(
        claims.Count(o => o.Verdict == Verdict.Confirmed),
        claims.Count(o => o.Verdict == Verdict.Refuted),
        claims.Count(o => o.Verdict == Verdict.Inconclusive),
        claims.Count(o => o.Verdict == Verdict.Error),
        claims.Count(o => o.Verdict == Verdict.DataMissing));

    /// <summary>Each status with its count, in the report's order: the three verdicts, then ERROR and DATA MISSING.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<(Verdict Status, int Count)> Each =>
    [
        (Verdict.Confirmed, Confirmed), (Verdict.Refuted, Refuted), (Verdict.Inconclusive, Inconclusive),
        (Verdict.Error, Error), (Verdict.DataMissing, DataMissing),
    ];
}
