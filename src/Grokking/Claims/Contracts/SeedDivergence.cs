namespace Grokking.Claims.Contracts;

/// <summary>A member of a claim's run that diverged: which seed, which member, and when.</summary>
public sealed record SeedDivergence(long Seed, string Member, long Step, double Epoch);
