namespace Grokking.Claims;

/// <summary>An error that kept a claim from getting a verdict (distinct from INCONCLUSIVE, which is a verdict).</summary>
public sealed record ClaimError(string Id, string Message);
