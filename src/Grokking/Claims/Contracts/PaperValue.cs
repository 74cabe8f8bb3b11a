namespace Grokking.Claims.Contracts;

/// <summary>A number the paper reports, shown beside the measurement.</summary>
public sealed record PaperValue(string Name, double Value, string Unit = "");
