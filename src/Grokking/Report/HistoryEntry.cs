namespace Grokking.Report;

/// <summary>A verify's run and its claims' results: what a report.json holds for the history, or one entry of it.</summary>
public sealed record HistoryEntry(HistoryRun Run, IReadOnlyList<HistoryClaim> Claims);
