namespace Grokking.Claims.Contracts;

/// <summary>
/// Where a claim comes from, as the report prints it: the paper's title (from claims/catalog.json) and the section
/// and figure of the claim file (<see cref="ClaimDefinition.Section"/>, <see cref="ClaimDefinition.Figure"/>).
/// </summary>
public sealed record ClaimSource(string Paper, string Section, string? Figure);
