namespace Grokking.Claims.Contracts;

/// <summary>A decisive quantity's stable key (baselines match on it), its label and its unit.</summary>
public sealed record Quantity(string Key, string Name, string Unit = "");
