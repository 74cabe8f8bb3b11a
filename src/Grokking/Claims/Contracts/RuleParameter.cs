namespace Grokking.Claims.Contracts;

/// <summary>
/// A setting of a claim's decision rule — a threshold, a window, an iteration count — with the reason it has that
/// value, written from the paper's words before the run (claim-file key <c>ruleParameters</c>). Not a baseline
/// tolerance: that says how far a rerun may move a committed number (key <c>baselineTolerance</c>).
/// </summary>
public sealed record RuleParameter(string Name, double Value, string Reason);
