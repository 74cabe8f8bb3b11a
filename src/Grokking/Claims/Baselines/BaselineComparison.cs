namespace Grokking.Claims.Baselines;

/// <summary>The result of comparing an outcome with its accepted baseline.</summary>
public sealed record BaselineComparison(bool Matches, IReadOnlyList<string> Differences, string VerifiedPath, string? ReceivedPath);
