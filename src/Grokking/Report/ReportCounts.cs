using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// How many claims ended in each verdict, and how many got none (errors, data missing), each counted apart so that
/// neither reads as a verdict. JSON writes it as is, every count present even when zero.
/// </summary>
internal sealed record ReportCounts(int Confirmed, int Refuted, int Inconclusive, int Error, int DataMissing)
{
    public static ReportCounts Of(IReadOnlyList<ClaimOutcome> claims) => Of([.. claims.Select(o => o.Verdict)]);

    /// <summary>The counts of these verdicts (a history entry's claims, issue 30).</summary>
    public static ReportCounts Of(IReadOnlyList<Verdict> verdicts) => new(
        verdicts.Count(v => v == Verdict.Confirmed),
        verdicts.Count(v => v == Verdict.Refuted),
        verdicts.Count(v => v == Verdict.Inconclusive),
        verdicts.Count(v => v == Verdict.Error),
        verdicts.Count(v => v == Verdict.DataMissing));

    /// <summary>Each status with its count, in the report's order: the three verdicts, then ERROR and DATA MISSING.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<(Verdict Status, int Count)> Each =>
    [
        (Verdict.Confirmed, Confirmed), (Verdict.Refuted, Refuted), (Verdict.Inconclusive, Inconclusive),
        (Verdict.Error, Error), (Verdict.DataMissing, DataMissing),
    ];
}
