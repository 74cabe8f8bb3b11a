namespace Grokking.Claims.Contracts;

/// <summary>A decision threshold of the claim, with the reason it has that value (set from the paper, before running).</summary>
public sealed record Tolerance(string Name, double Value, string Reason);
