namespace Grokking.Runtime;

/// <summary>What the libstdc++ compatibility step found and did in this process.</summary>
public sealed record CompatibilityReport(CompatibilityDecision Decision, string? LibStdCxxPath, string? TorchSharpNativePath);
