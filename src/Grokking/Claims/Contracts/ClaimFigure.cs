namespace Grokking.Claims.Contracts;

/// <summary>A figure produced for a claim (paths relative to the report directory).</summary>
public sealed record ClaimFigure(string Title, string PngPath, string? SvgPath);
