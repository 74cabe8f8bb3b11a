namespace Grokking.Claims.Contracts;

/// <summary>How close a re-run must come to the accepted baseline: max(absolute, relative x |value|).</summary>
public sealed record BaselineTolerance(double Relative, double Absolute, string Reason);
