namespace Grokking.Claims.Baselines;

/// <summary>
/// One recorded number of an outcome and how far a re-run may stray from it. Matched by <c>Key</c> (stable),
/// not by the label shown in the report, so that rewording a label keeps the baseline.
/// </summary>
public sealed record BaselineMetric(string Key, string Name, double Value, double Tolerance);
