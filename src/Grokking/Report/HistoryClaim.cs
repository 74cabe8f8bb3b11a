using Grokking.Claims.Contracts;

namespace Grokking.Report;

/// <summary>
/// One claim's result in one verify, as the history keeps it: a subset of its report.json entry under the same names, so
/// the same reader takes both (a row of the history's results table holds this as JSON).
/// </summary>
public sealed record HistoryClaim(
    string Id,
    string Title,
    Verdict Verdict,
    Verdict RuleVerdict,
    string Reason,
    IReadOnlyList<HistoryComparison> Comparisons,
    IReadOnlyList<HistoryMeasured> Measured);
