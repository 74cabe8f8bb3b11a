namespace Grokking.Report;

/// <summary>What the history keeps of one measured value (report.json's <c>claims[].measured[]</c>, same names).</summary>
public sealed record HistoryMeasured(string Key, string Name, string Unit, double Value);
